import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { createCalendarService } from "./service.ts";
import { createCalendarStore } from "./store.ts";

describe.each(ENGINES)("calendar versions on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  const actor = { id: "prueba", note: "carga de prueba" };
  const day = { date: "2026-04-02", reason: "Jueves Santo", source: "ACDO de prueba (DOF)" };

  it("stores versions and returns the latest", async () => {
    const store = createCalendarStore(database.db);
    await store.insert({
      authority: "IMSS",
      version: "2025-1",
      days: [],
      note: "a",
      createdBy: "x",
    });
    await store.insert({
      authority: "IMSS",
      version: "2025-2",
      days: [day],
      note: "b",
      createdBy: "x",
    });
    const latest = await store.latest("IMSS");
    expect(latest?.version).toBe("2025-2");
    expect(latest?.days).toEqual([day]);
    expect((await store.byVersion("IMSS", "2025-1"))?.days).toEqual([]);
    expect((await store.list("IMSS")).map((v) => v.version)).toEqual(["2025-2", "2025-1"]);
    expect(await store.latest("SAT")).toBeUndefined();
  });

  it("refuses to update, delete or truncate a version: the history is append-only", async () => {
    const store = createCalendarStore(database.db);
    await store.insert({
      authority: "IMSS",
      version: "2025-1",
      days: [day],
      note: "a",
      createdBy: "x",
    });
    await expect(
      database.db.updateTable("calendar_versions").set({ note: "cambiada" }).execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(database.db.deleteFrom("calendar_versions").execute()).rejects.toThrow(
      /solo admite inserciones/,
    );
    // Truncating takes a right the serving role lacks; even the owner meets the trigger.
    await expect(sql`truncate calendar_versions`.execute(database.asOwner)).rejects.toThrow(
      /solo admite inserciones/,
    );
    expect((await store.latest("IMSS"))?.note).toBe("a");
  });

  it("refuses a repeated version label", async () => {
    const store = createCalendarStore(database.db);
    await store.insert({
      authority: "IMSS",
      version: "2025-1",
      days: [],
      note: "a",
      createdBy: "x",
    });
    await expect(
      store.insert({ authority: "IMSS", version: "2025-1", days: [], note: "b", createdBy: "x" }),
    ).rejects.toThrow();
  });

  it("declares days as new versions named after the Zona Centro year, keeping earlier ones", async () => {
    // 2026-01-01T03:00Z is still 31 Dec 2025 in Zona Centro: the label must say 2025.
    const service = createCalendarService(
      createCalendarStore(database.db),
      fixedClock("2026-01-01T03:00:00Z"),
    );
    await service.importVersion({ authority: "IMSS", version: "2025-1", days: [] }, actor);
    const added = await service.declareDay(day, actor);
    expect(added.version).toBe("2025-2");
    expect((await service.calendar()).version).toBe("2025-2");
    expect((await service.calendar()).isBusinessDay(Temporal.PlainDate.from(day.date))).toBe(false);
    expect(
      (await service.calendar("2025-1")).isBusinessDay(Temporal.PlainDate.from(day.date)),
    ).toBe(true);
  });

  it("refuses to declare a day that is already inhábil", async () => {
    const service = createCalendarService(
      createCalendarStore(database.db),
      fixedClock("2026-03-01T12:00:00Z"),
    );
    await service.importVersion({ authority: "IMSS", version: "2026-1", days: [day] }, actor);
    await expect(service.declareDay(day, actor)).rejects.toMatchObject({ code: "conflict" });
    await expect(
      service.declareDay({ date: "2026-09-16", reason: "x", source: "y" }, actor),
    ).rejects.toThrow(/CFF art. 12/);
    await expect(
      service.declareDay({ date: "2026-03-07", reason: "x", source: "y" }, actor),
    ).rejects.toThrow(/Sábado/);
  });

  it("gives concurrent declarations distinct, ordered versions with nothing lost", async () => {
    const service = createCalendarService(
      createCalendarStore(database.db),
      fixedClock("2026-03-01T12:00:00Z"),
    );
    await service.importVersion({ authority: "IMSS", version: "2026-1", days: [] }, actor);
    const dates = ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"];
    const versions = await Promise.all(
      dates.map((date) =>
        service.declareDay({ date, reason: "Cierre", source: "ACDO de prueba" }, actor),
      ),
    );
    expect(new Set(versions.map((v) => v.version)).size).toBe(4);
    const latest = await service.calendar();
    for (const date of dates)
      expect(latest.isBusinessDay(Temporal.PlainDate.from(date))).toBe(false);
  });

  it("gives the calendars in force at once, even a day another process declared a moment ago", async () => {
    const clock = fixedClock("2026-03-01T12:00:00Z");
    // Two processes on one database: each with its own cache of parsed versions.
    const here = createCalendarService(createCalendarStore(database.db), clock);
    const there = createCalendarService(createCalendarStore(database.db), clock);
    await expect(here.current()).rejects.toThrow(/No hay calendario IMSS cargado/);
    await here.importVersion({ authority: "IMSS", version: "2026-1", days: [] }, actor);
    await expect(here.current()).rejects.toThrow(/No hay calendario TFJA cargado/);
    await here.importVersion({ authority: "TFJA", version: "2026-T1", days: [] }, actor);
    const before = await here.current();
    expect([before.imss.version, before.tfja.version]).toEqual(["2026-1", "2026-T1"]);
    expect(before.imss.isBusinessDay(Temporal.PlainDate.from(day.date))).toBe(true);
    await there.declareDay(day, actor);
    const after = await here.current();
    expect(after.imss.version).not.toBe("2026-1");
    expect(after.imss.isBusinessDay(Temporal.PlainDate.from(day.date))).toBe(false);
    expect(after.tfja).toBe(before.tfja);
    expect((await here.calendar()).version).toBe(after.imss.version);
    expect((await here.calendar(undefined, "TFJA")).version).toBe("2026-T1");
  });

  it("loads the initial calendar once, even when asked twice at once", async () => {
    const service = createCalendarService(
      createCalendarStore(database.db),
      fixedClock("2026-03-01T12:00:00Z"),
    );
    const data = { authority: "IMSS", version: "2024-1", days: [] };
    await Promise.all([service.ensureInitial(data, actor), service.ensureInitial(data, actor)]);
    expect((await service.listVersions()).map((v) => v.version)).toEqual(["2024-1"]);
  });
});
