import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { loadConfig, PACKAGE_ROOT } from "../platform/config.ts";
import { buzonInProcess as buzon, buzonProcess } from "../testing/cli.ts";
import { demoEnvironment, UsageError } from "./main.ts";

// In-process (the same `run` as bin/buzon.js); the first test goes through the real binary.
function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "buzon-cli-")), name);
  writeFileSync(path, content);
  return path;
}

const semanaSanta = tempFile(
  "imss.json",
  JSON.stringify({
    authority: "IMSS",
    version: "2025-1",
    days: [
      { date: "2025-04-17", reason: "Jueves Santo", source: "ACDO de prueba" },
      { date: "2025-04-18", reason: "Viernes Santo", source: "ACDO de prueba" },
    ],
  }),
);

describe("buzon plazos (a contract other programs rely on)", () => {
  it("prints the notification clock as one JSON object, whatever the machine's zone", async () => {
    const { code, stdout } = await buzonProcess(
      [
        "plazos",
        "notificacion",
        "--aviso",
        "2025-04-11T17:00:00-06:00",
        "--calendario",
        semanaSanta,
      ],
      { TZ: "America/Tijuana" },
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      avisoAt: "2025-04-11T17:00:00-06:00",
      openBy: "2025-04-16",
      deemedNotifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedAt: "2025-04-21T09:30:00-06:00",
      notifiedBy: "ministerio_de_ley",
      effectiveOn: "2025-04-22",
      recursoInconformidadBy: "2025-05-15",
      juicioNulidadBy: "2025-06-05",
      calendarVersion: "2025-1",
    });
    expect(result.explanation.length).toBeGreaterThan(3);
  });

  it("takes an opening into account", async () => {
    const { stdout } = await buzon([
      "plazos",
      "notificacion",
      "--aviso",
      "2025-04-11T17:00:00-06:00",
      "--abierto",
      "2025-04-14T20:00:00-06:00",
      "--calendario",
      semanaSanta,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      notifiedAt: "2025-04-15T09:30:00-06:00",
      notifiedBy: "apertura",
      effectiveOn: "2025-04-16",
    });
  });

  it("counts the juicio de nulidad on the shipped TFJA calendar, with --sin-medios-de-defensa and --conocimiento (issue 10)", async () => {
    const effect29Jun2026 = [
      "plazos",
      "notificacion",
      "--aviso",
      "2026-06-25T10:00:00-06:00",
      "--abierto",
      "2026-06-26T11:00:00-06:00",
    ];
    const plain = await buzon(effect29Jun2026);
    expect(plain.code).toBe(0);
    const result = JSON.parse(plain.stdout);
    expect(result).toMatchObject({
      effectiveOn: "2026-06-29",
      juicioNulidadBy: "2026-09-01",
      juicioNulidadCalendar: { authority: "TFJA", version: "2026-1" },
    });
    expect(Array.isArray(result.warnings)).toBe(true);
    const doubled = await buzon([...effect29Jun2026, "--sin-medios-de-defensa"]);
    expect(JSON.parse(doubled.stdout)).toMatchObject({
      recursoInconformidadDays: 30,
      juicioNulidadDays: 60,
      juicioNulidadBy: "2026-10-19",
    });
    const known = await buzon([...effect29Jun2026, "--conocimiento", "2026-06-25"]);
    expect(JSON.parse(known.stdout)).toMatchObject({
      effectiveOn: "2026-06-25",
      juicioNulidadBy: "2026-08-27",
    });
    // A TFJA file given explicitly: only CFF days, so 10 Aug, and a gap warning for 2026.
    const bare = tempFile(
      "tfja.json",
      JSON.stringify({ authority: "TFJA", version: "t", days: [] }),
    );
    const withFile = JSON.parse(
      (await buzon([...effect29Jun2026, "--calendario-tfja", bare])).stdout,
    );
    expect(withFile.juicioNulidadBy).toBe("2026-08-10");
    expect(withFile.juicioNulidadCalendar).toEqual({ authority: "TFJA", version: "t" });
    expect(withFile.warnings.map((w: { code: string }) => w.code)).toContain(
      "calendario_sin_declaracion",
    );
  });

  it("prints the activation deadline extended to Tue 4 Feb 2025 (CFF art. 12, last paragraph)", async () => {
    const { code, stdout } = await buzon(["plazos", "habilitacion"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      entryIntoForce: "2024-08-06",
      nominalDeadline: "2025-02-01",
      deadline: "2025-02-04",
    });
  });

  it("prints receivedAt, notifiedAt and expiresAt for the other computations", async () => {
    const promocion = await buzon([
      "plazos",
      "promocion",
      "--enviada",
      "2025-04-17T11:00:00-06:00",
      "--calendario",
      semanaSanta,
    ]);
    expect(JSON.parse(promocion.stdout).receivedAt).toBe("2025-04-21T00:00:00-06:00");
    const emision = await buzon([
      "plazos",
      "emision",
      "--at",
      "2025-04-16T08:00:00-06:00",
      "--calendario",
      semanaSanta,
    ]);
    expect(JSON.parse(emision.stdout).notifiedAt).toBe("2025-04-21T09:30:00-06:00");
    const validacion = await buzon([
      "plazos",
      "validacion",
      "--registrado",
      "2025-02-03T10:07:00-06:00",
    ]);
    expect(JSON.parse(validacion.stdout).expiresAt).toBe("2025-02-06T10:07:00-06:00");
  });

  it("prints the estrados clock: ten business days from the day after publication, notified the eleventh at 00:00 (CFF art. 139)", async () => {
    const { code, stdout } = await buzon([
      "plazos",
      "estrados",
      "--publicada",
      "2025-04-11T12:00:00-06:00",
      "--calendario",
      semanaSanta,
      "--sin-medios-de-defensa",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      publishedAt: "2025-04-11T12:00:00-06:00",
      lastPublicationDay: "2025-04-29",
      notifiedOn: "2025-04-30",
      notifiedAt: "2025-04-30T00:00:00-06:00",
      notifiedBy: "estrados",
      effectiveOn: "2025-05-02",
      recursoInconformidadDays: 30,
      juicioNulidadCalendar: { authority: "TFJA", version: "2026-1" },
      calendarVersion: "2025-1",
    });
    expect(result.publicationDays).toHaveLength(10);
    expect(result.explanation[0].rule).toBe("estrados");
    const missing = await buzon(["plazos", "estrados"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--publicada");
    const wrong = await buzon([
      "plazos",
      "estrados",
      "--publicada",
      "2025-04-11T12:00:00-06:00",
      "--abierto",
      "2025-04-14T12:00:00-06:00",
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("no aplica");
  });

  it("reads a calendar file saved with a byte-order mark", async () => {
    const file = tempFile(
      "bom.json",
      `\uFEFF${JSON.stringify({ authority: "IMSS", version: "bom-1", days: [] })}`,
    );
    const { code, stdout } = await buzon([
      "plazos",
      "emision",
      "--at",
      "2025-04-11T17:00:00-06:00",
      "--calendario",
      file,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).calendarVersion).toBe("bom-1");
  });

  it("uses the shipped IMSS calendar when none is given", async () => {
    const { code, stdout } = await buzon([
      "plazos",
      "emision",
      "--at",
      "2025-04-17T11:00:00-06:00",
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      calendarAuthority: "IMSS",
      calendarVersion: "2024-1",
    });
  });

  it.each([
    [["plazos", "notificacion", "--aviso", "mañana"], "no es un instante ISO 8601"],
    [["plazos", "notificacion", "--aviso", "2025-04-11T17:00:00"], "con zona horaria"],
    [["plazos", "notificacion"], "Falta la opción obligatoria --aviso"],
    [
      ["plazos", "notificacion", "--aviso", "2025-04-11T17:00:00-06:00", "--tarde"],
      "Opción desconocida: --tarde",
    ],
    [["plazos", "promocion", "--aviso", "2025-04-11T17:00:00-06:00"], "no aplica"],
    [["plazos", "vencimiento"], "Cálculo desconocido"],
    [
      ["plazos", "emision", "--at", "2025-04-11T17:00:00-06:00", "--calendario", "/no/existe.json"],
      "No existe el archivo",
    ],
    [
      [
        "plazos",
        "emision",
        "--at",
        "2025-04-11T17:00:00-06:00",
        "--calendario",
        tempFile("x.json", "{"),
      ],
      "no es JSON válido",
    ],
    [
      [
        "plazos",
        "emision",
        "--at",
        "2025-04-11T17:00:00-06:00",
        "--calendario",
        tempFile(
          "y.json",
          JSON.stringify({
            authority: "IMSS",
            version: "1",
            days: [{ date: "2025-13-01", reason: "x", source: "y" }],
          }),
        ),
      ],
      "/days/0/date",
    ],
    [["volar"], "Comando desconocido"],
    [
      [
        "plazos",
        "emision",
        "--at",
        "2025-04-11T17:00:00-06:00",
        "--at",
        "2025-04-12T17:00:00-06:00",
      ],
      "se dio más de una vez",
    ],
    [
      ["plazos", "emision", "--at", "2025-04-11T17:00:00-06:00", "--calendario", tmpdir()],
      "no es un archivo de calendario",
    ],
    [
      ["plazos", "emision", "--at", "2023-04-11T17:00:00-06:00"],
      "fuera del intervalo que el sistema calcula (2024–2200)",
    ],
    [
      [
        "plazos",
        "notificacion",
        "--aviso",
        "2026-06-25T10:00:00-06:00",
        "--calendario-tfja",
        semanaSanta,
      ],
      "El calendario de --calendario-tfja debe ser de la autoridad TFJA",
    ],
    [
      [
        "plazos",
        "notificacion",
        "--aviso",
        "2026-06-25T10:00:00-06:00",
        "--calendario",
        join(PACKAGE_ROOT, "calendarios/tfja.json"),
      ],
      "El calendario de --calendario debe ser de la autoridad IMSS",
    ],
    [
      ["plazos", "notificacion", "--aviso", "2026-06-25T10:00:00-06:00", "--conocimiento", "ayer"],
      "conocimiento",
    ],
    [
      [
        "plazos",
        "notificacion",
        "--aviso",
        "2026-06-25T10:00:00-06:00",
        "--sin-medios-de-defensa=si",
      ],
      "no lleva valor",
    ],
    [
      ["plazos", "promocion", "--enviada", "2025-04-11T17:00:00-06:00", "--sin-medios-de-defensa"],
      "no aplica",
    ],
    [["serve", "--demo=yes"], "La opción --demo no lleva valor."],
    // No English placeholder from node:util («--conocimiento <value>»): the option's name alone.
    [
      ["plazos", "notificacion", "--aviso", "2026-06-25T10:00:00-06:00", "--conocimiento"],
      "Falta el valor de la opción --conocimiento. Ejecute «buzon help».",
    ],
  ])("refuses %j with a clear message and a non-zero exit", async (args, message) => {
    const { code, stdout, stderr } = await buzon(args);
    expect(code).not.toBe(0);
    expect(stdout).toBe("");
    expect(stderr).toContain(message);
  });
});

describe("buzon migrate", () => {
  // Creating an embedded database is PGlite initialising itself: seconds, more on a busy machine.
  it("creates the embedded database and is idempotent", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-data-"));
    const first = await buzon(["migrate"], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("0001_calendar_versions");
    const second = await buzon(["migrate"], { DATA_DIR: dataDir });
    expect(second.stdout).toContain("ya está al día");
  }, 120_000);

  it.skipIf(!process.env.TEST_DATABASE_URL)(
    "migrates a PostgreSQL database named by DATABASE_URL",
    async () => {
      const base = process.env.TEST_DATABASE_URL!;
      const name = `buzon_cli_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`create database ${name}`);
      try {
        const url = new URL(base);
        url.pathname = `/${name}`;
        const first = await buzon(["migrate"], { DATABASE_URL: url.toString() });
        expect(first.code).toBe(0);
        expect(first.stdout).toContain("0001_calendar_versions");
        const second = await buzon(["migrate"], { DATABASE_URL: url.toString() });
        expect(second.stdout).toContain("ya está al día");
        const rebuilt = await buzon(["migrate", "--reconstruir-proyecciones"], {
          DATABASE_URL: url.toString(),
        });
        expect(rebuilt.code).toBe(0);
        expect(rebuilt.stdout).toContain("Proyecciones reconstruidas desde sus eventos");
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    },
  );

  it("refuses a bad configuration before touching anything", async () => {
    const { code, stderr } = await buzon(["migrate"], { DATABASE_URL: "mysql://nope" });
    expect(code).toBe(2);
    expect(stderr).toContain("DATABASE_URL debe comenzar con postgres://");
  });
});

describe("demoEnvironment", () => {
  it("keeps demo data in their own embedded database, with no shared token", () => {
    const env = demoEnvironment({});
    expect(env.DATA_DIR).toBe(join(PACKAGE_ROOT, "data/demo"));
    expect(env.DATA_DIR).not.toBe(loadConfig({}).dataDir);
    expect(env.BUZON_ADMIN_TOKEN).toBeUndefined();
    expect(demoEnvironment({ DATA_DIR: "/tmp/x" }).DATA_DIR).toBe("/tmp/x");
  });

  it("keeps request logs out of the demo's terminal unless LOG_LEVEL asks for them", () => {
    expect(loadConfig(demoEnvironment({})).logLevel).toBe("warn");
    expect(loadConfig(demoEnvironment({ LOG_LEVEL: "info" })).logLevel).toBe("info");
  });

  it("refuses to put demo data in PostgreSQL or in production", () => {
    expect(() => demoEnvironment({ DATABASE_URL: "postgres://x/y" })).toThrow(UsageError);
    expect(() => demoEnvironment({ BUZON_ENV: "production" })).toThrow("--demo no se permite");
  });
});
