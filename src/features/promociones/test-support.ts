import { Buffer } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { expect } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { projectAtencion } from "../../domain/promociones/atencion.ts";
import type { PromocionEventType } from "../../domain/promociones/lifecycle.ts";
import { DEV_CA_FILES, type IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { rebuildPromocionEstado } from "../../platform/db/migrations/0037_promocion_estado.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { fisicaRfc, pdfOf } from "../../testing/acts.ts";
import {
  issueFisicaEfirma,
  issueTestEfirma,
  signDocumentLikeTheBrowser,
  signLikeTheBrowser,
  testDevCa,
} from "../../testing/efirma.ts";
import { cmsVerifyArgs, openssl } from "../../testing/openssl.ts";
import type { TestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { enableMailbox, padronWith } from "../notificaciones/test-support.ts";

/**
 * What the tests of promociones share: the multipart filing as the browser sends it, the staff
 * and particulares they sign in, their requests and the act that answers a promoción.
 */

export interface FilePart {
  name: string;
  bytes: Buffer;
}

export const sha256 = (bytes: Uint8Array | string) =>
  createHash("sha256").update(bytes).digest("hex");

export const metaOf = (f: FilePart) => ({
  name: f.name,
  sha256: sha256(f.bytes),
  size: f.bytes.length,
});

/** A multipart/form-data body: the fields, then one `files` part per file. */
export function multipart(fields: Record<string, string>, files: FilePart[]) {
  const boundary = `----buzon${randomUUID()}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** The fields of a filing: a challenge for this «aclaración u orientación», signed in the tab. */
export async function signedFiling(
  app: TestSystem["app"],
  who: SignedIn,
  files: FilePart[],
  subject = "Aclaración de cuotas de noviembre",
  text = "Solicito la aclaración de las cuotas.",
): Promise<{ challengeId: string; certificate: string; signature: string }> {
  const desafio = await app.inject({
    method: "POST",
    url: "/api/v1/promociones/desafio",
    payload: {
      type: "aclaracion_orientacion",
      subject,
      text,
      attachments: files.map(metaOf),
    },
    cookies: { buzon_sesion: who.cookie },
    headers: { "x-csrf-token": who.csrf },
  });
  expect(desafio.statusCode, desafio.body).toBe(201);
  const { challengeId, toSign } = desafio.json();
  return { challengeId, ...(await signLikeTheBrowser(who.efirma, toSign)) };
}

/** Files an «aclaración u orientación» with these anexos, signed by the session's e.firma. */
export async function filePromocion(
  app: TestSystem["app"],
  who: SignedIn,
  files: FilePart[],
  subject?: string,
  text?: string,
): Promise<{ id: string; receivedAt: string; acuse: { folio: string; codigo: string } }> {
  const fields = await signedFiling(app, who, files, subject, text);
  const { payload, contentType } = multipart(fields, files);
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/promociones",
    payload,
    cookies: { buzon_sesion: who.cookie },
    headers: { "x-csrf-token": who.csrf, "content-type": contentType },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/**
 * A new persona moral with its own RFC (`prefix`, three letters, and a counter of the caller's),
 * signed in by its representative; the RFC is valid, not in the padrón.
 */
export async function newPersonaMoral(
  app: TestSystem["app"],
  prefix: string,
  n: number,
): Promise<SignedIn> {
  const body = `${prefix}${String(n).padStart(2, "0")}0101${String.fromCharCode(65 + (Math.floor(n / 10) % 26))}${n % 10}`;
  const rfc = `${body}${rfcCheckDigit(body)}`;
  return signInWith(app, await issueTestEfirma({ rfc, name: `EMPRESA ${rfc} SA DE CV` }));
}

/** A servant with a new e.firma for the RFC of `stem`, listed with this role. */
export async function staffEfirma(
  system: TestSystem,
  stem: string,
  role: StaffRole,
  name: string,
): Promise<IssuedEfirma> {
  const efirma = await issueFisicaEfirma(fisicaRfc(stem), name);
  await system.staff.set({ rfc: efirma.rfc, role, name }, "pruebas");
  return efirma;
}

/** A particular in the padrón with an enabled mailbox, signed in with a new e.firma. */
export async function particularWithMailbox(
  system: TestSystem,
  rfc: string,
  now: Temporal.Instant,
): Promise<SignedIn> {
  await padronWith(system.database.db, [{ rfc }], now);
  await enableMailbox(system.database.db, rfc, now);
  return signInWith(system.app, await issueFisicaEfirma(rfc, `PERSONA ${rfc}`));
}

/** Requests of a session: GET (anonymous without one) and POST with its CSRF token. */
export function sessionRequests(app: TestSystem["app"]) {
  return {
    get(who: SignedIn | undefined, url: string) {
      return app.inject({ url, ...(who ? { cookies: { buzon_sesion: who.cookie } } : {}) });
    },
    post(who: SignedIn, url: string, payload: object) {
      return app.inject({
        method: "POST",
        url,
        payload,
        cookies: { buzon_sesion: who.cookie },
        headers: { "x-csrf-token": who.csrf },
      });
    },
  };
}

export type SessionRequests = ReturnType<typeof sessionRequests>;

export const staffUrl = (id: string, rest = "") => `/api/v1/staff/promociones/${id}${rest}`;

/** The body of an act (a 7.1 oficio) that answers a promoción, signed by `signer`. */
export async function answerActBody(signer: IssuedEfirma, rfc: string, text: string) {
  const document = pdfOf(`respuesta ${text}`);
  return {
    rfc,
    actType: "7.1",
    oficio: `09 53 01 9200/${text}`,
    issuingUnit: "Subdelegación Centro",
    documentName: "respuesta.pdf",
    document: document.toString("base64"),
    signature: await signDocumentLikeTheBrowser(signer, document),
  };
}

/**
 * The queue's projection (promocion_estado, kept by 0037's trigger) agrees with every
 * promoción's events as the domain projects them (projectAtencion: state and assignee), and
 * rebuilding it from the events (as the owner) gives the very same rows. Answers how many.
 */
export async function expectEstadoFollowsEvents(database: {
  db: Db;
  asOwner: Db;
}): Promise<number> {
  const { db } = database;
  const kept = await db
    .selectFrom("promocion_estado")
    .selectAll()
    .orderBy("promocion_id")
    .execute();
  const events = await db
    .selectFrom("promocion_events")
    .select(["promocion_id", "type", "actor_rfc", "data"])
    .orderBy("id")
    .execute();
  const ids = await db.selectFrom("promociones").select(["id", "received_at"]).execute();
  const expected = ids
    .map(({ id, received_at }) => {
      const { state, assignee } = projectAtencion(
        events
          .filter((e) => e.promocion_id === id)
          .map((e) => ({
            type: e.type as PromocionEventType,
            actorRfc: e.actor_rfc,
            data: e.data as Record<string, unknown>,
          })),
      );
      return { promocion_id: id, state, assignee, received_at };
    })
    .sort((a, b) => (a.promocion_id < b.promocion_id ? -1 : 1));
  expect(kept).toEqual(expected);
  await database.asOwner.transaction().execute(async (tx) => {
    await rebuildPromocionEstado(tx as unknown as Kysely<unknown>);
  });
  expect(
    await db.selectFrom("promocion_estado").selectAll().orderBy("promocion_id").execute(),
  ).toEqual(kept);
  return kept.length;
}

/** A promoción's events as written (type, who, data, folio), in order. */
export function promocionEvents(db: Db, id: string) {
  return db
    .selectFrom("promocion_events")
    .select(["type", "actor_rfc", "data", "acuse_folio"])
    .where("promocion_id", "=", id)
    .orderBy("id")
    .execute();
}

/** What a promoción's detail (the particular's or the staff's) says of its e.firma signature. */
export interface KeptSignature {
  signedText: string;
  signedTextSha256: string;
  p7s: string;
}

/**
 * The signature a detail serves is the one its acuse sealed: the .p7s's SHA-256 and size are the
 * acuse's `firma-promocion.p7s`, the signed text's its `manifiesto-firmado.txt`; OpenSSL (a tool
 * that is not ours) verifies the .p7s over the signed text with the test CA, and refuses it over
 * a text changed in one character.
 */
export async function expectKeptSignature(
  system: TestSystem,
  detail: KeptSignature,
  folio: string,
): Promise<void> {
  const p7s = Buffer.from(detail.p7s, "base64");
  expect(detail.signedTextSha256).toBe(sha256(detail.signedText));
  const acuse = await system.evidence.acuseByFolio(folio);
  const listed = (name: string) => acuse?.documents.find((d) => d.name === name);
  expect(listed("firma-promocion.p7s")).toEqual({
    name: "firma-promocion.p7s",
    sha256: sha256(p7s),
    bytes: p7s.length,
  });
  expect(listed("manifiesto-firmado.txt")?.sha256).toBe(detail.signedTextSha256);
  const dir = await mkdtemp(join(tmpdir(), "buzon-promocion-firma-"));
  try {
    const files = {
      cms: join(dir, "firma-promocion.p7s"),
      content: join(dir, "manifiesto-firmado.txt"),
      caFile: join((await testDevCa()).dir, DEV_CA_FILES.certificatePem),
    };
    await writeFile(files.cms, p7s);
    await writeFile(files.content, detail.signedText);
    const run = openssl(cmsVerifyArgs(files));
    expect(run.stderr).toContain("Verification successful");
    expect(run.status).toBe(0);
    await writeFile(files.content, detail.signedText.replace("Asunto: ", "Asunto:  "));
    expect(openssl(cmsVerifyArgs(files)).status).not.toBe(0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
