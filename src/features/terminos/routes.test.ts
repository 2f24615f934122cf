import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { parseTermsSigningText } from "../../domain/terms/terms.ts";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import { DEV_CA_FILES, type IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma, signLikeTheBrowser, testDevCa } from "../../testing/efirma.ts";
import { type OcspResponder, startOpensslResponder } from "../../testing/ocsp-responder.ts";
import { cmsVerifyArgs, openssl } from "../../testing/openssl.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import { INITIAL_TERMS_FILE } from "./service.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;
type App = System["app"];

// The test CA mints certificates valid from a day before the real present: the clock starts
// at the present and each test moves it forward.
const START = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });

/** Validated e-mail and phone for the RFC, through the mailbox's own events (5.1, 5.2). */
async function validateMeans(
  system: System,
  rfc: string,
  at: Temporal.Instant,
  kinds: ("correo" | "celular")[] = ["correo", "celular"],
): Promise<void> {
  for (const kind of kinds) {
    const id = randomUUID();
    const value = kind === "correo" ? `${rfc.toLowerCase()}@example.mx` : "+525512345678";
    await system.database.db
      .insertInto("mailbox_means")
      .values({
        id,
        rfc,
        kind,
        value,
        scope: "rfc",
        status: "pendiente",
        registered_at: new Date(at.epochMilliseconds),
        expires_at: new Date(at.add({ hours: 72 }).epochMilliseconds),
        validated_at: null,
        ended_at: null,
        acuse_folio: "BI-20261201-100000000",
        code_hash: Buffer.alloc(32, 1),
        code_sent_at: null,
        locked_at: null,
      })
      .execute();
    await appendMailboxEvent(system.database.db, {
      type: "medio_registrado",
      rfc,
      at,
      acuseFolio: null,
      data: { meansId: id, kind, value, scope: "rfc", expiresAt: at.add({ hours: 72 }).toString() },
    });
    await appendMailboxEvent(system.database.db, {
      type: "medio_validado",
      rfc,
      at,
      acuseFolio: null,
      data: { meansId: id },
    });
  }
}

async function getTerms(app: App, who: SignedIn) {
  return app.inject({ url: "/api/v1/buzon/terminos", cookies: { buzon_sesion: who.cookie } });
}

async function postTerms(app: App, who: SignedIn, body: object) {
  return app.inject({
    method: "POST",
    url: "/api/v1/buzon/terminos",
    payload: body,
    cookies: { buzon_sesion: who.cookie },
    headers: { "x-csrf-token": who.csrf },
  });
}

/** GET the terms, sign `toSign` with `signer` (the session's e.firma unless said), POST. */
async function signTerms(app: App, who: SignedIn, signer: IssuedEfirma = who.efirma) {
  const terms = await getTerms(app, who);
  expect(terms.statusCode).toBe(200);
  const { challengeId, toSign } = terms.json();
  return postTerms(app, who, { challengeId, ...(await signLikeTheBrowser(signer, toSign)) });
}

describe.each(ENGINES)("Términos y Condiciones on %s", (engine) => {
  let system: System;
  let now = START;
  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      clock: () => now,
      adminToken: true,
    });
  });
  afterAll(async () => {
    await system.app.close();
  });

  /** A new persona moral (its own RFC), signed in by its representative, means validated. */
  async function readyMailbox(options: { validate?: boolean } = {}): Promise<SignedIn> {
    const rfc = nextRfc();
    const efirma = await issueTestEfirma({ rfc, name: `EMPRESA ${rfc} SA DE CV` });
    const who = await signInWith(system.app, efirma);
    if (options.validate !== false) await validateMeans(system, rfc, now);
    return who;
  }

  it("serves version 1, the repository's file, with the SHA-256 of its exact UTF-8 text", async () => {
    const who = await readyMailbox();
    const response = await getTerms(system.app, who);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const file = await readFile(join(PACKAGE_ROOT, INITIAL_TERMS_FILE));
    expect(body.version).toBe("1");
    expect(body.text).toBe(file.toString("utf8"));
    expect(body.sha256).toBe(createHash("sha256").update(file).digest("hex"));
    expect(parseTermsSigningText(body.toSign)).toEqual({
      rfc: who.efirma.rfc,
      version: "1",
      sha256: body.sha256,
      at: now,
      challengeId: body.challengeId,
      nonce: expect.any(String),
    });
    const text = await system.app.inject({ url: "/api/v1/terminos/versiones/1" });
    expect(text.statusCode).toBe(200);
    expect(text.rawPayload.equals(file)).toBe(true);
    expect(text.headers["x-content-sha256"]).toBe(body.sha256);
  });

  it("enables the mailbox: acuse that verifies, event, kept signature that verifies again", async () => {
    const who = await readyMailbox();
    const response = await signTerms(system.app, who);
    expect(response.statusCode).toBe(201);
    const { acuse, state } = response.json();
    expect(state).toBe("habilitado");

    const verified = await system.app.inject({
      url: `/api/v1/verificacion/acuses/${acuse.folio}?codigo=${encodeURIComponent(acuse.codigo)}`,
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ verdict: "autentico" });
    const issued = await system.evidence.acuseByFolio(acuse.folio);
    expect(issued?.kind).toBe("firma_terminos");
    // Not enabled when it signed (this signature enables it): no habilitación stated, version 1.
    expect(issued?.habilitacion).toBeUndefined();
    expect(issued?.cadenaOriginal.startsWith("||1|")).toBe(true);
    expect(issued?.parties).toEqual({
      rfc: who.efirma.rfc,
      actorRfc: "VADA800927DJ3",
      capacity: "representante_legal",
    });
    const current = await system.terms.current();
    expect(issued?.documents[0]).toEqual({
      name: "Términos y Condiciones para el uso del Buzón IMSS, versión 1",
      sha256: current.sha256,
      bytes: current.bytes,
    });

    const mailbox = await system.database.db
      .selectFrom("mailboxes")
      .selectAll()
      .where("rfc", "=", who.efirma.rfc)
      .executeTakeFirstOrThrow();
    expect(mailbox).toMatchObject({ state: "habilitado", terms_version: "1" });
    const event = await system.database.db
      .selectFrom("mailbox_events")
      .selectAll()
      .where("rfc", "=", who.efirma.rfc)
      .where("type", "=", "terminos_firmados")
      .executeTakeFirstOrThrow();
    expect(event.acuse_folio).toBe(acuse.folio);
    expect(event.data).toEqual({ version: "1", sha256: current.sha256 });

    // The kept signature: the exact text, and a .p7s the signature verification accepts.
    const evidence = await system.app.inject({
      url: `/api/v1/terminos/firmas/${acuse.folio}?codigo=${encodeURIComponent(acuse.codigo)}`,
    });
    expect(evidence.statusCode).toBe(200);
    const kept = evidence.json();
    expect(parseTermsSigningText(kept.signedText)).toMatchObject({
      rfc: who.efirma.rfc,
      version: "1",
      sha256: current.sha256,
    });
    const p7s = Buffer.from(kept.p7s, "base64");
    expect(issued?.documents[1]).toEqual({
      name: "firma-terminos.p7s",
      sha256: createHash("sha256").update(p7s).digest("hex"),
      bytes: p7s.length,
    });
    const check = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: kept.signedTextSha256, firma: kept.p7s },
    });
    expect(check.statusCode).toBe(200);
    // No revocation source in this system: authentic but unconfirmed (the OCSP test confirms).
    expect(check.json()).toMatchObject({ verdict: "no_confirmado" });
    expect(check.json().checks.find((c: { id: string }) => c.id === "firma").outcome).toBe("ok");
    // A tool that is not ours agrees: OpenSSL verifies the .p7s over the signed text.
    const files = await mkdtemp(join(tmpdir(), "buzon-terminos-firma-"));
    try {
      await writeFile(join(files, "firma.p7s"), p7s);
      await writeFile(join(files, "texto.txt"), kept.signedText);
      const run = openssl(
        cmsVerifyArgs({
          cms: join(files, "firma.p7s"),
          content: join(files, "texto.txt"),
          caFile: join((await testDevCa()).dir, DEV_CA_FILES.certificatePem),
        }),
      );
      expect(run.stderr).toContain("Verification successful");
    } finally {
      await rm(files, { recursive: true, force: true });
    }
    const wrongCode = await system.app.inject({
      url: `/api/v1/terminos/firmas/${acuse.folio}?codigo=ABCDEFGH`,
    });
    expect(wrongCode.statusCode).toBe(404);
    // One altered character of the signed text, and the same signature no longer covers it.
    const altered = kept.signedText.replace("|terminos|", "|terminoz|");
    const tampered = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: createHash("sha256").update(altered).digest("hex"), firma: kept.p7s },
    });
    expect(tampered.json().verdict).toBe("alterado");

    // The signature row is evidence: append-only.
    await expect(
      system.database.db
        .deleteFrom("terms_signatures")
        .where("acuse_folio", "=", acuse.folio)
        .execute(),
    ).rejects.toThrow();
  });

  it("refuses the e.firma of another RFC, and another e.firma of the session's own RFC", async () => {
    const who = await readyMailbox();
    const stranger = await issueTestEfirma({ rfc: nextRfc(), name: "OTRA SA DE CV" });
    const other = await signTerms(system.app, who, stranger);
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe("terms_signer_mismatch");
    // Same RFC, same representative, a second certificate: not the one the session used.
    const sibling = await issueTestEfirma({ rfc: who.efirma.rfc, name: "EMPRESA SA DE CV" });
    const same = await signTerms(system.app, who, sibling);
    expect(same.statusCode).toBe(403);
    expect(same.json()).toMatchObject({
      code: "terms_signer_mismatch",
      detail: expect.stringContaining("misma e.firma con la que iniciaste sesión"),
    });
    expect(await stateOf(who.efirma.rfc)).toBe("medios_validados");
    expect(await acusesOf(who.efirma.rfc)).toBe(0);
  });

  it("refuses a wrong signature and a signature over other text", async () => {
    const who = await readyMailbox();
    const terms = (await getTerms(system.app, who)).json();
    const signed = await signLikeTheBrowser(who.efirma, terms.toSign);
    const flipped = Buffer.from(signed.signature, "base64");
    flipped[10] = (flipped[10] ?? 0) ^ 1;
    const wrong = await postTerms(system.app, who, {
      challengeId: terms.challengeId,
      certificate: signed.certificate,
      signature: flipped.toString("base64"),
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({
      code: "terms_signature_refused",
      errors: [{ pointer: "/signature" }],
    });
    // The version 2 the person imagines: the text names another version and is refused.
    const again = (await getTerms(system.app, who)).json();
    const forged = again.toSign.replace("|1|", "|2|");
    const overOther = await postTerms(system.app, who, {
      challengeId: again.challengeId,
      ...(await signLikeTheBrowser(who.efirma, forged)),
    });
    expect(overOther.statusCode).toBe(422);
    expect(overOther.json().code).toBe("terms_signature_refused");
    expect(await stateOf(who.efirma.rfc)).toBe("medios_validados");
  });

  it("refuses a replayed, an expired, another session's and an unknown challenge", async () => {
    const who = await readyMailbox();
    const terms = (await getTerms(system.app, who)).json();
    const body = {
      challengeId: terms.challengeId,
      ...(await signLikeTheBrowser(who.efirma, terms.toSign)),
    };
    // Another session of the same person cannot spend this session's challenge.
    const elsewhere = await signInWith(system.app, who.efirma);
    const stolen = await postTerms(system.app, elsewhere, body);
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().code).toBe("terms_challenge_invalid");

    expect((await postTerms(system.app, who, body)).statusCode).toBe(201);
    const replay = await postTerms(system.app, who, body);
    expect(replay.statusCode).toBe(409);
    expect(replay.json().code).toBe("terms_challenge_invalid");

    const late = await readyMailbox();
    const old = (await getTerms(system.app, late)).json();
    const lateBody = {
      challengeId: old.challengeId,
      ...(await signLikeTheBrowser(late.efirma, old.toSign)),
    };
    now = now.add({ seconds: 301 });
    const expired = await postTerms(system.app, late, lateBody);
    expect(expired.statusCode).toBe(409);
    expect(expired.json()).toMatchObject({
      code: "terms_challenge_invalid",
      detail: expect.stringContaining("venció"),
    });
    const unknown = await postTerms(system.app, late, { ...lateBody, challengeId: randomUUID() });
    expect(unknown.json().code).toBe("terms_challenge_invalid");
    expect(await stateOf(late.efirma.rfc)).toBe("medios_validados");
  });

  it("issues one acuse for a double submission of two signed challenges", async () => {
    const who = await readyMailbox();
    const first = (await getTerms(system.app, who)).json();
    const second = (await getTerms(system.app, who)).json();
    const answers = await Promise.all(
      [first, second].map(async (t) =>
        postTerms(system.app, who, {
          challengeId: t.challengeId,
          ...(await signLikeTheBrowser(who.efirma, t.toSign)),
        }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const refused = answers.find((a) => a.statusCode === 409)?.json();
    expect(refused.code).toBe("terms_already_signed");
    expect(await acusesOf(who.efirma.rfc)).toBe(1);
    const signatures = await system.database.db
      .selectFrom("terms_signatures")
      .select("acuse_folio")
      .where("rfc", "=", who.efirma.rfc)
      .execute();
    expect(signatures).toHaveLength(1);
  });

  it("refuses to sign before an e-mail AND a phone are validated (5.2)", async () => {
    const none = await readyMailbox({ validate: false });
    const refused = await signTerms(system.app, none);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: "terms_means_not_validated",
      detail: expect.stringContaining(
        "valida al menos un correo electrónico y un teléfono celular",
      ),
    });
    const emailOnly = await readyMailbox({ validate: false });
    await validateMeans(system, emailOnly.efirma.rfc, now, ["correo"]);
    expect((await signTerms(system.app, emailOnly)).json().code).toBe("terms_means_not_validated");
    expect(await stateOf(emailOnly.efirma.rfc)).toBe("medios_pendientes");
    expect(await acusesOf(emailOnly.efirma.rfc)).toBe(0);
  });

  it("asks for a new signature after a new version, and refuses one over the old version", async () => {
    const who = await readyMailbox();
    expect((await signTerms(system.app, who)).statusCode).toBe(201);
    const pending = (await getTerms(system.app, who)).json();
    const pendingBody = {
      challengeId: pending.challengeId,
      ...(await signLikeTheBrowser(who.efirma, pending.toSign)),
    };
    const v1 = await system.terms.current();
    const published = await publish(`${v1.text}\nUNDÉCIMO. Versión de prueba ${randomUUID()}.\n`);
    expect(published.statusCode).toBe(201);
    const version = published.json().version;
    expect(Number(version)).toBeGreaterThan(v1.version);

    // The challenge was for the version no longer in force.
    const outdated = await postTerms(system.app, who, pendingBody);
    expect(outdated.statusCode).toBe(409);
    expect(outdated.json()).toMatchObject({
      code: "terms_version_outdated",
      detail: expect.stringContaining(`la vigente es la ${version}`),
    });
    // Signing the version in force brings the mailbox up to date, with a second acuse.
    const renewed = await signTerms(system.app, who);
    expect(renewed.statusCode).toBe(201);
    expect(renewed.json().state).toBe("habilitado");
    // Enabled by its activation when it signed again: the acuse says so (version 2, ADR 0011).
    const renewal = await system.evidence.acuseByFolio(renewed.json().acuse.folio);
    expect(renewal?.habilitacion).toBe("activacion");
    expect(renewal?.cadenaOriginal).toMatch(/^\|\|2\|.*\|activacion\|/);
    const row = await system.database.db
      .selectFrom("mailboxes")
      .select("terms_version")
      .where("rfc", "=", who.efirma.rfc)
      .executeTakeFirstOrThrow();
    expect(row.terms_version).toBe(version);
    expect(await acusesOf(who.efirma.rfc)).toBe(2);
    const again = await signTerms(system.app, who);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe("terms_already_signed");
  });

  it("publishes versions only for administrators, refusing empty and repeated texts", async () => {
    const person = await readyMailbox();
    const forbidden = await system.app.inject({
      method: "POST",
      url: "/api/v1/terminos/versiones",
      payload: { text: "Otro texto", note: "prueba" },
      cookies: { buzon_sesion: person.cookie },
      headers: { "x-csrf-token": person.csrf },
    });
    expect(forbidden.statusCode).toBe(403);
    const current = await system.terms.current();
    const repeated = await publish(current.text);
    expect(repeated.statusCode).toBe(409);
    expect(repeated.json().code).toBe("terms_unchanged");
    const blank = await publish("   \n");
    expect(blank.statusCode).toBe(400);
    expect(blank.json().code).toBe("terms_text_invalid");
    const control = await publish("Texto\u0007con campana");
    expect(control.json().code).toBe("terms_text_invalid");
    // U+0000 is refused for the whole API before the route reads it (platform/http/nul.ts).
    const nul = await publish("Texto\u0000con nulo");
    expect(nul.statusCode).toBe(400);
    expect(nul.json()).toMatchObject({ code: "validation", errors: [{ pointer: "/text" }] });
    const list = await system.app.inject({ url: "/api/v1/terminos/versiones" });
    expect(list.json().versions[0]).toMatchObject({ version: String(current.version) });
  });

  it("requires a session, and its CSRF token to sign", async () => {
    expect((await system.app.inject({ url: "/api/v1/buzon/terminos" })).statusCode).toBe(401);
    const who = await readyMailbox();
    const terms = (await getTerms(system.app, who)).json();
    const noCsrf = await system.app.inject({
      method: "POST",
      url: "/api/v1/buzon/terminos",
      payload: {
        challengeId: terms.challengeId,
        ...(await signLikeTheBrowser(who.efirma, terms.toSign)),
      },
      cookies: { buzon_sesion: who.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe("csrf");
  });

  function publish(text: string) {
    return system.app.inject({
      method: "POST",
      url: "/api/v1/terminos/versiones",
      payload: { text, note: "Prueba de una versión nueva" },
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
  }

  async function stateOf(rfc: string): Promise<string | undefined> {
    const row = await system.database.db
      .selectFrom("mailboxes")
      .select("state")
      .where("rfc", "=", rfc)
      .executeTakeFirst();
    return row?.state;
  }

  async function acusesOf(rfc: string): Promise<number> {
    const rows = await system.database.db
      .selectFrom("acuses")
      .select("folio")
      .where("rfc", "=", rfc)
      .where("kind", "=", "firma_terminos")
      .execute();
    return rows.length;
  }
});

describe("Términos y Condiciones with a real OCSP responder", () => {
  let system: System;
  let responder: OcspResponder;
  let valid: IssuedEfirma;
  let revokedLater: IssuedEfirma;
  beforeAll(async () => {
    // The responder reads the CA's index: every certificate is issued before it starts.
    valid = await issueTestEfirma({ rfc: nextRfc(), name: "VIGENTE SA DE CV" });
    revokedLater = await issueTestEfirma({ rfc: nextRfc(), name: "REVOCADA SA DE CV" });
    responder = await startOpensslResponder((await testDevCa()).dir);
    system = await createTestSystem({
      trustDevCa: true,
      // Asked again at every use: a certificate revoked after sign-in is seen at once.
      env: { OCSP_URL: responder.url, OCSP_CACHE_SECONDS: "0" },
    });
  });
  afterAll(async () => {
    responder?.process.kill();
    await system?.app.close();
  });

  it("enables with a certificate the responder says is good; the kept signature is confirmed", async () => {
    const who = await signInWith(system.app, valid);
    await validateMeans(system, valid.rfc, Temporal.Now.instant());
    const response = await signTerms(system.app, who);
    expect(response.statusCode).toBe(201);
    const { acuse } = response.json();
    const kept = (
      await system.app.inject({
        url: `/api/v1/terminos/firmas/${acuse.folio}?codigo=${encodeURIComponent(acuse.codigo)}`,
      })
    ).json();
    const check = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/firma",
      payload: { sha256: kept.signedTextSha256, firma: kept.p7s },
    });
    expect(check.json()).toMatchObject({ verdict: "autentico" });
  });

  it("refuses a certificate revoked after the session began", async () => {
    const who = await signInWith(system.app, revokedLater);
    await validateMeans(system, revokedLater.rfc, Temporal.Now.instant());
    await revokeInIndex((await testDevCa()).dir, revokedLater.serialHex);
    // OpenSSL's responder looks at its index before waiting for a request, not after: one
    // real query makes it read the new index before the service asks.
    await askResponder(responder.url, revokedLater);
    const response = await signTerms(system.app, who);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: "terms_signature_refused",
      detail: expect.stringContaining("revocado"),
      errors: [{ pointer: "/certificate" }],
    });
    const row = await system.database.db
      .selectFrom("mailboxes")
      .select("state")
      .where("rfc", "=", revokedLater.rfc)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("medios_validados");
  });
});

/** One OCSP query with OpenSSL's client (its answer does not matter). */
async function askResponder(url: string, efirma: IssuedEfirma): Promise<void> {
  const ca = await testDevCa();
  const pem = join(ca.dir, `consulta-${efirma.serialHex}.pem`);
  await writeFile(pem, new X509Certificate(await readFile(efirma.cerPath)).toString());
  await promisify(execFile)("openssl", [
    ...["ocsp", "-issuer", join(ca.dir, DEV_CA_FILES.certificatePem)],
    ...["-cert", pem, "-url", url, "-noverify", "-timeout", "5"],
  ]).catch(() => undefined);
}

/** Marks a certificate revoked (an hour ago) in the development CA's OpenSSL index. */
async function revokeInIndex(caDir: string, serialHex: string): Promise<void> {
  const path = join(caDir, DEV_CA_FILES.index);
  const revokedAt = `${new Date(Date.now() - 3600_000)
    .toISOString()
    .replace(/[-:T]/g, "")
    .slice(2, 14)}Z`;
  const lines = (await readFile(path, "utf8")).split("\n").map((line) => {
    const [status, notAfter, , serial, ...rest] = line.split("\t");
    return status === "V" && serial === serialHex
      ? ["R", notAfter, revokedAt, serial, ...rest].join("\t")
      : line;
  });
  await writeFile(path, lines.join("\n"));
  // OpenSSL's responder reloads its index when the file's mtime (whole seconds) changes.
  const later = new Date(Date.now() + 5000);
  await utimes(path, later, later);
}

/** RFCs of personas morales with a right check digit, a new one per call. */
let counter = 0;
function nextRfc(): string {
  counter += 1;
  const body = `TST${String(100 + counter).slice(-2)}0101A${String(counter % 10)}`;
  return `${body}${rfcCheckDigit(body)}`;
}
