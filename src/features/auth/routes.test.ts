import { Buffer } from "node:buffer";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { initDevCa, issueEfirma } from "../../platform/crypto/dev-ca.ts";
import { fisicaRfc } from "../../testing/acts.ts";
import { ENGINES } from "../../testing/database.ts";
import {
  issueFisicaEfirma,
  issueTestEfirma,
  satFixture,
  signLikeTheBrowser,
} from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;
type App = System["app"];

// The test CA mints certificates valid from a day before the real present, so the injected
// clock starts at the present (whole seconds) and each test moves it from there.
const START = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });

function cookieOf(
  response: { cookies: { name: string; value: string }[] },
  name: string,
): string | undefined {
  return response.cookies.find((c) => c.name === name)?.value;
}

/** Asks for a challenge as the page does; returns it with the attempt cookie. */
/** The attempt cookie: over https (production) it carries the `__Secure-` prefix. */
const ATTEMPT_NAMES = ["buzon_intento", "__Secure-buzon_intento"];

async function challengeFor(app: App, rfc: string, attempt?: string) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc },
    ...(attempt ? { cookies: { buzon_intento: attempt } } : {}),
  });
  expect(response.statusCode).toBe(201);
  const set = response.cookies.find((c) => ATTEMPT_NAMES.includes(c.name));
  return { ...response.json(), attempt: set?.value ?? attempt!, attemptName: set?.name };
}

async function postSession(
  app: App,
  body: object,
  attempt: string | undefined,
  attemptName = "buzon_intento",
) {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/sesion",
    payload: body,
    ...(attempt ? { cookies: { [attemptName]: attempt } } : {}),
  });
}

/** GET /api/v1/auth/sesion: always 200, saying whether the cookie's session is open (and why not). */
async function sessionState(app: App, token: string) {
  const response = await app.inject({
    url: "/api/v1/auth/sesion",
    cookies: { buzon_sesion: token },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as { autenticado: boolean; detail?: string; rfc?: string };
}

/** The whole browser flow: challenge, sign in the "browser", post. */
async function signIn(app: App, efirma: IssuedEfirma, rfc = efirma.rfc) {
  const challenge = await challengeFor(app, rfc);
  const signed = await signLikeTheBrowser(efirma, challenge.toSign);
  return postSession(
    app,
    { challengeId: challenge.challengeId, ...signed },
    challenge.attempt,
    challenge.attemptName,
  );
}

describe.each(ENGINES)("sign-in with e.firma on %s", (engine) => {
  let system: System;
  let now = START;
  beforeAll(async () => {
    system = await createTestSystem({ engine, trustDevCa: true, clock: () => now });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("opens a session for a persona moral, recording which representative signed in", async () => {
    const efirma = await issueTestEfirma();
    const response = await signIn(system.app, efirma);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.session).toMatchObject({
      rfc: "EKU9003173C9",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      persona: "moral",
      representativeRfc: "VADA800927DJ3",
      staffRole: null,
    });
    const session = cookieOf(response, "buzon_sesion");
    expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const setCookie = String(response.headers["set-cookie"]);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    // Over http (this test's address) no prefix and no Secure; and it ends with the browser.
    expect(response.cookies.find((c) => c.name === "buzon_sesion")?.maxAge).toBeUndefined();
    expect(setCookie).not.toMatch(/buzon_sesion=[^,]*(Max-Age|Expires)/);

    const me = await system.app.inject({
      url: "/api/v1/auth/sesion",
      cookies: { buzon_sesion: session! },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      autenticado: true,
      rfc: "EKU9003173C9",
      representativeRfc: "VADA800927DJ3",
      csrfToken: body.csrfToken,
    });

    // Changing state needs the CSRF token as well as the cookie.
    const noCsrf = await system.app.inject({
      method: "DELETE",
      url: "/api/v1/auth/sesion",
      cookies: { buzon_sesion: session! },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe("csrf");
    const out = await system.app.inject({
      method: "DELETE",
      url: "/api/v1/auth/sesion",
      cookies: { buzon_sesion: session! },
      headers: { "x-csrf-token": body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await sessionState(system.app, session!);
    expect(after.autenticado).toBe(false);
    expect(after.detail).toContain("Inicia sesión");
    // Nobody signed in at all: the same 200, with nothing to explain.
    const anonymous = await system.app.inject({ url: "/api/v1/auth/sesion" });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ autenticado: false });
  });

  it("lists one's own sessions and closes another device's", async () => {
    const efirma = await issueTestEfirma({
      rfc: "VADA800927DJ3",
      name: "DANIEL VALDEZ ARIAS",
      curp: "VADA800927HSRSRL05",
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    const first = await signIn(system.app, efirma);
    const second = await signIn(system.app, efirma);
    const other = await signIn(
      system.app,
      await issueTestEfirma({
        rfc: "CACX7605101P8",
        name: "XOCHILT CASAS CHAVEZ",
        curp: "CACX760510MGTSHC04",
        representativeRfc: undefined,
        representativeCurp: undefined,
      }),
    );
    const cookie = { buzon_sesion: cookieOf(second, "buzon_sesion")! };
    const list = (await system.app.inject({ url: "/api/v1/auth/sesiones", cookies: cookie })).json()
      .sessions;
    expect(list.map((s: { id: string }) => s.id).sort()).toEqual(
      [first.json().session.id, second.json().session.id].sort(),
    );
    expect(list.find((s: { current: boolean }) => s.current).id).toBe(second.json().session.id);
    const csrf = { "x-csrf-token": second.json().csrfToken };
    const foreign = await system.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sesiones/${other.json().session.id}`,
      cookies: cookie,
      headers: csrf,
    });
    expect(foreign.statusCode).toBe(404);
    const closed = await system.app.inject({
      method: "DELETE",
      url: `/api/v1/auth/sesiones/${first.json().session.id}`,
      cookies: cookie,
      headers: csrf,
    });
    expect(closed.statusCode).toBe(204);
    const firstNow = await sessionState(system.app, cookieOf(first, "buzon_sesion")!);
    expect(firstNow.autenticado).toBe(false);
  });

  it("ends a session after the idle timeout and after its absolute lifetime", async () => {
    const efirma = await issueTestEfirma();
    const response = await signIn(system.app, efirma);
    const token = cookieOf(response, "buzon_sesion")!;
    now = START.add({ minutes: 29 });
    expect((await sessionState(system.app, token)).autenticado).toBe(true);
    now = START.add({ minutes: 29 + 31 });
    const idle = await sessionState(system.app, token);
    expect(idle.autenticado).toBe(false);
    expect(idle.detail).toContain("inactividad");

    now = START;
    const again = await signIn(system.app, efirma);
    const token2 = cookieOf(again, "buzon_sesion")!;
    for (let minutes = 25; minutes < 12 * 60; minutes += 25) {
      now = START.add({ minutes });
      expect((await sessionState(system.app, token2)).autenticado).toBe(true);
    }
    now = START.add({ hours: 12, minutes: 1 });
    expect((await sessionState(system.app, token2)).autenticado).toBe(false);
    now = START;
  });

  it("moves the idle end once per step, never later than exact, and keeps the session open", async () => {
    const efirma = await issueTestEfirma();
    const token = cookieOf(await signIn(system.app, efirma), "buzon_sesion")!;
    const idleEnd = async () =>
      Date.parse(
        (
          await system.app.inject({ url: "/api/v1/auth/sesion", cookies: { buzon_sesion: token } })
        ).json().idleExpiresAt,
      );
    // Within the step: nothing written, the idle end is the sign-in's.
    now = START.add({ seconds: 20 });
    expect(await idleEnd()).toBe(START.add({ minutes: 30 }).epochMilliseconds);
    // A step later: it slides to this request + 30 minutes.
    now = START.add({ seconds: 31 });
    expect(await idleEnd()).toBe(START.add({ seconds: 31, minutes: 30 }).epochMilliseconds);
    // Requests every 20 s for 40 minutes keep it open: each step moves it again.
    for (let seconds = 51; seconds < 40 * 60; seconds += 20) {
      now = START.add({ seconds });
      expect((await sessionState(system.app, token)).autenticado).toBe(true);
    }
    now = START;
  });

  it("ends a staff member's session when their role changes or they leave the staff", async () => {
    now = START;
    const servant = await issueFisicaEfirma(fisicaRfc("ROCA"), "ROSA CAMPOS");
    await system.staff.set({ rfc: servant.rfc, role: "operador", name: "ROSA" }, "prueba");
    const open = async () => {
      const token = cookieOf(await signIn(system.app, servant), "buzon_sesion")!;
      expect(await sessionState(system.app, token)).toMatchObject({ autenticado: true });
      return token;
    };
    // Through the staff service: the change ends the person's sessions in its transaction.
    let token = await open();
    await system.staff.set({ rfc: servant.rfc, role: "notificador", name: "ROSA" }, "prueba");
    expect(await sessionState(system.app, token)).toMatchObject({ autenticado: false });
    // Changed by any other path (another process, the database itself): the request's own
    // check sees a role that is not the session's and ends it.
    const db = system.database.db;
    token = await open();
    await db
      .updateTable("staff_members")
      .set({ role: "administrador" })
      .where("rfc", "=", servant.rfc)
      .execute();
    const changed = await sessionState(system.app, token);
    expect(changed).toMatchObject({ autenticado: false });
    expect(changed.detail).toContain("Tu rol en el Instituto cambió");
    token = await open();
    await db
      .updateTable("staff_members")
      .set({ active: false })
      .where("rfc", "=", servant.rfc)
      .execute();
    const left = await sessionState(system.app, token);
    expect(left.detail).toContain("Tu rol en el Instituto cambió");
    // Now a particular: a new session carries no role and stays open.
    token = await open();
    expect(await sessionState(system.app, token)).toMatchObject({
      autenticado: true,
      staffRole: null,
    });
  });

  it.each([
    ["an expired certificate", { validity: "vencido" as const }, "certificate_expired", "venció"],
    [
      "a certificate not yet valid",
      { validity: "futuro" as const },
      "certificate_not_yet_valid",
      "aún no es vigente",
    ],
    [
      "a CSD instead of the e.firma",
      { kind: "CSD" as const },
      "csd_not_fiel",
      "sello digital (CSD)",
    ],
  ])("refuses %s", async (_name, options, code, detail) => {
    const response = await signIn(system.app, await issueTestEfirma(options));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code });
    expect(response.json().detail).toContain(detail);
    expect(cookieOf(response, "buzon_sesion")).toBeUndefined();
  });

  it("refuses a certificate from an issuer it does not trust", async () => {
    const strangerCa = await initDevCa(mkdtempSync(join(tmpdir(), "buzon-otra-ca-")));
    const stranger = await issueEfirma(strangerCa, {
      rfc: "EKU9003173C9",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      representativeRfc: "VADA800927DJ3",
    });
    const response = await signIn(system.app, stranger);
    expect(response.json()).toMatchObject({ code: "unknown_issuer" });
  });

  it("refuses the SAT's CSD as a CSD and the SAT's test e.firma as of an unknown issuer", async () => {
    for (const [kind, code] of [
      ["fake-csd", "csd_not_fiel"],
      ["fake-fiel", "unknown_issuer"],
    ] as const) {
      const fixture = await satFixture(kind);
      const challenge = await challengeFor(system.app, "EKU9003173C9");
      const response = await postSession(
        system.app,
        {
          challengeId: challenge.challengeId,
          certificate: fixture.cer.toString("base64"),
          signature: Buffer.alloc(256, 1).toString("base64"),
        },
        challenge.attempt,
      );
      expect(response.json().code).toBe(code);
    }
  });

  it("refuses when the typed RFC is not the certificate's", async () => {
    const efirma = await issueTestEfirma();
    const response = await signIn(system.app, efirma, "VADA800927DJ3");
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toBe(
      "El RFC capturado (VADA800927DJ3) no coincide con el RFC del certificado (EKU9003173C9).",
    );
  });

  it("refuses a signature made with the key of another certificate, and a tampered one", async () => {
    const mine = await issueTestEfirma();
    const other = await issueTestEfirma();
    const challenge = await challengeFor(system.app, mine.rfc);
    const signedByOther = await signLikeTheBrowser(other, challenge.toSign);
    const wrongKey = await postSession(
      system.app,
      {
        challengeId: challenge.challengeId,
        certificate: (await signLikeTheBrowser(mine, "x")).certificate,
        signature: signedByOther.signature,
      },
      challenge.attempt,
    );
    expect(wrongKey.json().code).toBe("signature_invalid");

    const fresh = await challengeFor(system.app, mine.rfc);
    const signed = await signLikeTheBrowser(mine, fresh.toSign);
    const bytes = Buffer.from(signed.signature, "base64");
    bytes[10] = (bytes[10] ?? 0) ^ 0xff;
    const tampered = await postSession(
      system.app,
      {
        challengeId: fresh.challengeId,
        certificate: signed.certificate,
        signature: bytes.toString("base64"),
      },
      fresh.attempt,
    );
    expect(tampered.json().code).toBe("signature_invalid");
  });

  it("uses a challenge once, only within its life, and only in the attempt that asked for it", async () => {
    const efirma = await issueTestEfirma();
    const challenge = await challengeFor(system.app, efirma.rfc);
    const signed = await signLikeTheBrowser(efirma, challenge.toSign);
    const body = { challengeId: challenge.challengeId, ...signed };
    expect((await postSession(system.app, body, challenge.attempt)).statusCode).toBe(201);
    const replay = await postSession(system.app, body, challenge.attempt);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("challenge_invalid");

    const late = await challengeFor(system.app, efirma.rfc);
    now = START.add({ seconds: 121 });
    const expired = await postSession(
      system.app,
      { challengeId: late.challengeId, ...(await signLikeTheBrowser(efirma, late.toSign)) },
      late.attempt,
    );
    now = START;
    expect(expired.json().code).toBe("challenge_invalid");

    const theirs = await challengeFor(system.app, efirma.rfc);
    const mine = await challengeFor(system.app, efirma.rfc);
    const crossed = await postSession(
      system.app,
      { challengeId: theirs.challengeId, ...(await signLikeTheBrowser(efirma, theirs.toSign)) },
      mine.attempt,
    );
    expect(crossed.json().code).toBe("challenge_invalid");
  });

  it("hands a fresh attempt token with every challenge, never one the client brings", async () => {
    const efirma = await issueTestEfirma();
    // An attacker plants a well-formed attempt cookie and waits for the victim to sign.
    const planted = "A".repeat(43);
    const challenge = await challengeFor(system.app, efirma.rfc, planted);
    expect(challenge.attempt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge.attempt).not.toBe(planted);
    const signed = await signLikeTheBrowser(efirma, challenge.toSign);
    const body = { challengeId: challenge.challengeId, ...signed };
    expect((await postSession(system.app, body, planted)).json().code).toBe("challenge_invalid");
    const again = await challengeFor(system.app, efirma.rfc, challenge.attempt);
    expect(again.attempt).not.toBe(challenge.attempt);
  });

  it.each([
    [
      "truncated DER",
      () => Buffer.from([0x30, 0x82, 0x05, 0x00, 0x30]).toString("base64"),
      400,
      "not_a_certificate",
    ],
    [
      "random bytes",
      () =>
        Buffer.from(Array.from({ length: 1500 }, (_, i) => (i * 7919) % 256)).toString("base64"),
      400,
      "not_a_certificate",
    ],
    [
      "PEM with garbage",
      () =>
        Buffer.from("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----").toString(
          "base64",
        ),
      400,
      "not_a_certificate",
    ],
    ["a huge file", () => Buffer.alloc(40_000, 0x41).toString("base64"), 400, "validation"],
  ])("answers %s with a clear refusal", async (_name, certificate, status, code) => {
    const challenge = await challengeFor(system.app, "EKU9003173C9");
    const response = await postSession(
      system.app,
      { challengeId: challenge.challengeId, certificate: certificate(), signature: "AAAA" },
      challenge.attempt,
    );
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
  });

  it("refuses a damaged certificate that Node itself still accepts (was a 500)", async () => {
    const { cer } = await satFixture("fake-fiel");
    const damaged = Buffer.from(cer);
    damaged[damaged.indexOf(Buffer.from("270517043714Z", "latin1")) + 12] = 0x5b;
    const challenge = await challengeFor(system.app, "EKU9003173C9");
    const response = await postSession(
      system.app,
      {
        challengeId: challenge.challengeId,
        certificate: damaged.toString("base64"),
        signature: "AAAA",
      },
      challenge.attempt,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("not_a_certificate");
  });

  it("refuses a malformed RFC before issuing a challenge", async () => {
    const response = await system.app.inject({
      method: "POST",
      url: "/api/v1/auth/desafio",
      payload: { rfc: "NO-ES-RFC" },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toContain("RFC");
  });
});

describe("staff roles and limits", () => {
  let system: System;
  beforeAll(async () => {
    system = await createTestSystem({ trustDevCa: true, env: { SIGNIN_RATE_LIMIT: "20" } });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("gives a role, ends the person's sessions when it changes, and records every decision", async () => {
    const admin = await issueTestEfirma({
      rfc: "VADA800927DJ3",
      name: "DANIEL VALDEZ ARIAS",
      curp: "VADA800927HSRSRL05",
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    await system.staff.set({ rfc: "VADA800927DJ3", role: "administrador" }, "prueba");
    const adminIn = await signIn(system.app, admin);
    expect(adminIn.json().session.staffRole).toBe("administrador");
    const adminAuth = {
      cookies: { buzon_sesion: cookieOf(adminIn, "buzon_sesion")! },
      headers: { "x-csrf-token": adminIn.json().csrfToken },
    };

    const clerk = await issueTestEfirma({
      rfc: "CACX7605101P8",
      name: "XOCHILT CASAS CHAVEZ",
      curp: "CACX760510MGTSHC04",
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    const granted = await system.app.inject({
      method: "PUT",
      url: "/api/v1/personal/CACX7605101P8",
      payload: { role: "notificador" },
      ...adminAuth,
    });
    expect(granted.statusCode).toBe(200);
    const clerkIn = await signIn(system.app, clerk);
    expect(clerkIn.json().session.staffRole).toBe("notificador");
    const clerkCookie = { buzon_sesion: cookieOf(clerkIn, "buzon_sesion")! };
    expect(
      (await system.app.inject({ url: "/api/v1/personal", cookies: clerkCookie })).statusCode,
    ).toBe(403);

    const changed = await system.app.inject({
      method: "PUT",
      url: "/api/v1/personal/CACX7605101P8",
      payload: { role: "operador" },
      ...adminAuth,
    });
    expect(changed.json().endedSessions).toBe(1);
    expect((await sessionState(system.app, clerkCookie.buzon_sesion)).autenticado).toBe(false);

    const badRole = await system.app.inject({
      method: "PUT",
      url: "/api/v1/personal/CACX7605101P8",
      payload: { role: "rey" },
      ...adminAuth,
    });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json().detail).toContain("Rol desconocido");

    // Signed in again as operador, then removed: the session ends at once.
    const clerkAgain = await signIn(system.app, clerk);
    expect(clerkAgain.json().session.staffRole).toBe("operador");
    const removed = await system.app.inject({
      method: "DELETE",
      url: "/api/v1/personal/CACX7605101P8",
      ...adminAuth,
    });
    expect(removed.statusCode).toBe(200);
    expect(removed.json().endedSessions).toBe(1);
    const afterRemoval = await sessionState(system.app, cookieOf(clerkAgain, "buzon_sesion")!);
    expect(afterRemoval.autenticado).toBe(false);

    const log = (
      await system.app.inject({ url: "/api/v1/auditoria/accesos?limit=50", ...adminAuth })
    ).json().events;
    expect(
      log.some(
        (e: { event: string; reason: string }) => e.event === "personal" && e.reason === "baja",
      ),
    ).toBe(true);
    expect(
      log.some(
        (e: { event: string; outcome: string; rfc: string }) =>
          e.event === "acceso" && e.outcome === "aceptado" && e.rfc === "CACX7605101P8",
      ),
    ).toBe(true);
    expect(JSON.stringify(log)).not.toContain(adminIn.json().csrfToken);

    // An administrator signed in with e.firma may declare calendar days.
    const day = await system.app.inject({
      method: "POST",
      url: "/api/v1/calendario/dias-inhabiles",
      payload: { date: "2026-12-28", reason: "Cierre", source: "ACDO de prueba" },
      ...adminAuth,
    });
    expect(day.statusCode).toBe(201);
    const history = (await system.app.inject({ url: "/api/v1/calendario/versiones" })).json()
      .versions;
    expect(history[0].createdBy).toBe("administrador VADA800927DJ3");
  });

  it("limits the rate of sign-in attempts", async () => {
    let last = 0;
    for (let i = 0; i < 30; i++) {
      const response = await system.app.inject({
        method: "POST",
        url: "/api/v1/auth/desafio",
        payload: { rfc: "EKU9003173C9" },
        remoteAddress: "10.9.9.9",
      });
      last = response.statusCode;
      if (last === 429) {
        expect(response.json().detail).toContain("Demasiados intentos");
        break;
      }
    }
    expect(last).toBe(429);
  });
});

describe("the authentication log", () => {
  let system: System;
  beforeAll(async () => {
    system = await createTestSystem({
      trustDevCa: true,
      // Challenges and attempts share this budget (one per address and minute).
      env: { SIGNIN_RATE_LIMIT: "12", TRUST_PROXY: "true" },
    });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("records every decision with its reason and no secret, and cannot be rewritten", async () => {
    const efirma = await issueTestEfirma();
    const challenge = await challengeFor(system.app, efirma.rfc);
    const signed = await signLikeTheBrowser(efirma, challenge.toSign);
    const accepted = await postSession(
      system.app,
      { challengeId: challenge.challengeId, ...signed },
      challenge.attempt,
    );
    const sessionToken = cookieOf(accepted, "buzon_sesion")!;
    // A refusal, a malformed request and a CSRF refusal.
    await signIn(system.app, await issueTestEfirma({ validity: "vencido" }));
    await system.app.inject({
      method: "POST",
      url: "/api/v1/auth/sesion",
      payload: { challengeId: "nope" },
    });
    await system.app.inject({
      method: "DELETE",
      url: "/api/v1/auth/sesion",
      cookies: { buzon_sesion: sessionToken },
    });

    const db = system.database.db;
    const events = await db.selectFrom("auth_events").selectAll().orderBy("id").execute();
    const reasons = events.map((e) => `${e.event}:${e.outcome}:${e.reason ?? ""}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "acceso:aceptado:",
        "acceso:rechazado:certificate_expired",
        "autorizacion:rechazado:solicitud_invalida_400",
        "autorizacion:rechazado:csrf",
      ]),
    );
    const dump = JSON.stringify(events);
    for (const secret of [
      signed.signature,
      sessionToken,
      accepted.json().csrfToken,
      challenge.attempt,
      efirma.password,
    ]) {
      expect(dump).not.toContain(secret);
    }
    await expect(
      db.updateTable("auth_events").set({ reason: "borrado" }).execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(db.deleteFrom("auth_events").execute()).rejects.toThrow(/solo admite inserciones/);
  });

  it("does not file a refusal under the RFC an untrusted certificate claims", async () => {
    const strangerCa = await initDevCa(mkdtempSync(join(tmpdir(), "buzon-otra-ca-")));
    const forged = await issueEfirma(strangerCa, {
      rfc: "CACX7605101P8",
      name: "SUPLANTADOR",
      curp: "CACX760510MGTSHC04",
    });
    const response = await signIn(system.app, forged, "EKU9003173C9");
    expect(response.json().code).toBe("unknown_issuer");
    const last = await system.database.db
      .selectFrom("auth_events")
      .selectAll()
      .orderBy("id", "desc")
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      reason: "unknown_issuer",
      rfc: "EKU9003173C9",
      certificate_number: null,
    });
  });

  it("uses the forwarded client address behind a trusted proxy, and limits sign-in attempts per address", async () => {
    const efirma = await issueTestEfirma();
    const challenge = await challengeFor(system.app, efirma.rfc);
    const signed = await signLikeTheBrowser(efirma, challenge.toSign);
    let last = 0;
    for (let i = 0; i < 15 && last !== 429; i++) {
      const response = await system.app.inject({
        method: "POST",
        url: "/api/v1/auth/sesion",
        payload: { challengeId: challenge.challengeId, ...signed },
        cookies: { buzon_intento: challenge.attempt },
        headers: { "x-forwarded-for": "203.0.113.7" },
      });
      last = response.statusCode;
    }
    expect(last).toBe(429);
    const limited = await system.database.db
      .selectFrom("auth_events")
      .selectAll()
      .where("reason", "=", "limite_de_intentos")
      .execute();
    expect(limited.some((e) => e.ip === "203.0.113.7")).toBe(true);
    // Another address is not affected.
    const other = await system.app.inject({
      method: "POST",
      url: "/api/v1/auth/desafio",
      payload: { rfc: efirma.rfc },
      headers: { "x-forwarded-for": "203.0.113.8" },
    });
    expect(other.statusCode).toBe(201);
  });
});

describe("a session whose role changed while signing in", () => {
  it("ends at the next request", async () => {
    const system = await createTestSystem({ trustDevCa: true });
    try {
      const person = await issueTestEfirma({
        rfc: "CACX7605101P8",
        name: "XOCHILT CASAS CHAVEZ",
        curp: "CACX760510MGTSHC04",
        representativeRfc: undefined,
        representativeCurp: undefined,
      });
      await system.staff.set({ rfc: "CACX7605101P8", role: "administrador" }, "prueba");
      const response = await signIn(system.app, person);
      // As if the role changed between the role lookup and the session insert.
      await system.database.db
        .updateTable("staff_members")
        .set({ role: "auditor" })
        .where("rfc", "=", "CACX7605101P8")
        .execute();
      const me = await sessionState(system.app, cookieOf(response, "buzon_sesion")!);
      expect(me.autenticado).toBe(false);
      expect(me.detail).toContain("rol");
    } finally {
      await system.app.close();
    }
  });
});

describe("cookies in production", () => {
  it("are Secure", async () => {
    const { testDevCa } = await import("../../testing/efirma.ts");
    const ca = await testDevCa();
    const crls = mkdtempSync(join(tmpdir(), "buzon-crl-prod-"));
    const { writeDevCrl } = await import("../../platform/crypto/dev-ca.ts");
    await writeDevCrl(ca, join(crls, "ca.crl"));
    const { createDevelopmentLogSigner } = await import("../../platform/crypto/log-key.ts");
    const logKey = join(mkdtempSync(join(tmpdir(), "buzon-log-key-")), "log-key.pem");
    await createDevelopmentLogSigner(logKey, "buzon-imss.invalid/log");
    const { createDevelopmentSeal } = await import("../../platform/crypto/seal.ts");
    const sealDir = mkdtempSync(join(tmpdir(), "buzon-sello-"));
    await createDevelopmentSeal(sealDir);
    const system = await createTestSystem({
      trustDevCa: true,
      env: {
        BUZON_ENV: "production",
        TRUST_STORE_DIR: ca.dir,
        CRL_DIR: crls,
        LOG_KEY_FILE: logKey,
        SEAL_CERT_FILE: join(sealDir, "sello.cer"),
        SEAL_KEY_FILE: join(sealDir, "sello-key.pem"),
        PUBLIC_URL: "https://buzon.example",
      },
    });
    try {
      const response = await signIn(system.app, await issueTestEfirma());
      expect(response.statusCode).toBe(201);
      const session = response.cookies.find((c) => c.name === "__Host-buzon_sesion");
      expect(session).toMatchObject({ secure: true, path: "/", httpOnly: true });
      expect(session?.maxAge).toBeUndefined();
      expect(session?.domain).toBeUndefined();
      // The unprefixed name is not read: a subdomain could have set it.
      const me = (cookies: Record<string, string>) =>
        system.app.inject({ url: "/api/v1/auth/sesion", cookies });
      expect((await me({ buzon_sesion: session?.value ?? "" })).json().autenticado).toBe(false);
      expect((await me({ "__Host-buzon_sesion": session?.value ?? "" })).json().autenticado).toBe(
        true,
      );
      // «Mantener la sesión»: the cookie lasts as long as the session may.
      const challenge = await challengeFor(system.app, "EKU9003173C9");
      const efirma = await issueTestEfirma();
      const kept = await postSession(
        system.app,
        {
          challengeId: challenge.challengeId,
          ...(await signLikeTheBrowser(efirma, challenge.toSign)),
          remember: true,
        },
        challenge.attempt,
        challenge.attemptName,
      );
      expect(kept.statusCode).toBe(201);
      expect(kept.cookies.find((c) => c.name === "__Host-buzon_sesion")?.maxAge).toBe(12 * 3600);
    } finally {
      await system.app.close();
    }
  });
});
