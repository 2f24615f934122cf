import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  enableMailbox,
  fisicaRfc,
  padronWith,
  pdfOf,
  signerOf,
} from "../features/notificaciones/test-support.ts";
import type { IssuedEfirma } from "../platform/crypto/dev-ca.ts";
import { capturingOutput } from "../testing/cli.ts";
import { ENGINES } from "../testing/database.ts";
import { issueFisicaEfirma } from "../testing/efirma.ts";
import { ndjsonLines } from "../testing/ndjson.ts";
import { createTestSystem } from "../testing/server.ts";
import { evidenciaCommand, type NotificationCommandSystem } from "./evidencia-command.ts";
import { notificarCommand } from "./notificar-command.ts";
import { parse, UsageError } from "./usage.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

const MONDAY = Temporal.Instant.from("2026-12-14T10:00:00-06:00");
const MORAL = "EKU9003173C9";
const SIN_BUZON = "AAA010101AAA";
const HEADER =
  "idempotencyKey,rfc,registroPatronal,actType,oficio,issuingUnit,documentName,documento,firma";

describe.each(ENGINES)("buzon notificar --lote and buzon evidencia on %s", (engine) => {
  let system: System;
  let given: NotificationCommandSystem;
  let notificador: IssuedEfirma;
  let dir: string;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => MONDAY,
    });
    given = { ...system, maxDocumentBytes: 1024 * 1024 };
    await padronWith(system.database.db, [{ rfc: MORAL }, { rfc: SIN_BUZON }], MONDAY);
    await enableMailbox(system.database.db, MORAL, MONDAY);
    notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
    await system.staff.set({ rfc: notificador.rfc, role: "notificador", name: "NORA" }, "pruebas");
    const sign = await signerOf(notificador);
    // A lote folder: pairs documento.pdf + documento.pdf.p7s and its lote.csv.
    dir = mkdtempSync(join(tmpdir(), "buzon-lote-"));
    mkdirSync(join(dir, "pdf"));
    for (const name of ["a", "b", "c", "d"]) {
      const pdf = pdfOf(`acto ${name} ${engine}`);
      writeFileSync(join(dir, "pdf", `${name}.pdf`), pdf);
      writeFileSync(join(dir, "pdf", `${name}.pdf.p7s`), sign(pdf));
    }
    // A link inside the folder to a file outside it (read it and a lote reads anything).
    const outside = mkdtempSync(join(tmpdir(), "buzon-fuera-"));
    writeFileSync(join(outside, "secreto.pdf"), pdfOf("fuera"));
    symlinkSync(join(outside, "secreto.pdf"), join(dir, "pdf", "enlace.pdf"));
    // d's signature is over another document.
    writeFileSync(join(dir, "pdf", "d.pdf.p7s"), sign(pdfOf("otro")));
    writeFileSync(
      join(dir, "lote.csv"),
      [
        HEADER,
        `,${MORAL},,7.1,OF/1,Subdelegación Centro,,pdf/a.pdf,`, // 2: deposited
        `clave-b,${SIN_BUZON},,7.2,OF/2,Subdelegación Centro,Multa.pdf,pdf/b.pdf,pdf/b.pdf.p7s`, // 3: estrados
        `,BBB010101BB1,,7.1,OF/3,Subdelegación Centro,,pdf/c.pdf,`, // 4: not in padrón
        `,${MORAL},,7.1,OF/4,Subdelegación Centro,,pdf/d.pdf,`, // 5: signature of another
        `,${MORAL},,7.1,OF/5,Subdelegación Centro,,pdf/falta.pdf,`, // 6: no such file
        `,${MORAL},,7.1,OF/6,Subdelegación Centro,,../fuera.pdf,`, // 7: outside the folder
        `,${MORAL},,7.99,OF/7,Subdelegación Centro,,pdf/a.pdf,`, // 8: unknown act type
        `,${MORAL},,7.1,OF/8,Subdelegación Centro,,pdf/enlace.pdf,pdf/a.pdf.p7s`, // 9: link out
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const notificar = (args: string[]) => capturingOutput(() => notificarCommand(args, parse, given));

  it("deposits each row through the service, reports each outcome, and re-runs idempotently", async () => {
    const report = join(dir, "informe.json");
    const first = await notificar([
      "--lote",
      dir,
      "--depositante",
      notificador.rfc,
      "--informe",
      report,
    ]);
    expect(first.value, first.stderr).toBe(1);
    expect(first.stderr).toContain(
      "Actos: 8 de 8; depositados: 2; ya depositados antes: 0; rechazados: 6.",
    );
    const json = JSON.parse(readFileSync(report, "utf8"));
    const rows = json.results.map((r: Record<string, unknown>) => [
      r.line,
      r.outcome,
      r.outcome === "rechazado" ? r.code : r.state,
    ]);
    expect(rows).toEqual([
      [2, "depositado", "pendiente"],
      [3, "depositado", "estrados"],
      [4, "rechazado", "addressee_not_in_padron"],
      [5, "rechazado", "document_signature_invalid"],
      [6, "rechazado", "validation"],
      [7, "rechazado", "validation"],
      [8, "rechazado", "unknown_act_type"],
      [9, "rechazado", "validation"],
    ]);
    expect(json.results[7].detail).toContain("fuera de la carpeta del lote");
    expect(json.results[0].avisoAt).toBe("2026-12-14T10:00:00-06:00");
    expect(json.results[0].idempotencyKey).toMatch(/^lote-[0-9a-f]{64}$/);
    expect(json.results[1].idempotencyKey).toBe("clave-b");
    expect(json.results[2].detail).toContain("no está en el padrón");
    expect(first.stderr).toContain("Rechazada, línea 6: validation: No existe el documento");

    // The same lote again: nothing deposited twice; the CSV report on stdout.
    const again = await notificar([
      "--lote",
      join(dir, "lote.csv"),
      "--depositante",
      notificador.rfc,
    ]);
    expect(again.value).toBe(1);
    expect(again.stderr).toContain("depositados: 0; ya depositados antes: 2; rechazados: 6.");
    const lines = again.stdout.trim().split("\n");
    expect(lines[0]).toBe("linea,idempotencyKey,resultado,id,state,avisoAt,code,detail");
    expect(lines[1]).toContain(`,ya_depositado,${json.results[0].id},pendiente,`);
    expect(lines).toHaveLength(9);

    // The evidence package of the act just deposited.
    const out = join(dir, "evidencia.zip");
    const zip = await capturingOutput(() =>
      evidenciaCommand([json.results[0].id, "--salida", out], parse, given),
    );
    expect(zip.value).toBe(0);
    expect(zip.stdout).toContain(`Paquete de evidencia del acto ${json.results[0].id}: ${out}`);
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    expect(Buffer.from(files["documento.pdf"]!).equals(pdfOf(`acto a ${engine}`))).toBe(true);
    // The audit trail says an operator took it at the command line.
    const audited = await system.database.db
      .selectFrom("auth_events")
      .selectAll()
      .where("event", "=", "evidencia")
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ rfc: null, reason: "paquete_entregado" });
    expect(audited[0]!.detail).toMatchObject({
      notificacionId: json.results[0].id,
      via: "linea_de_comandos",
      by: expect.stringMatching(/^linea de comandos \(/),
      sha256: createHash("sha256").update(readFileSync(out)).digest("hex"),
    });
    // Never overwritten.
    await expect(
      capturingOutput(() => evidenciaCommand([json.results[0].id, "--salida", out], parse, given)),
    ).rejects.toThrow(UsageError);
    const missing = await capturingOutput(() =>
      evidenciaCommand(["BI-20200101-000000001"], parse, given),
    );
    expect(missing.value).toBe(1);
    expect(missing.stderr).toContain("No encontramos un acto notificado");
  });

  it("refuses a depositor who is not a notificador, and a lote without its columns", async () => {
    await expect(notificar(["--lote", dir, "--depositante", fisicaRfc("NADI")])).rejects.toThrow(
      /no es personal activo/,
    );
    const bad = mkdtempSync(join(tmpdir(), "buzon-lote-"));
    writeFileSync(join(bad, "lote.csv"), "rfc,oficio\nX,1\n");
    await expect(notificar(["--lote", bad, "--depositante", notificador.rfc])).rejects.toThrow(
      /faltan: actType, issuingUnit, documento/,
    );
  });

  it("deposits no more chunks once the depositante stops being a notificador, and says so for each row left", async () => {
    const depositante = await issueFisicaEfirma(fisicaRfc("DEPO"), "DORA DEPOSITA");
    await system.staff.set({ rfc: depositante.rfc, role: "notificador", name: "DORA" }, "pruebas");
    const sign = await signerOf(notificador);
    // 101 rows: a chunk of 100, then one more.
    const folder = mkdtempSync(join(tmpdir(), "buzon-lote-baja-"));
    const rows = [HEADER];
    for (let i = 0; i < 101; i++) {
      const pdf = pdfOf(`baja ${i} ${engine}`);
      writeFileSync(join(folder, `${i}.pdf`), pdf);
      writeFileSync(join(folder, `${i}.pdf.p7s`), sign(pdf));
      rows.push(`baja-${engine}-${i},${MORAL},,7.1,OF/baja/${i},Subdelegación Centro,,${i}.pdf,`);
    }
    writeFileSync(join(folder, "lote.csv"), rows.join("\n"));
    let chunks = 0;
    const report = join(folder, "informe.json");
    const run = await capturingOutput(() =>
      notificarCommand(
        [
          "--lote",
          folder,
          "--depositante",
          depositante.rfc,
          "--concurrencia",
          "1",
          "--informe",
          report,
        ],
        parse,
        {
          ...given,
          notificaciones: {
            ...system.notificaciones,
            // Given de baja while the first chunk is written.
            depositMany: async (inputs, depositor) => {
              const done = await system.notificaciones.depositMany(inputs, depositor);
              if (++chunks === 1) await system.staff.remove(depositante.rfc, "pruebas");
              return done;
            },
          },
        },
      ),
    );
    expect(run.value, run.stderr).toBe(1);
    expect(chunks).toBe(1);
    const { results } = JSON.parse(readFileSync(report, "utf8"));
    expect(results.slice(0, 100).every((r: { status: number }) => r.status === 201)).toBe(true);
    expect(results[100]).toMatchObject({
      line: 102,
      idempotencyKey: `baja-${engine}-100`,
      status: 403,
      outcome: "rechazado",
      code: "forbidden",
    });
    expect(results[100].detail).toContain(
      `${depositante.rfc} dejó de ser personal activo con rol notificador o administrador mientras se depositaba el lote: esta fila no se depositó.`,
    );
    expect(run.stderr).toContain("Rechazada, línea 102: forbidden:");
    const written = await system.database.db
      .selectFrom("notificaciones")
      .select("idempotency_key")
      .where("idempotency_key", "like", `baja-${engine}-%`)
      .where("deposited_by", "=", depositante.rfc)
      .execute();
    expect(written).toHaveLength(100);
    expect(written.map((w) => w.idempotency_key)).not.toContain(`baja-${engine}-100`);
  });

  it("POST /api/v1/notificaciones/lote answers 207 with each item's own outcome", async () => {
    const sign = await signerOf(notificador);
    const item = (key: string, text: string, signed = text) => {
      const pdf = pdfOf(`${text} ${engine}`);
      return {
        idempotencyKey: key,
        rfc: MORAL,
        actType: "7.1",
        oficio: `OF/${key}`,
        issuingUnit: "Subdelegación Centro",
        documentName: "Acto.pdf",
        document: pdf.toString("base64"),
        signature: sign(pdfOf(`${signed} ${engine}`)).toString("base64"),
      };
    };
    const send = (items: object[]) =>
      system.app.inject({
        method: "POST",
        url: "/api/v1/notificaciones/lote",
        payload: { items },
        headers: { authorization: `Bearer ${system.adminToken}` },
      });
    const items = [item("api-1", "uno"), item("api-2", "dos", "otro"), item("api-3", "tres")];
    const first = await send(items);
    expect(first.statusCode).toBe(207);
    const results = first.json().results;
    expect(results.map((r: { status: number; outcome: string }) => [r.status, r.outcome])).toEqual([
      [201, "depositado"],
      [422, "rechazado"],
      [201, "depositado"],
    ]);
    expect(results[1].code).toBe("document_signature_invalid");
    // Again: nothing twice; the same key with other content is that item's 409.
    const again = await send([items[0]!, item("api-3", "cambiado")]);
    expect(again.json().results.map((r: { status: number }) => r.status)).toEqual([200, 409]);
    expect(again.json().results[0].id).toBe(results[0].id);
    const tooMany = await send(Array.from({ length: 101 }, () => items[0]!));
    expect(tooMany.statusCode).toBe(400);
    const anonymous = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones/lote",
      payload: { items: [items[0]] },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("POST /api/v1/notificaciones/lote streams its progress and then its report as NDJSON when asked", async () => {
    const sign = await signerOf(notificador);
    const items = Array.from({ length: 5 }, (_, i) => {
      const pdf = pdfOf(`ndjson ${i} ${engine}`);
      return {
        idempotencyKey: `ndjson-${engine}-${i}`,
        rfc: MORAL,
        actType: "7.1",
        oficio: `OF/ndjson/${i}`,
        issuingUnit: "Subdelegación Centro",
        documentName: "Acto.pdf",
        document: pdf.toString("base64"),
        // The fourth is signed over other bytes: refused, the rest deposited.
        signature: sign(i === 3 ? pdfOf(`otro ${engine}`) : pdf).toString("base64"),
      };
    });
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones/lote",
      payload: { items },
      headers: {
        authorization: `Bearer ${system.adminToken}`,
        accept: "application/x-ndjson, application/json;q=0.5",
      },
    });
    const lines = ndjsonLines(response);
    const progress = lines.slice(0, -1).map((l) => l.progreso);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({
      total: 5,
      done: 5,
      deposited: 4,
      alreadyDeposited: 0,
      refused: 1,
    });
    const done = progress.map((p: { done: number }) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const results = lines.at(-1).resultado.results;
    expect(results.map((r: { status: number }) => r.status)).toEqual([201, 201, 201, 422, 201]);
    // The same request without the Accept: the 207 of before, every item already there.
    const again = await system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones/lote",
      payload: { items },
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(again.statusCode).toBe(207);
    expect(again.json().results.map((r: { status: number }) => r.status)).toEqual([
      200, 200, 200, 422, 200,
    ]);
  });
});
