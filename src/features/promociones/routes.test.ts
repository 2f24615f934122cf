import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { parseManifest } from "../../domain/promociones/manifest.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma, signLikeTheBrowser } from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { appendNotificacionEvent } from "../notificaciones/store.ts";
import {
  expectKeptSignature,
  type FilePart,
  metaOf,
  multipart,
  newPersonaMoral,
  sha256,
  signedFiling,
} from "./test-support.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * Promociones through HTTP on both engines, with a clock the tests set (the test CA's
 * certificates are valid from a day before the real present for four years).
 */
const at = (text: string) => Temporal.Instant.from(text);
/** Tuesday 15 Dec 2026, the last millisecond: a business day, received that instant. */
const TUESDAY_LAST_MS = "2026-12-15T23:59:59.999-06:00";
/** Wednesday 16 Dec 2026, declared non-business in this test's calendar. */
const HOLIDAY_MIDNIGHT = "2026-12-16T00:00:00-06:00";
const CALENDAR = {
  authority: "IMSS",
  version: "test-promociones",
  years: [2026, 2027],
  days: [{ date: "2026-12-16", reason: "Día inhábil de prueba", source: "ACDO de prueba" }],
};

function pdfOf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    "latin1",
  );
}
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("IHDR fake image body"),
]);
const ZIP = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 1)]);

const meta = metaOf;

describe.each(ENGINES)("promociones on %s", (engine) => {
  let system: System;
  let now = at(TUESDAY_LAST_MS);
  let rfcCounter = 0;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      clock: () => now,
      calendar: CALENDAR,
    });
  });
  afterAll(async () => {
    await system?.app.close();
  });

  /** A new persona moral (its own RFC), signed in by its representative. */
  async function particular(): Promise<SignedIn> {
    return newPersonaMoral(system.app, `P${engine === "pglite" ? "G" : "Q"}T`, ++rfcCounter);
  }

  function challenge(who: SignedIn, body: object) {
    return system.app.inject({
      method: "POST",
      url: "/api/v1/promociones/desafio",
      payload: body,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
  }

  function post(who: SignedIn, fields: Record<string, string>, files: FilePart[]) {
    const { payload, contentType } = multipart(fields, files);
    return system.app.inject({
      method: "POST",
      url: "/api/v1/promociones",
      payload,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf, "content-type": contentType },
    });
  }

  /** Desafío, signature by `signer` (the session's unless said), and the multipart filing. */
  async function file(
    who: SignedIn,
    body: { type?: string; subject?: string; text?: string; notificacionId?: string },
    files: FilePart[],
    options: { signer?: IssuedEfirma; send?: FilePart[] } = {},
  ) {
    const desafio = await challenge(who, {
      type: "aclaracion_orientacion",
      subject: "Aclaración de cuotas de noviembre",
      text: "Solicito la aclaración de las cuotas.",
      attachments: files.map(meta),
      ...body,
    });
    expect(desafio.statusCode, desafio.body).toBe(201);
    const { challengeId, toSign } = desafio.json();
    const signed = await signLikeTheBrowser(options.signer ?? who.efirma, toSign);
    const response = await post(who, { challengeId, ...signed }, options.send ?? files);
    return { response, challengeId, toSign, signed };
  }

  async function list(who: SignedIn) {
    const response = await system.app.inject({
      url: "/api/v1/promociones",
      cookies: { buzon_sesion: who.cookie },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { id: string; state: string }[];
  }

  it("files a promoción at 23:59:59.999 of a business day: received that instant, with its acuse listing the escrito and every anexo", async () => {
    now = at(TUESDAY_LAST_MS);
    const who = await particular();
    const pdf = { name: "Escrito de pruebas.pdf", bytes: pdfOf("uno") };
    const png = { name: "captura.png", bytes: PNG };
    const { response, toSign } = await file(who, {}, [pdf, png]);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.receivedAt).toBe(TUESDAY_LAST_MS);
    expect(body.receivedAt).toBe(
      (await system.plazos.promocion({ enviada: TUESDAY_LAST_MS })).receivedAt,
    );
    expect(body.acuse.folio).toMatch(/^BI-/);
    expect(body.respuesta).toBeNull();

    const manifest = parseManifest(toSign);
    expect(manifest?.rfc).toBe(who.rfc);
    expect(manifest?.attachments).toEqual([meta(pdf), meta(png)]);
    expect(manifest?.textSha256).toBe(sha256("Solicito la aclaración de las cuotas."));

    const acuse = await system.evidence.acuseByFolio(body.acuse.folio);
    expect(acuse?.kind).toBe("promocion");
    expect(acuse?.rule).toBe("recepcion_promocion");
    expect(acuse?.countsAt.toString()).toBe(at(TUESDAY_LAST_MS).toString());
    expect(acuse?.documents.map((d) => [d.name, d.sha256, d.bytes])).toEqual([
      [
        "escrito.txt",
        sha256("Solicito la aclaración de las cuotas."),
        Buffer.byteLength("Solicito la aclaración de las cuotas."),
      ],
      [pdf.name, sha256(pdf.bytes), pdf.bytes.length],
      [png.name, sha256(png.bytes), png.bytes.length],
      ["manifiesto-firmado.txt", sha256(toSign), Buffer.byteLength(toSign)],
      ["firma-promocion.p7s", expect.any(String), expect.any(Number)],
    ]);
    expect((await system.blobs.get(sha256(pdf.bytes))).equals(pdf.bytes)).toBe(true);

    expect(await list(who)).toEqual([
      {
        id: body.id,
        type: "aclaracion_orientacion",
        subject: "Aclaración de cuotas de noviembre",
        state: "recibida",
        sentAt: TUESDAY_LAST_MS,
        receivedAt: TUESDAY_LAST_MS,
      },
    ]);
    const detail = await system.app.inject({
      url: `/api/v1/promociones/${body.id}`,
      cookies: { buzon_sesion: who.cookie },
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json().attachments.map((a: { kind: string }) => a.kind)).toEqual([
      "pdf",
      "imagen",
    ]);
    expect(detail.json().signedText).toBe(toSign);
    expect(detail.json().timeline).toEqual([
      { event: "recibida", at: TUESDAY_LAST_MS, acuse: body.acuse.folio },
    ]);
    // Another particular does not see it.
    const other = await particular();
    const hidden = await system.app.inject({
      url: `/api/v1/promociones/${body.id}`,
      cookies: { buzon_sesion: other.cookie },
    });
    expect(hidden.statusCode).toBe(404);
  });

  it("serves the e.firma's signature its acuse lists: the .p7s, the certificate and the signature over the exact manifest, to its RFC only", async () => {
    now = at(TUESDAY_LAST_MS);
    const who = await particular();
    const pdf = { name: "Escrito.pdf", bytes: pdfOf("firma") };
    const { response, toSign, signed } = await file(who, {}, [pdf]);
    expect(response.statusCode, response.body).toBe(201);
    const { id, acuse } = response.json();
    const detail = await system.app.inject({
      url: `/api/v1/promociones/${id}`,
      cookies: { buzon_sesion: who.cookie },
    });
    expect(detail.statusCode).toBe(200);
    const kept = detail.json();
    expect(kept).toMatchObject({
      signedText: toSign,
      signedTextSha256: sha256(toSign),
      certificateNumber: who.efirma.certificateNumber,
      certificate: signed.certificate,
      signature: signed.signature,
    });
    await expectKeptSignature(system, kept, acuse.folio);
    // The public signature verification takes it as it comes: the signature holds.
    const check = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: kept.signedTextSha256, firma: kept.p7s },
    });
    expect(check.statusCode, check.body).toBe(200);
    expect(check.json().checks.find((c: { id: string }) => c.id === "firma").outcome).toBe("ok");
    // Another RFC learns nothing of it.
    const other = await particular();
    const hidden = await system.app.inject({
      url: `/api/v1/promociones/${id}`,
      cookies: { buzon_sesion: other.cookie },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain(kept.p7s);
  });

  it("sent at 00:00 of a non-business day, it is received at 00:00 of the next business day", async () => {
    now = at(HOLIDAY_MIDNIGHT);
    const who = await particular();
    const { response } = await file(who, {}, []);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().receivedAt).toBe("2026-12-17T00:00:00-06:00");
    expect(response.json().receivedAt).toBe(
      (await system.plazos.promocion({ enviada: HOLIDAY_MIDNIGHT })).receivedAt,
    );
    const [item] = await list(who);
    expect(item).toMatchObject({
      sentAt: HOLIDAY_MIDNIGHT,
      receivedAt: "2026-12-17T00:00:00-06:00",
    });
  });

  it("the same challenge sent twice files one promoción and answers the first's filing again", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const pdf = { name: "a.pdf", bytes: pdfOf("doble") };
    const { response, challengeId, signed } = await file(who, {}, [pdf]);
    expect(response.statusCode).toBe(201);
    const again = await post(who, { challengeId, ...signed }, [pdf]);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(response.json());
    expect(await list(who)).toHaveLength(1);
  });

  /** What is stored for this RFC: its promociones and the acuses of their receipt. */
  async function stored(rfc: string) {
    const { db } = system.database;
    const promociones = await db
      .selectFrom("promociones")
      .select("id")
      .where("rfc", "=", rfc)
      .execute();
    const acuses = await db
      .selectFrom("acuses")
      .select("folio")
      .where("rfc", "=", rfc)
      .where("kind", "=", "promocion")
      .execute();
    return { promociones: promociones.length, acuses: acuses.length };
  }

  it("the same signed filing sent twice at once files one promoción: both 201 with the same body", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const pdf = { name: "a.pdf", bytes: pdfOf("a la vez") };
    const fields = await signedFiling(system.app, who, [pdf]);
    const [first, second] = await Promise.all([post(who, fields, [pdf]), post(who, fields, [pdf])]);
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await stored(who.rfc)).toEqual({ promociones: 1, acuses: 1 });
  });

  it.runIf(engine === "postgres")(
    "the same signed filing sent twice at once, both in one batch of acuses: both 201 with the same body once it commits",
    async () => {
      now = at("2026-12-15T10:00:00-06:00");
      const who = await particular();
      const pdf = { name: "a.pdf", bytes: pdfOf("mismo lote") };
      const fields = await signedFiling(system.app, who, [pdf]);
      // An acuse whose batch is held open: both filings queue behind it and are then issued
      // in one batch, where the second finds the challenge spent by the first, uncommitted.
      let open = () => {};
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const issue = vi.spyOn(system.evidence, "issueAcuse");
      try {
        const held = system.evidence
          .issueAcuse(promocionInput([{ name: "x.pdf", sha256: "ab".repeat(32), bytes: 1 }]), {
            record: async () => {
              await gate;
              throw new AppError("conflict", "Lote retenido por la prueba.");
            },
          })
          .catch((error: unknown) => error);
        const both = Promise.all([post(who, fields, [pdf]), post(who, fields, [pdf])]);
        await vi.waitFor(() => expect(issue).toHaveBeenCalledTimes(3), { timeout: 10_000 });
        open();
        const [first, second] = await both;
        expect(await held).toBeInstanceOf(AppError);
        expect(first.statusCode, first.body).toBe(201);
        expect(second.statusCode, second.body).toBe(201);
        expect(second.json()).toEqual(first.json());
        expect(await stored(who.rfc)).toEqual({ promociones: 1, acuses: 1 });
      } finally {
        open();
        issue.mockRestore();
      }
    },
  );

  it("a filed challenge sent again days later, purged and from a new session, still answers the same promoción", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const pdf = { name: "a.pdf", bytes: pdfOf("reintento") };
    const fields = await signedFiling(system.app, who, [pdf]);
    const first = await post(who, fields, [pdf]);
    expect(first.statusCode, first.body).toBe(201);
    // Two days on: the challenge expired (15 minutes) more than a day ago, and the session
    // ended. Any new challenge purges the expired ones.
    now = at("2026-12-17T12:00:00-06:00");
    const later = await signInWith(system.app, who.efirma);
    const other = await challenge(later, {
      type: "aclaracion_orientacion",
      subject: "Otra",
      text: "Otra promoción, aún sin firmar.",
      attachments: [],
    });
    expect(other.statusCode, other.body).toBe(201);
    const kept = await system.database.db
      .selectFrom("promocion_challenges")
      .select("id")
      .where("id", "=", fields.challengeId)
      .execute();
    expect(kept).toEqual([]);
    const again = await post(later, fields, [pdf]);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await stored(who.rfc)).toEqual({ promociones: 1, acuses: 1 });
    // Another RFC naming that challenge learns nothing: the same refusal as an unknown one.
    const stranger = await particular();
    const refused = await post(stranger, fields, [pdf]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("promocion_challenge_invalid");
  });

  it("refuses an anexo whose bytes are not the ones signed, and files once the right bytes come", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const pdf = { name: "a.pdf", bytes: pdfOf("firmado") };
    const other = { name: "a.pdf", bytes: pdfOf("cambiado") };
    const { response, challengeId, signed } = await file(who, {}, [pdf], { send: [other] });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("attachment_mismatch");
    expect(await list(who)).toHaveLength(0);
    // Longer than signed: refused while it streams.
    const longer = await post(who, { challengeId, ...signed }, [
      { name: "a.pdf", bytes: Buffer.concat([pdf.bytes, Buffer.alloc(1000, 32)]) },
    ]);
    expect(longer.json().code).toBe("attachment_mismatch");
    // More parts, or fewer, than signed.
    const more = await post(who, { challengeId, ...signed }, [pdf, pdf]);
    expect(more.statusCode).toBe(422);
    expect(more.json().code).toBe("attachment_count");
    const fewer = await post(who, { challengeId, ...signed }, []);
    expect(fewer.json().code).toBe("attachment_count");
    const right = await post(who, { challengeId, ...signed }, [pdf]);
    expect(right.statusCode).toBe(201);
  });

  it("refuses a manifest signed by another e.firma (another RFC, or another certificate of the same RFC)", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const stranger = (await particular()).efirma;
    const first = await file(who, {}, [], { signer: stranger });
    expect(first.response.statusCode).toBe(403);
    expect(first.response.json().code).toBe("promocion_signer_mismatch");
    const sameRfc = await issueTestEfirma({ rfc: who.rfc, name: `EMPRESA ${who.rfc} SA DE CV` });
    const second = await file(who, {}, [], { signer: sameRfc });
    expect(second.response.statusCode).toBe(403);
    expect(second.response.json().code).toBe("promocion_signer_mismatch");
    // A signature over other text with the right e.firma.
    const desafio = await challenge(who, {
      type: "aclaracion_orientacion",
      subject: "x",
      text: "y",
      attachments: [],
    });
    const bad = await signLikeTheBrowser(who.efirma, `${desafio.json().toSign}x`);
    const refused = await post(who, { challengeId: desafio.json().challengeId, ...bad }, []);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe("promocion_signature_refused");
    expect(await list(who)).toHaveLength(0);
  });

  it("refuses oversized and too many anexos at the challenge, by the type's limits", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const big = await challenge(who, {
      type: "aclaracion_orientacion",
      subject: "x",
      text: "y",
      attachments: [{ name: "grande.pdf", sha256: "a".repeat(64), size: 10 * 1024 * 1024 + 1 }],
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe("attachment_too_large");
    const many = await challenge(who, {
      type: "aclaracion_orientacion",
      subject: "x",
      text: "y",
      attachments: Array.from({ length: 11 }, (_, i) => ({
        name: `a${i}.pdf`,
        sha256: "a".repeat(64),
        size: 10,
      })),
    });
    expect(many.statusCode).toBe(422);
    expect(many.json().code).toBe("attachment_count");
    const total = await challenge(who, {
      type: "aclaracion_orientacion",
      subject: "x",
      text: "y",
      attachments: Array.from({ length: 3 }, (_, i) => ({
        name: `a${i}.pdf`,
        sha256: "a".repeat(64),
        size: 10 * 1024 * 1024,
      })),
    });
    expect(total.statusCode).toBe(413);
    const elsewhere = await challenge(who, {
      type: "aclaracion_medios_contacto",
      subject: "x",
      text: "y",
      attachments: [],
    });
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().code).toBe("promocion_type_elsewhere");
    const unknown = await challenge(who, {
      type: "queja",
      subject: "x",
      text: "y",
      attachments: [],
    });
    expect(unknown.json().code).toBe("unknown_promocion_type");
  });

  it("refuses a kind the type does not take, and a «.pdf» that is not a PDF", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    // A kind the type does not take is refused by its name at the challenge, before signing.
    const zip = await challenge(who, {
      type: "servicios_cobranza",
      subject: "x",
      text: "y",
      attachments: [meta({ name: "datos.zip", bytes: ZIP })],
    });
    expect(zip.statusCode).toBe(422);
    expect(zip.json()).toMatchObject({
      code: "attachment_kind_not_allowed",
      errors: [{ pointer: "/attachments/0" }],
    });
    const fake = { name: "oficio.pdf", bytes: Buffer.from("esto no es un PDF, es texto") };
    const notPdf = await file(who, {}, [fake]);
    expect(notPdf.response.statusCode).toBe(422);
    expect(notPdf.response.json().code).toBe("attachment_kind_not_allowed");
    const truncated = { name: "corto.pdf", bytes: pdfOf("x").subarray(0, 40) };
    const cut = await file(who, {}, [truncated]);
    expect(cut.response.json().code).toBe("attachment_kind_not_allowed");
    const png = { name: "foto.pdf", bytes: PNG };
    const disguised = await file(who, {}, [png]);
    expect(disguised.response.json().code).toBe("attachment_kind_not_allowed");
    expect(await list(who)).toHaveLength(0);
  });

  it("refuses an anexo whose name is not a kind the type takes, or hides its direction, even when its bytes are a PDF", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const pdf = pdfOf("disfrazado");
    const ask = (name: string) =>
      challenge(who, {
        type: "aclaracion_orientacion",
        subject: "Comprobante",
        text: "Adjunto el comprobante.",
        attachments: [
          meta({ name: "escrito.pdf", bytes: pdfOf("bueno") }),
          meta({ name, bytes: pdf }),
        ],
      });
    for (const name of ["Comprobante.exe", "instrucciones.html", "Comprobante"]) {
      const refused = await ask(name);
      expect(refused.statusCode, name).toBe(422);
      expect(refused.json(), name).toMatchObject({
        code: "attachment_kind_not_allowed",
        detail: expect.stringContaining(`«${name}» no es un archivo que admita`),
        errors: [{ pointer: "/attachments/1" }],
      });
    }
    const bidi = await ask("Comprobante\u202Efdp.exe");
    expect(bidi.statusCode).toBe(422);
    expect(bidi.json()).toMatchObject({
      code: "promocion_invalid",
      errors: [{ pointer: "/attachments/1/name" }],
    });
    const draft = await system.app.inject({
      method: "POST",
      url: "/api/v1/promociones/borradores",
      payload: {
        type: "aclaracion_orientacion",
        attachments: [{ name: "instrucciones.html", sha256: sha256(pdf), size: pdf.length }],
      },
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
    expect(draft.statusCode).toBe(422);
    expect(draft.json().code).toBe("attachment_kind_not_allowed");

    // A challenge prepared before names were checked (its anexo named «.exe») is refused when
    // the bytes arrive, and nothing is filed.
    const named = { name: "Comprobante.pdf", bytes: pdf };
    const fields = await signedFiling(system.app, who, [named]);
    await system.database.db
      .updateTable("promocion_challenges")
      .set({ attachments: JSON.stringify([{ ...meta(named), name: "Comprobante.exe" }]) })
      .where("id", "=", fields.challengeId)
      .execute();
    const late = await post(who, fields, [named]);
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({
      code: "attachment_kind_not_allowed",
      errors: [{ pointer: "/files/0" }],
    });
    expect(await list(who)).toHaveLength(0);
  });

  /** An act of annex 7 deposited for `rfc` with its aviso at `avisoAt` (type 7.6: 10 days). */
  async function act(rfc: string, avisoAt: Temporal.Instant): Promise<string> {
    const id = randomUUID();
    const date = new Date(avisoAt.epochMilliseconds);
    await system.database.db
      .insertInto("notificaciones")
      .values({
        id,
        idempotency_key: randomUUID(),
        request_sha256: "0".repeat(64),
        rfc,
        registro_patronal: null,
        act_type: "7.6",
        oficio: "09 53 01 9200/1",
        issuing_unit: "Subdelegación de pruebas",
        document_name: "requerimiento.pdf",
        document_sha256: "1".repeat(64),
        document_bytes: 100,
        signature: Buffer.alloc(8, 1),
        signer_rfc: "NOTI800101AB1",
        signer_certificate_number: "1",
        deposited_by: "pruebas",
        deposited_at: date,
        aviso_at: date,
        estrados: false,
        calendar_version: CALENDAR.version,
        rules_version: "test",
        replaces_id: null,
      })
      .execute();
    await appendNotificacionEvent(system.database.db, {
      notificacionId: id,
      type: "depositada",
      at: avisoAt,
      recordedAt: avisoAt,
      data: { avisoAt: avisoAt.toString(), estrados: false },
    });
    return id;
  }

  it("answers a requerimiento of its own RFC with the act's term, in time or late; another RFC's act is a 404", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const stranger = await particular();
    // Aviso Monday 7 Dec 2026: notified by law on the fourth business day, Friday 11 at 09:30,
    // effect Monday 14; ten business days after it, skipping Wednesday 16 (declared) and
    // Friday 25 (Christmas): Wednesday 30 Dec.
    const own = await act(who.rfc, at("2026-12-07T10:00:00-06:00"));
    const theirs = await act(stranger.rfc, at("2026-12-07T10:00:00-06:00"));
    const refused = await challenge(who, {
      type: "respuesta_requerimiento",
      subject: "Respuesta",
      text: "Adjunto lo requerido.",
      notificacionId: theirs,
      attachments: [],
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().detail).toBe("No encontramos esa notificación en tu Buzón IMSS.");
    const missing = await challenge(who, {
      type: "respuesta_requerimiento",
      subject: "Respuesta",
      text: "Adjunto lo requerido.",
      notificacionId: randomUUID(),
      attachments: [],
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe(refused.json().detail);
    const none = await challenge(who, {
      type: "respuesta_requerimiento",
      subject: "Respuesta",
      text: "Adjunto lo requerido.",
      attachments: [],
    });
    expect(none.json().code).toBe("promocion_invalid");

    const inTime = await file(
      who,
      { type: "respuesta_requerimiento", subject: "Respuesta", notificacionId: own },
      [{ name: "pruebas.pdf", bytes: pdfOf("respuesta") }],
    );
    expect(inTime.response.statusCode, inTime.response.body).toBe(201);
    expect(inTime.response.json().respuesta).toEqual({
      notificacionId: own,
      plazoDiasHabiles: 10,
      venceEl: "2026-12-30",
      enTiempo: true,
    });
    now = at("2026-12-31T09:00:00-06:00");
    // A new session: the clock moved past the last one's end.
    const later = await signInWith(system.app, who.efirma);
    const late = await file(
      later,
      {
        type: "respuesta_requerimiento",
        subject: "Respuesta tardía",
        notificacionId: own,
      },
      [],
    );
    expect(late.response.statusCode).toBe(201);
    expect(late.response.json().respuesta).toMatchObject({
      venceEl: "2026-12-30",
      enTiempo: false,
    });
  });

  it("an answer filed before the act is notified is in time, with the term the act would give notified on the fourth day", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    // Aviso Monday 14 Dec: three days to open (15, 17, 18; 16 declared), notified by law on
    // Monday 21 at 09:30 if unopened, effect Tuesday 22; ten business days after it, skipping
    // Friday 25 and Friday 1 Jan: Thursday 7 Jan 2027. Answered on the 15th, before all that.
    const pending = await act(who.rfc, at("2026-12-14T10:00:00-06:00"));
    const early = await file(
      who,
      { type: "respuesta_requerimiento", subject: "Respuesta anticipada", notificacionId: pending },
      [],
    );
    expect(early.response.statusCode, early.response.body).toBe(201);
    const respuesta = {
      notificacionId: pending,
      plazoDiasHabiles: 10,
      venceEl: "2027-01-07",
      enTiempo: true,
    };
    expect(early.response.json().respuesta).toEqual(respuesta);
    // As filed, for good: the particular's detail and the repeat say the same after the act
    // is notified and its term has run out.
    now = at("2027-01-11T10:00:00-06:00");
    const later = await signInWith(system.app, who.efirma);
    const detail = await system.app.inject({
      url: `/api/v1/promociones/${early.response.json().id}`,
      cookies: { buzon_sesion: later.cookie },
    });
    expect(detail.json().respuesta).toEqual(respuesta);
    const again = await post(later, { challengeId: early.challengeId, ...early.signed }, []);
    expect(again.json()).toEqual(early.response.json());
  });

  it("keeps drafts: create, list, read, replace, delete; another RFC's draft is a 404", async () => {
    now = at("2026-12-15T10:00:00-06:00");
    const who = await particular();
    const headers = { "x-csrf-token": who.csrf };
    const cookies = { buzon_sesion: who.cookie };
    const created = await system.app.inject({
      method: "POST",
      url: "/api/v1/promociones/borradores",
      payload: {
        type: "icsoe",
        subject: "",
        text: "Borrador",
        attachments: [{ name: "contratos.xml", sha256: "b".repeat(64), size: 200 }],
      },
      headers,
      cookies,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const listed = await system.app.inject({ url: "/api/v1/promociones/borradores", cookies });
    expect(listed.json().map((d: { id: string }) => d.id)).toEqual([id]);
    const replaced = await system.app.inject({
      method: "PUT",
      url: `/api/v1/promociones/borradores/${id}`,
      payload: { type: "icsoe", subject: "ICSOE 2026", text: "Listo", attachments: [] },
      headers,
      cookies,
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({
      subject: "ICSOE 2026",
      text: "Listo",
      attachments: [],
    });
    const other = await particular();
    const hidden = await system.app.inject({
      url: `/api/v1/promociones/borradores/${id}`,
      cookies: { buzon_sesion: other.cookie },
    });
    expect(hidden.statusCode).toBe(404);
    const tooMany = await system.app.inject({
      method: "PUT",
      url: `/api/v1/promociones/borradores/${id}`,
      payload: {
        type: "servicios_cobranza",
        attachments: Array.from({ length: 11 }, (_, i) => ({
          name: `a${i}.pdf`,
          sha256: "a".repeat(64),
          size: 1,
        })),
      },
      headers,
      cookies,
    });
    expect(tooMany.json().code).toBe("attachment_count");
    const removed = await system.app.inject({
      method: "DELETE",
      url: `/api/v1/promociones/borradores/${id}`,
      headers,
      cookies,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await system.app.inject({ url: `/api/v1/promociones/borradores/${id}`, cookies });
    expect(gone.statusCode).toBe(404);
  });
});
