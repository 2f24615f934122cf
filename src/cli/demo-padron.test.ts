import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPadronStore } from "../features/padron/store.ts";
import { fixedClock } from "../platform/clock.ts";
import { createTestDatabase, type TestDatabase } from "../testing/database.ts";
import { DEMO_ADMIN_RFC } from "./demo-efirmas.ts";
import { ensureDemoPadron } from "./demo-padron.ts";

describe("the demo's padrón", () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase("pglite");
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("holds the demo e.firmas' particulars and one 2020 mailbox, every row accepted, once", async () => {
    const clock = fixedClock("2026-11-23T18:00:00Z");
    const first = await ensureDemoPadron(database.db, clock);
    expect(first).toMatchObject({ inserted: 5, refused: 0, warnings: [] });
    const store = createPadronStore(database.db);
    expect((await store.byRfc("EKU9003173C9"))?.registrosPatronales).toEqual([
      "B5510768108",
      "Y5412345109",
    ]);
    expect((await store.byRfc(DEMO_ADMIN_RFC))?.emailOnFile).toBe("xochilt.casas@example.com");
    expect((await store.byRfc("XOJO740919U44"))?.habilitacion2020).not.toBeNull();
    const again = await ensureDemoPadron(database.db, clock);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
  });
});
