import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fisicaRfc, padronWith, pdfOf } from "../features/notificaciones/test-support.ts";
import { capturingOutput } from "../testing/cli.ts";
import { ENGINES } from "../testing/database.ts";
import { createTestSystem } from "../testing/server.ts";
import { documentosPublicarCommand } from "./documentos-publicar-command.ts";
import { parse, UsageError } from "./usage.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

const NOW = Temporal.Instant.from("2026-12-07T10:00:00-06:00");
const MORAL = "EKU9003173C9";
const OTRO = "AAA010101AAA";
const PUBLICADOR = "CACX7605101P8";

describe.each(ENGINES)("buzon documentos publicar --lote on %s", (engine) => {
  let system: System;
  let dir: string;

  beforeAll(async () => {
    system = await createTestSystem({ engine, clock: () => NOW });
    await padronWith(
      system.database.db,
      [
        { rfc: MORAL, registros: ["B5510768108"] },
        { rfc: OTRO, registros: ["C1234567890"] },
      ],
      NOW,
    );
    await system.staff.set({ rfc: PUBLICADOR, role: "notificador", name: "XOCHILT" }, "pruebas");
    dir = mkdtempSync(join(tmpdir(), "buzon-documentos-lote-"));
    writeFileSync(join(dir, "ema.pdf"), pdfOf(`EMA ${engine}`));
    writeFileSync(join(dir, "eba.pdf"), pdfOf(`EBA ${engine}`));
    writeFileSync(join(dir, "semanas.pdf"), pdfOf(`semanas ${engine}`));
    writeFileSync(join(dir, "texto.pdf"), "no soy un PDF");
    writeFileSync(
      join(dir, "lote.csv"),
      [
        "rfc,kind,period,registroPatronal,archivo,fileName",
        `${MORAL},propuesta_cedula_ema,2026-11,B5510768108,ema.pdf,Propuesta EMA noviembre.pdf`, // 2
        `${MORAL},propuesta_cedula_eba,2026-09,B5510768108,eba.pdf,`, // 3: odd bimester
        `${MORAL},propuesta_cedula_eba,2026-10,C1234567890,eba.pdf,`, // 4: another RFC's registro
        `${MORAL},constancia_semanas_cotizadas,2026-12-01,,semanas.pdf,`, // 5
        `${MORAL},vigencia_derechos,2026-12-01,,texto.pdf,`, // 6: not a PDF
        `${MORAL},vigencia_derechos,2026-12-01,,falta.pdf,`, // 7: no such file
        `${MORAL},vigencia_derechos,2026-12-01`, // 8: malformed row
        `${MORAL},vigencia_derechos,2026-12-01,,../fuera.pdf,`, // 9: outside the folder
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const publicar = (args: string[]) =>
    capturingOutput(() => documentosPublicarCommand(args, parse, system));

  it("publishes each row, reports each refusal with its reason, and re-runs idempotently", async () => {
    const report = join(dir, "informe.json");
    const first = await publicar(["--lote", dir, "--publicador", PUBLICADOR, "--informe", report]);
    expect(first.value, first.stderr).toBe(1);
    expect(first.stderr).toContain(
      "Documentos: 8 de 8; publicados: 2; ya publicados antes: 0; rechazados: 6.",
    );
    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(
      json.results.map((r: Record<string, unknown>) => [
        r.line,
        r.outcome,
        r.outcome === "rechazado" ? r.code : r.status,
      ]),
    ).toEqual([
      [2, "publicado", 201],
      [3, "rechazado", "documento_period_invalid"],
      [4, "rechazado", "registro_patronal_not_of_addressee"],
      [5, "publicado", 201],
      [6, "rechazado", "documento_not_pdf"],
      [7, "rechazado", "validation"],
      [8, "rechazado", "validation"],
      [9, "rechazado", "validation"],
    ]);
    expect(json.results[1].detail).toContain("mes impar no es un bimestre");
    expect(json.results[8 - 2].detail).toContain("columnas");

    const again = await publicar(["--lote", join(dir, "lote.csv"), "--publicador", PUBLICADOR]);
    expect(again.value).toBe(1);
    expect(again.stderr).toContain("publicados: 0; ya publicados antes: 2; rechazados: 6.");
    // The CSV report on stdout: one line per row.
    expect(again.stdout.split("\n")[1]).toMatch(/^2,ya_publicado,[0-9a-f-]{36},[0-9a-f]{64},,$/);
    const rows = await system.database.db.selectFrom("documentos").selectAll().execute();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.kind === "propuesta_cedula_ema")).toMatchObject({
      file_name: "Propuesta EMA noviembre.pdf",
      via: "linea_de_comandos",
      published_by: PUBLICADOR,
    });
  });

  it("reads a folder of PDFs named <RFC>_<tipo>_<periodo>[_<registro>].pdf", async () => {
    const named = mkdtempSync(join(tmpdir(), "buzon-documentos-nombres-"));
    writeFileSync(
      join(named, `${MORAL}_propuesta_cedula_eba_2026-10_B5510768108.pdf`),
      pdfOf(`nombre ${engine}`),
    );
    writeFileSync(join(named, "sin-nombre.pdf"), pdfOf(`sin nombre ${engine}`));
    const out = await publicar(["--lote", named, "--publicador", PUBLICADOR]);
    expect(out.value).toBe(1);
    expect(out.stderr).toContain("publicados: 1; ya publicados antes: 0; rechazados: 1.");
    expect(out.stderr).toContain("no se sabe de quién es");
  });

  it("refuses a publisher without the role and bad usage", async () => {
    await expect(publicar(["--lote", dir, "--publicador", OTRO])).rejects.toThrow(UsageError);
    await expect(publicar(["--lote", dir])).rejects.toThrow(/--publicador/);
    await expect(publicar(["--publicador", PUBLICADOR])).rejects.toThrow(/lote/);
    await expect(
      publicar(["--lote", join(dir, "no-existe.csv"), "--publicador", PUBLICADOR]),
    ).rejects.toThrow(UsageError);
  });
  it("publishes no more once the publicador stops being a notificador, and says so for each row left", async () => {
    const publicador = fisicaRfc("PUBL");
    await system.staff.set({ rfc: publicador, role: "notificador", name: "PABLO" }, "pruebas");
    const folder = mkdtempSync(join(tmpdir(), "buzon-documentos-baja-"));
    const rows = ["rfc,kind,period,registroPatronal,archivo,fileName"];
    for (let i = 1; i <= 3; i++) {
      writeFileSync(join(folder, `${i}.pdf`), pdfOf(`baja ${i} ${engine}`));
      rows.push(`${MORAL},constancia_semanas_cotizadas,2026-10-0${i},,${i}.pdf,`);
    }
    writeFileSync(join(folder, "lote.csv"), rows.join("\n"));
    let published = 0;
    const report = join(folder, "informe.json");
    const run = await capturingOutput(() =>
      documentosPublicarCommand(
        ["--lote", folder, "--publicador", publicador, "--concurrencia", "1", "--informe", report],
        parse,
        {
          ...system,
          documentos: {
            ...system.documentos,
            // Given de baja while the first document is published.
            publish: async (input, by) => {
              const done = await system.documentos.publish(input, by);
              if (++published === 1) await system.staff.remove(publicador, "pruebas");
              return done;
            },
          },
        },
      ),
    );
    expect(run.value, run.stderr).toBe(1);
    expect(published).toBe(1);
    const { results } = JSON.parse(readFileSync(report, "utf8"));
    expect(results.map((r: { line: number; status: number }) => [r.line, r.status])).toEqual([
      [2, 201],
      [3, 403],
      [4, 403],
    ]);
    expect(results[1]).toMatchObject({ outcome: "rechazado", code: "forbidden" });
    expect(results[1].detail).toContain(
      `${publicador} dejó de ser personal activo con rol notificador o administrador mientras se publicaba el lote: esta fila no se publicó.`,
    );
    const written = await system.database.db
      .selectFrom("documentos")
      .select("period")
      .where("published_by", "=", publicador)
      .execute();
    expect(written.map((w) => w.period)).toEqual(["2026-10-01"]);
  });
});
