import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePromocion, particularWithMailbox } from "../features/promociones/test-support.ts";
import { fisicaRfc, pdfOf } from "../testing/acts.ts";
import { buzonInProcess as buzon } from "../testing/cli.ts";
import { ENGINES } from "../testing/database.ts";
import { createTestSystem, type TestSystem } from "../testing/server.ts";

/**
 * Issue 12 §5: «`receivedAt` is the instant `buzon plazos promocion --enviada <sentAt>` gives».
 * The server counts on the calendar version in force in its database (days declared there
 * included); `--calendario-version` makes the CLI count on that very version, read from the same database,
 * so anyone can reproduce an acuse's instant from what the acuse names. PostgreSQL only: the
 * CLI reaches the database the server uses through DATABASE_URL.
 */
describe.runIf(ENGINES.includes("postgres"))(
  "buzon plazos --calendario-version on postgres",
  () => {
    // Wednesday 16 Dec 2026, 10:00 Zona Centro: a business day in the shipped calendar.
    const sentAt = Temporal.Instant.from("2026-12-16T10:00:00-06:00");
    let system: TestSystem;
    beforeAll(async () => {
      system = await createTestSystem({
        engine: "postgres",
        trustDevCa: true,
        clock: () => sentAt,
      });
    });
    afterAll(async () => {
      await system.app.close();
    });

    it("gives the receivedAt of a promoción filed on a day the Institute declared non-business", async () => {
      const declared = await system.calendars.declareDay(
        { date: "2026-12-16", reason: "Suspensión de labores", source: "ACDO de prueba" },
        { id: "pruebas", note: "día declarado" },
      );
      const who = await particularWithMailbox(system, fisicaRfc("PLAZ"), sentAt);
      const filed = await filePromocion(system.app, who, [
        { name: "escrito.pdf", bytes: pdfOf("versión") },
      ]);
      // Received at 00:00 of the next business day, on the version the acuse names.
      expect(filed.receivedAt).toBe("2026-12-17T00:00:00-06:00");
      const acuse = await system.evidence.acuseByFolio(filed.acuse.folio);
      expect(acuse?.calendarVersion).toBe(declared.version);

      const env = system.database.env;
      const withVersion = await buzon(
        [
          "plazos",
          "promocion",
          "--enviada",
          sentAt.toString(),
          "--calendario-version",
          declared.version,
        ],
        env,
      );
      expect(withVersion.stderr).toBe("");
      expect(withVersion.code).toBe(0);
      const computed = JSON.parse(withVersion.stdout);
      expect(computed.receivedAt).toBe(filed.receivedAt);
      expect(computed.calendarVersion).toBe(declared.version);

      // The shipped file does not know the declared day: without --calendario-version the answer differs,
      // which is why an acuse is reproduced with the version it names.
      const shipped = await buzon(["plazos", "promocion", "--enviada", sentAt.toString()], env);
      expect(JSON.parse(shipped.stdout).receivedAt).toBe("2026-12-16T10:00:00-06:00");
    });

    it("refuses a version the database does not hold, and a file together with a version", async () => {
      const env = system.database.env;
      const unknown = await buzon(
        ["plazos", "promocion", "--enviada", sentAt.toString(), "--calendario-version", "1999-9"],
        env,
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("No existe la versión «1999-9» del calendario IMSS");
      const both = await buzon(
        [
          "plazos",
          "promocion",
          "--enviada",
          sentAt.toString(),
          "--calendario-version",
          "test-1",
          "--calendario",
          "calendarios/imss.json",
        ],
        env,
      );
      expect(both.code).toBe(2);
      expect(both.stderr).toContain("no ambas");
    });
  },
);

describe("buzon plazos --calendario-version without a server database", () => {
  it("refuses an empty DATA_DIR in Spanish, and creates nothing there", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-sin-base-"));
    const result = await buzon(
      [
        "plazos",
        "promocion",
        "--enviada",
        "2026-12-16T10:00:00-06:00",
        "--calendario-version",
        "2026-1",
      ],
      { DATA_DIR: dir, DATABASE_URL: "" },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No hay base de datos del servidor en DATA_DIR=${dir}`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
