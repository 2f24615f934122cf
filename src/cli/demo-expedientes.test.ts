import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../platform/clock.ts";
import { createTestSystem, type TestSystem } from "../testing/server.ts";
import { DEMO_COMUNICADOS, DEMO_DOCUMENTOS, ensureDemoExpedientes } from "./demo-expedientes.ts";
import { ensureDemoPadron } from "./demo-padron.ts";

describe("the demo's documents and comunicados", () => {
  let system: TestSystem;
  const clock = fixedClock("2026-12-08T18:00:00Z");

  beforeAll(async () => {
    system = await createTestSystem({ clock });
    await ensureDemoPadron(system.database.db, clock);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  it("publishes them once, however many times the demo starts", async () => {
    await ensureDemoExpedientes(system);
    await ensureDemoExpedientes(system);
    const db = system.database.db;
    const documentos = await db.selectFrom("documentos").select(["rfc", "kind"]).execute();
    expect(documentos).toHaveLength(DEMO_DOCUMENTOS.length);
    expect(new Set(documentos.map((d) => d.rfc))).toEqual(new Set(["EKU9003173C9"]));
    const comunicados = await db.selectFrom("comunicados").select("title").execute();
    expect(comunicados).toHaveLength(DEMO_COMUNICADOS.length);
    // The demo company is in subdelegación 09 by its registros: all three reach it.
    const page = await system.comunicados.list("EKU9003173C9", { limit: 10 });
    expect(page.items).toHaveLength(3);
    // Another particular of the padrón gets only the general one.
    const other = await system.comunicados.list("CACX7605101P8", { limit: 10 });
    expect(other.items.map((c) => c.title)).toEqual([DEMO_COMUNICADOS[0].title]);
  });
});
