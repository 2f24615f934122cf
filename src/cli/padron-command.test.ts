import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createPadronStore } from "../features/padron/store.ts";
import { openDatabase } from "../platform/db/database.ts";
import { buzonInProcess } from "../testing/cli.ts";

const HEADER = "rfc,nombre,persona,registros_patronales,correo,habilitado_2020";

function csv(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), "buzon-padron-")), "padron.csv");
  writeFileSync(path, `${[HEADER, ...lines].join("\n")}\n`);
  return path;
}

const GOOD = [
  "EKU9003173C9,ESCUELA KEMPER URGATE SA DE CV,moral,B5510768108;Y5412345109,nomina@kemper.com.mx,",
  'XOJO740919U48,"XOCHITL, OSCAR",fisica,,oscar@example.com,2021-03-15',
];

// Each call opens (and migrates) the PGlite data directory anew, as the real command does.
describe("buzon padron importar", { timeout: 180_000 }, () => {
  it("imports, reports each refused row with its line and reason, and re-imports idempotently", async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-data-")) };
    const file = csv([
      ...GOOD,
      "EKU900317,MAL RFC,moral,,,", // line 4
      "CACX7605101P8,OTRA PERSONA,fisica,B5510768108,,", // line 5: registro of line 2's RFC
      "CACX7605101P8,OTRA PERSONA,moral,,,", // line 6: persona contradicts the RFC
      "EKU9003173C9,REPETIDA SA,moral,,,", // line 7: duplicate RFC
      "MISM8105201A8,MISMA,fisica,,correo@,", // line 8: bad e-mail
      "MISM8105201A9,MISMA,fisica,B551076810,,", // line 9: bad registro patronal
      "MISM8105201A7,MISMA,fisica,,", // line 10: wrong number of columns
    ]);
    const first = await buzonInProcess(["padron", "importar", file], env);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toContain("Filas leídas: 9; nuevas: 2;");
    expect(first.stdout).toContain(
      "Filas leídas: 9; nuevas: 2; actualizadas: 0; sin cambios: 0; rechazadas: 7.",
    );
    const refused = first.stdout.split("\n").filter((l) => l.startsWith("Rechazada"));
    expect(refused.map((l) => /línea (\d+)/.exec(l)?.[1])).toEqual([
      "4",
      "5",
      "6",
      "7",
      "8",
      "9",
      "10",
    ]);
    expect(refused[0]).toMatch(/12 caracteres/);
    expect(refused[1]).toMatch(
      /«B5510768108» ya aparece en este archivo para el RFC «EKU9003173C9»/,
    );
    expect(refused[2]).toMatch(/persona física/);
    expect(refused[3]).toMatch(/ya apareció en la línea 2/);
    expect(refused[4]).toMatch(/correo electrónico/);
    expect(refused[5]).toMatch(/10 dígitos/);
    expect(refused[6]).toMatch(/columnas/);

    const again = await buzonInProcess(["padron", "importar", file], env);
    expect(again.stdout).toContain("nuevas: 0; actualizadas: 0; sin cambios: 2; rechazadas: 7.");

    const changed = csv([
      "EKU9003173C9,ESCUELA KEMPER URGATE SA DE CV,moral,Y5412345109,otro@kemper.com.mx,",
      GOOD[1]!,
      "CACX7605101P8,OTRA PERSONA,fisica,B5510768108,,",
    ]);
    const third = await buzonInProcess(["padron", "importar", changed], env);
    expect(third.code, third.stdout).toBe(0);
    // The first row releases B5510768108 and the third takes it, in one file.
    expect(third.stdout).toContain("nuevas: 1; actualizadas: 1; sin cambios: 1; rechazadas: 0.");

    const taken = csv(["CACX7605101P8,OTRA PERSONA,fisica,Y5412345109,,"]);
    const fourth = await buzonInProcess(["padron", "importar", taken], env);
    expect(fourth.code).toBe(1);
    expect(fourth.stdout).toMatch(
      /línea 2 \(CACX7605101P8\): El registro patronal «Y5412345109» pertenece en el padrón al RFC «EKU9003173C9»/,
    );

    const database = openDatabase({ engine: "pglite", dataDir: env.DATA_DIR });
    try {
      const store = createPadronStore(database.db);
      expect(await store.byRfc("EKU9003173C9")).toMatchObject({
        registrosPatronales: ["Y5412345109"],
        emailOnFile: "otro@kemper.com.mx",
      });
      expect((await store.byRfc("XOJO740919U48"))?.habilitacion2020).toEqual({
        at: new Date("2021-03-15T06:00:00Z"),
      });
      expect(await store.byRfc("CACX7605101P8")).toMatchObject({
        registrosPatronales: ["B5510768108"],
      });
    } finally {
      await database.close();
    }
  });

  it("refuses a missing file, a wrong header and broken quoting with exit code 2", async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-data-")) };
    const missing = await buzonInProcess(["padron", "importar", "/nonexistent/padron.csv"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("No existe el archivo");

    const headerless = join(mkdtempSync(join(tmpdir(), "buzon-padron-")), "sin.csv");
    writeFileSync(headerless, `${GOOD[0]}\n`);
    const header = await buzonInProcess(["padron", "importar", headerless], env);
    expect(header.code).toBe(2);
    expect(header.stderr).toContain("encabezado");

    const broken = csv([GOOD[0]!, 'CACX7605101P8,"SIN CIERRE,fisica,,,']);
    const quoting = await buzonInProcess(["padron", "importar", broken], env);
    expect(quoting.code).toBe(2);
    expect(quoting.stderr).toMatch(/no es un CSV válido cerca de la línea/);

    const usage = await buzonInProcess(["padron", "borrar"], env);
    expect(usage.code).toBe(2);
  });

  it("lists those notifiable por estrados and sends the reminder once per campaign", async () => {
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), "buzon-data-")) };
    const file = csv([...GOOD, "CACX7605101P8,SIN CORREO,fisica,,,"]);
    expect((await buzonInProcess(["padron", "importar", file], env)).code).toBe(0);

    const estrados = await buzonInProcess(["padron", "estrados"], env);
    expect(estrados.code).toBe(0);
    expect(
      estrados.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[0]),
    ).toEqual(["CACX7605101P8", "EKU9003173C9"]);
    expect(estrados.stderr).toContain("2 particulares sin buzón habilitado");

    const first = await buzonInProcess(["padron", "recordatorio", "--campana", "c1"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain("Destinatarios: 1; encolados: 1; ya encolados antes: 0.");
    expect(first.stdout).toContain("plazo del transitorio primero: 2025-02-04");
    expect(first.stdout).toContain("sin correo en registros: 1");
    const again = await buzonInProcess(["padron", "recordatorio", "--campana", "c1"], env);
    expect(again.stdout).toContain("Destinatarios: 1; encolados: 0; ya encolados antes: 1;");

    const bad = await buzonInProcess(["padron", "recordatorio", "--campana", "Á B"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("nombre de campaña");
  });
});
