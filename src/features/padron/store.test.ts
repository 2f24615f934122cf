import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { createPadronStore, type PadronEntry } from "./store.ts";

const kemper: PadronEntry = {
  rfc: "EKU9003173C9",
  name: "ESCUELA KEMPER URGATE SA DE CV",
  persona: "moral",
  registrosPatronales: ["B5510768108", "Y5412345109"],
  emailOnFile: "nomina@kemper.com.mx",
  habilitacion2020: null,
};

const importOf = (id: string) => ({
  id,
  fileName: "padron.csv",
  sha256: "a".repeat(64),
  actor: "prueba",
  startedAt: new Date("2026-01-01T00:00:00Z"),
});

describe.each(ENGINES)("padrón store on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("writes entries and answers byRfc in the [padron] shape", async () => {
    const store = createPadronStore(database.db);
    await store.beginImport(importOf("00000000-0000-4000-8000-000000000001"));
    const enabled: PadronEntry = {
      rfc: "XOJO740919U48",
      name: "OSCAR XOCHITL",
      persona: "fisica",
      registrosPatronales: [],
      emailOnFile: null,
      habilitacion2020: { at: new Date("2021-03-15T06:00:00Z") },
    };
    await store.write(
      [kemper, enabled],
      "00000000-0000-4000-8000-000000000001",
      new Date("2026-01-01T00:00:00Z"),
    );
    expect(await store.byRfc("EKU9003173C9")).toEqual(kemper);
    expect(await store.byRfc("XOJO740919U48")).toEqual(enabled);
    expect(await store.byRfc("AAA010101AAA")).toBeUndefined();
    expect(await store.holdersOf(["B5510768108", "Z0000000000"])).toEqual(
      new Map([["B5510768108", "EKU9003173C9"]]),
    );
    expect(await store.count()).toBe(2);
  });

  it("releases a registro no longer listed and takes new ones on update", async () => {
    const store = createPadronStore(database.db);
    const id = "00000000-0000-4000-8000-000000000002";
    await store.beginImport(importOf(id));
    await store.write([kemper], id, new Date());
    await store.write(
      [{ ...kemper, registrosPatronales: ["Y5412345109", "C1234567890"] }],
      id,
      new Date(),
    );
    expect((await store.byRfc(kemper.rfc))?.registrosPatronales).toEqual([
      "C1234567890",
      "Y5412345109",
    ]);
    expect(
      [...(await store.holdersOf(["B5510768108", "C1234567890", "Y5412345109"])).keys()].sort(),
    ).toEqual(["C1234567890", "Y5412345109"]);
  });

  it("refuses at the database a registro held by another RFC and a persona the RFC contradicts", async () => {
    const store = createPadronStore(database.db);
    const id = "00000000-0000-4000-8000-000000000003";
    await store.beginImport(importOf(id));
    await store.write([kemper], id, new Date());
    await expect(
      database.db
        .insertInto("padron_registros")
        .values({ registro_patronal: "B5510768108", rfc: "EKU9003173C9" })
        .execute(),
    ).rejects.toThrow();
    await expect(
      store.write([{ ...kemper, rfc: "XOJO740919U48", persona: "moral" }], id, new Date()),
    ).rejects.toThrow();
  });

  it("keeps an import's report", async () => {
    const store = createPadronStore(database.db);
    const id = "00000000-0000-4000-8000-000000000004";
    await store.beginImport(importOf(id));
    const refusals = [{ line: 3, rfc: "X", code: "invalid_rfc", reason: "El RFC «X» …" }];
    await store.finishImport(id, {
      sha256: "b".repeat(64),
      finishedAt: new Date("2026-01-01T00:01:00Z"),
      rowsRead: 2,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      refused: 1,
      refusals,
    });
    expect(await store.importById(id)).toMatchObject({ rowsRead: 2, refused: 1, refusals });
  });
});
