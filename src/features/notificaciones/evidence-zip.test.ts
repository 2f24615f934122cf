import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AcuseKind } from "../../domain/evidence/acuse.ts";
import { parseAcuseExport } from "../../domain/evidence/acuse-export.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { buzonInProcess } from "../../testing/cli.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { createTestSystem, TEST_ADMIN_RFC } from "../../testing/server.ts";
import { signInWith } from "../../testing/sign-in.ts";
import { createDelivery } from "../delivery/service.ts";
import type { Transport } from "../delivery/transports.ts";
import { verifyAcuseExport } from "../verification/offline.ts";
import type { AcuseVerification } from "../verification/types.ts";
import { appendNotificacionEvent, eventsOf } from "./store.ts";
import { notificacionTemplates } from "./templates.ts";
import { enableMailbox, fisicaRfc, padronWith, pdfOf, signerOf } from "./test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

const at = (text: string) => Temporal.Instant.from(text);
/** Monday 14 Dec 2026, 10:00 Zona Centro: inside the window, the aviso counts at once. */
const MONDAY = at("2026-12-14T10:00:00-06:00");
const MORAL = "EKU9003173C9";
const AVISO_KIND: AcuseKind = "aviso_notificacion";
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Who takes the packages the tests ask for directly. */
const READER = { via: "linea_de_comandos", by: "pruebas" } as const;

describe.each(ENGINES)("evidence package on %s", (engine) => {
  let system: System;
  let now = MONDAY;
  let notificador: IssuedEfirma;
  let actId: string;
  let pdf: Buffer;
  const folios: string[] = [];

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => now,
    });
    const db = system.database.db;
    await padronWith(db, [{ rfc: MORAL }], now);
    await enableMailbox(db, MORAL, now);
    notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
    await system.staff.set({ rfc: notificador.rfc, role: "notificador", name: "NORA" }, "pruebas");
    const sign = await signerOf(notificador);
    pdf = pdfOf("acto con evidencia");
    const deposited = await system.notificaciones.deposit(
      {
        idempotencyKey: "evidencia-1",
        rfc: MORAL,
        actType: "7.1",
        oficio: "09 53 01 9200/1",
        issuingUnit: "Subdelegación Centro",
        documentName: "Resolución.pdf",
        document: pdf.toString("base64"),
        signature: sign(pdf).toString("base64"),
      },
      { rfc: notificador.rfc, via: "sesion" },
    );
    actId = deposited.id;
    // The avisos go out (one attempt each, recorded per address).
    const ok: Transport = { send: async () => ({ ok: true, response: "250 ok" }) };
    const delivery = createDelivery({
      db,
      clock: () => now,
      templates: notificacionTemplates,
      email: ok,
      sms: ok,
      maxAttempts: 3,
      backoffSeconds: 60,
      messageIdDomain: "buzon.example",
      log: { info() {}, warn() {} },
    });
    await delivery.deliverDue();
    delivery.close();
    // The aviso's acuse as the sweep seals it (with its statement), then an opening's.
    await system.notificacionSweeps.issueAvisos();
    const avisoEvent = (await eventsOf(db, [actId]))
      .get(actId)
      ?.find((e) => e.type === "aviso_emitido");
    folios.push(avisoEvent!.acuse_folio!);
    // A checkpoint between the two: their proofs start against different trees.
    await system.evidence.publishCheckpoint();
    const document = { name: "Resolución.pdf", sha256: sha256(pdf), bytes: pdf.byteLength };
    const eventAt = at("2026-12-15T11:00:00-06:00");
    now = eventAt;
    const issued = await system.evidence.issueAcuse(
      {
        kind: "apertura_notificacion",
        parties: { rfc: MORAL, actorRfc: MORAL, capacity: "titular" },
        eventAt,
        countsAt: eventAt,
        rule: "momento_del_evento",
        calendarVersion: "test-1",
        rulesVersion: "test",
        documents: [document],
      },
      {
        record: async (tx, sealed) => {
          await appendNotificacionEvent(tx, {
            notificacionId: actId,
            type: "abierta",
            at: eventAt,
            recordedAt: eventAt,
            acuseFolio: sealed.folio,
            // As events were written before every writer used formatInstant: UTC, `Z`.
            data: { notifiedAt: eventAt.toString() },
          });
        },
      },
    );
    folios.push(issued.folio);
    await system.evidence.publishCheckpoint();
  });
  afterAll(async () => {
    await system?.app.close();
  });

  it("holds the signed document, every acuse, timeline, aviso, calendars and proofs, all verifiable", async () => {
    const zip = await system.evidencePackages.packageOf(folios[1]!, READER);
    expect(zip.actId).toBe(actId);
    const files = unzipSync(new Uint8Array(zip.bytes));
    const names = Object.keys(files);
    expect(names).toEqual(zip.entries);
    const base1 = `acuses/01-${AVISO_KIND}-${folios[0]}`;
    const base2 = `acuses/02-apertura_notificacion-${folios[1]}`;
    expect(names).toEqual([
      "documento.pdf",
      "documento.pdf.p7s",
      `${base1}.json`,
      `${base1}.pdf`,
      `${base2}.json`,
      `${base2}.pdf`,
      "linea-de-tiempo.json",
      "aviso.json",
      "calendarios/IMSS-test-1.json",
      expect.stringMatching(/^calendarios\/TFJA-/),
      "checkpoint.txt",
      `${base1}.tlog-proof`,
      `${base2}.tlog-proof`,
      "verificador.txt",
      "LEEME.txt",
      "SHA256SUMS",
    ]);
    const file = (name: string) => Buffer.from(files[name]!);

    // The document as deposited, its hash the act's.
    expect(file("documento.pdf").equals(pdf)).toBe(true);
    const timeline = JSON.parse(file("linea-de-tiempo.json").toString("utf8"));
    expect(timeline.acto.documentSha256).toBe(sha256(pdf));
    expect(timeline.eventos.map((e: { evento: string }) => e.evento)).toEqual([
      "depositada",
      "aviso_emitido",
      "abierta",
    ]);
    expect(timeline.eventos[2].at).toBe("2026-12-15T11:00:00-06:00");
    expect(timeline.eventos[2].acuse).toBe(folios[1]);
    expect(timeline.acto.state).toBe("notificada");
    // Every instant of the timeline in Zona Centro, the old `Z` data too (the rows stay as written).
    expect(timeline.eventos[0].datos.avisoAt).toBe("2026-12-14T10:00:00-06:00");
    expect(timeline.eventos[1].datos.deemedNotifiedAt).toBe("2026-12-18T09:30:00-06:00");
    expect(timeline.eventos[2].datos.notifiedAt).toBe("2026-12-15T11:00:00-06:00");
    const instants: string[] = [];
    JSON.stringify(timeline, (_key, value) => {
      if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) instants.push(value);
      return value;
    });
    expect(instants.length).toBeGreaterThan(8);
    expect(instants.filter((i) => !i.endsWith("-06:00"))).toEqual([]);

    // Every address of the aviso, whole, with its outcome (the sweep's aviso evidence).
    const aviso = JSON.parse(file("aviso.json").toString("utf8"));
    expect(aviso.format).toBe("buzon-imss-aviso/2");
    expect(aviso.availableAt).toBe("2026-12-14T10:00:00-06:00");
    expect(aviso.acuse.folio).toBe(folios[0]);
    // Not cancelled: the term its aviso stated, and no cancellation.
    expect(aviso.term).toMatchObject({
      openBy: "2026-12-17",
      deemedNotifiedAt: "2026-12-18T09:30:00-06:00",
    });
    expect(aviso.cancellation).toBeNull();
    expect(
      aviso.deliveries.map((d: { channel: string; address: string; status: string }) => [
        d.channel,
        d.address,
        d.status,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["correo", "eku9003173c9@example.mx", "enviada"],
        ["sms", "+525512345678", "enviada"],
      ]),
    );
    expect(aviso.deliveries[0].attempts[0].outcome).toBe("enviado");

    // The aviso's acuse seals its statement: the addressee, the act, the instant, the term and
    // each address, masked, with a digest over its message's key and the whole address in aviso.json.
    const avisoAcuse = parseAcuseExport(JSON.parse(file(`${base1}.json`).toString("utf8")));
    expect(avisoAcuse.statement?.name).toBe("aviso-notificacion.txt");
    const stated = avisoAcuse.statement!.text;
    expect(avisoAcuse.acuse.documents[1]).toEqual({
      name: "aviso-notificacion.txt",
      sha256: sha256(Buffer.from(stated, "utf8")),
      bytes: Buffer.byteLength(stated, "utf8"),
    });
    expect(stated).toContain(`\nRFC: ${MORAL}\n`);
    expect(stated).toContain("\nOficio: 09 53 01 9200/1\n");
    expect(stated).toContain("\nUnidad emisora: Subdelegación Centro\n");
    expect(stated).toContain("\nDisponible desde: 2026-12-14T10:00:00-06:00 (");
    expect(stated).toContain(`\nPlazo: ${aviso.term.statement}\n`);
    const firsts = aviso.deliveries.filter((d: { aviso: string }) => d.aviso === "primero");
    expect(firsts).toHaveLength(2);
    for (const d of firsts as { key: string; address: string }[]) {
      expect(stated).not.toContain(d.address);
      expect(stated).toContain(
        `; huella ${sha256(Buffer.from(`${d.key} ${d.address}`, "utf8"))}\n`,
      );
    }

    // Each export verifies offline against the package's one checkpoint.
    const checkpoint = file("checkpoint.txt").toString("utf8");
    const trust = {
      sealCertificates: system.evidence.sealCertificates(),
      logVerifierKey: system.evidence.verifierKey(),
      checkpoint,
    };
    expect(file("verificador.txt").toString("utf8").trim()).toBe(system.evidence.verifierKey());
    for (const base of [base1, base2]) {
      const exported = parseAcuseExport(JSON.parse(file(`${base}.json`).toString("utf8")));
      expect(exported.acuse.documents[0]?.sha256).toBe(sha256(pdf));
      expect(exported.log?.proof).toBe(file(`${base}.tlog-proof`).toString("utf8"));
      const result = await verifyAcuseExport(exported, trust);
      expect(result.checks.filter((c) => c.outcome === "failed")).toEqual([]);
      if (base === base1) {
        expect(result.checks.find((c) => c.id === "texto_sellado")?.outcome).toBe("ok");
      }
      expect(result.checks.find((c) => c.id === "punto_de_control")?.outcome).toBe("ok");
      expect(file(`${base}.pdf`).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }

    // sha256sum -c SHA256SUMS
    for (const line of file("SHA256SUMS").toString("utf8").trim().split("\n")) {
      const [hash, name] = line.split("  ") as [string, string];
      expect(sha256(files[name]!)).toBe(hash);
    }
    expect(file("LEEME.txt").toString("utf8")).toContain("openssl cms -verify -binary");
  });

  it.runIf(hasOpenssl())(
    "openssl cms -verify accepts the signature over documento.pdf",
    async () => {
      const files = unzipSync(
        new Uint8Array((await system.evidencePackages.packageOf(actId, READER)).bytes),
      );
      const dir = mkdtempSync(join(tmpdir(), "buzon-evidencia-"));
      try {
        writeFileSync(join(dir, "documento.pdf"), files["documento.pdf"]!);
        writeFileSync(join(dir, "documento.pdf.p7s"), files["documento.pdf.p7s"]!);
        const args = [
          "cms",
          "-verify",
          "-binary",
          "-content",
          join(dir, "documento.pdf"),
          "-inform",
          "DER",
          "-in",
          join(dir, "documento.pdf.p7s"),
          "-noverify",
          "-out",
          join(dir, "out"),
        ];
        execFileSync("openssl", args, { stdio: "pipe" });
        // Another document under the same signature is refused.
        writeFileSync(join(dir, "documento.pdf"), pdfOf("otro"));
        expect(() => execFileSync("openssl", args, { stdio: "pipe" })).toThrow();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("buzon verify confirms the aviso's sealed statement, from its JSON and its PDF; openssl re-hashes it", async () => {
    const files = unzipSync(
      new Uint8Array((await system.evidencePackages.packageOf(actId, READER)).bytes),
    );
    const base = `acuses/01-${AVISO_KIND}-${folios[0]}`;
    const dir = mkdtempSync(join(tmpdir(), "buzon-evidencia-"));
    try {
      for (const name of [`${base}.json`, `${base}.pdf`, "checkpoint.txt", "verificador.txt"]) {
        writeFileSync(join(dir, name.replace(/^acuses\//, "")), files[name]!);
      }
      const local = base.replace(/^acuses\//, "");
      writeFileSync(
        join(dir, "sello.pem"),
        system.evidence
          .sealCertificates()
          .map((c) => c.toString())
          .join("\n"),
      );
      for (const file of [`${local}.json`, `${local}.pdf`]) {
        const { code, stdout } = await buzonInProcess([
          "verify",
          join(dir, file),
          "--sello-cer",
          join(dir, "sello.pem"),
          "--verificador",
          Buffer.from(files["verificador.txt"]!).toString("utf8").trim(),
          "--punto-de-control",
          join(dir, "checkpoint.txt"),
          "--json",
        ]);
        const result = JSON.parse(stdout) as AcuseVerification;
        expect(
          result.checks.filter((c) => c.outcome === "failed"),
          file,
        ).toEqual([]);
        expect(result.checks.find((c) => c.id === "texto_sellado")?.outcome, file).toBe("ok");
        expect(result.verdict, file).toBe("autentico");
        expect(code, file).toBe(0);
      }
      if (hasOpenssl()) {
        const exported = parseAcuseExport(
          JSON.parse(Buffer.from(files[`${base}.json`]!).toString("utf8")),
        );
        writeFileSync(join(dir, "aviso-notificacion.txt"), exported.statement!.text, "utf8");
        const digest = execFileSync("openssl", [
          "dgst",
          "-sha256",
          "-r",
          join(dir, "aviso-notificacion.txt"),
        ])
          .toString("utf8")
          .split(" ")[0];
        expect(
          exported.acuse.documents.find((d) => d.name === "aviso-notificacion.txt")?.sha256,
        ).toBe(digest);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is the same bytes when asked again, by act id or any acuse's folio", async () => {
    const a = await system.evidencePackages.packageOf(actId, READER);
    const b = await system.evidencePackages.packageOf(folios[0]!, READER);
    expect(sha256(a.bytes)).toBe(sha256(b.bytes));
  });

  it("is served to staff as application/zip, not to others", async () => {
    const served = await system.app.inject({
      method: "GET",
      url: `/api/v1/staff/notificaciones/${actId}/evidencia`,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(served.statusCode).toBe(200);
    expect(served.headers["content-type"]).toBe("application/zip");
    expect(served.headers["content-disposition"]).toContain(`evidencia-${actId}.zip`);
    expect(sha256(served.rawPayload)).toBe(
      sha256((await system.evidencePackages.packageOf(actId, READER)).bytes),
    );
    const anonymous = await system.app.inject({
      method: "GET",
      url: `/api/v1/staff/notificaciones/${actId}/evidencia`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it("leaves who took which act's package, and when, in the audit trail", async () => {
    now = at("2026-12-16T12:00:00-06:00");
    const audited = () =>
      system.database.db
        .selectFrom("auth_events")
        .selectAll()
        .where("event", "=", "evidencia")
        .orderBy("id")
        .execute();
    const before = (await audited()).length;
    const nora = await signInWith(system.app, notificador);
    const served = await system.app.inject({
      method: "GET",
      url: `/api/v1/staff/notificaciones/${actId}/evidencia`,
      cookies: { buzon_sesion: nora.cookie },
    });
    expect(served.statusCode, served.body).toBe(200);
    const byToken = await system.app.inject({
      method: "GET",
      url: `/api/v1/staff/notificaciones/${actId}/evidencia`,
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(byToken.statusCode).toBe(200);
    // A refused download hands out nothing and records no delivery.
    const particular = await system.app.inject({
      method: "GET",
      url: `/api/v1/staff/notificaciones/${actId}/evidencia`,
      headers: { authorization: "Bearer nada" },
    });
    expect(particular.statusCode).toBe(401);
    const rows = (await audited()).slice(before);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      outcome: "aceptado",
      reason: "paquete_entregado",
      rfc: notificador.rfc,
      session_id: expect.any(String),
      request_id: expect.any(String),
    });
    expect(rows[0]!.at.toISOString()).toBe("2026-12-16T18:00:00.000Z");
    expect(rows[0]!.detail).toEqual({
      notificacionId: actId,
      referencia: actId,
      rfcDelBuzon: MORAL,
      via: "sesion",
      sha256: sha256(served.rawPayload),
      bytes: served.rawPayload.byteLength,
    });
    expect(rows[1]).toMatchObject({ rfc: TEST_ADMIN_RFC, session_id: null });
    expect(rows[1]!.detail).toMatchObject({ notificacionId: actId, via: "token_api" });
    // The auditor reads it where every staff decision is.
    const log = await system.app.inject({
      url: "/api/v1/auditoria/accesos?limit=5",
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(
      log.json().events.filter((e: { event: string }) => e.event === "evidencia").length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("says 404 for an unknown folio or act", async () => {
    await expect(system.evidencePackages.packageOf("BI-20200101-1", READER)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      system.evidencePackages.packageOf("00000000-0000-4000-8000-000000000000", READER),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
