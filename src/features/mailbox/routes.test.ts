import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { spanishInstant } from "../../domain/time/zona-centro.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem, TEST_ADMIN_RFC } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { openSecret } from "../delivery/secret-box.ts";
import { createPadronStore, type PadronEntry } from "../padron/store.ts";
import { appendMailboxEvent } from "./store.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * «Mis medios de contacto» through HTTP, on both engines: the real system (evidence, outbox,
 * padrón, sessions) with a clock the tests move. Codes are read the way the delivery worker
 * reads them: from the outbox, opened with the process's key.
 */

// The test CA's certificates are valid from a day before the real present.
const START = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });

const MORAL = "EKU9003173C9";
const FISICA = "XOJI740919U48";
const RP_1 = "Y5412345108";
const RP_2 = "Y5412345207";
const RP_OTHER = "B5510768108";

function entry(rfc: string, registros: string[], habilitado2020?: Date): PadronEntry {
  return {
    rfc,
    name: rfc === MORAL ? "ESCUELA KEMPER URGATE SA DE CV" : "OTRA PERSONA",
    persona: rfc.length === 12 ? "moral" : "fisica",
    registrosPatronales: registros,
    emailOnFile: null,
    habilitacion2020: habilitado2020 ? { at: habilitado2020 } : null,
  };
}

describe.each(ENGINES)("«Mis medios de contacto» on %s", (engine) => {
  let system: System;
  let now = START;
  let moral: SignedIn;
  let fisica: SignedIn;
  let moralEfirma: IssuedEfirma;
  let fisicaEfirma: IssuedEfirma;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => now,
    });
    const padron = createPadronStore(system.database.db);
    const importId = randomUUID();
    await padron.beginImport({
      id: importId,
      fileName: "padron-pruebas.csv",
      sha256: "0".repeat(64),
      actor: "pruebas",
      startedAt: new Date(START.epochMilliseconds),
    });
    await padron.write(
      [entry(MORAL, [RP_1, RP_2]), entry("AAA010101AAA", [RP_OTHER])],
      importId,
      new Date(START.epochMilliseconds),
    );
    moralEfirma = await issueTestEfirma();
    fisicaEfirma = await issueTestEfirma({
      rfc: FISICA,
      name: "JUAN PEREZ",
      curp: "XOJI740919HDFLNN09",
      representativeRfc: undefined,
      representativeCurp: undefined,
    });
    moral = await signInWith(system.app, moralEfirma);
    fisica = await signInWith(system.app, fisicaEfirma);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  /** Moves the clock; sessions idle that long have ended, so both sign in again. */
  const advance = async (duration: Temporal.DurationLike) => {
    now = now.add(duration);
    moral = await signInWith(system.app, moralEfirma);
    fisica = await signInWith(system.app, fisicaEfirma);
  };

  function call(who: SignedIn, method: "GET" | "POST" | "DELETE", url: string, payload?: object) {
    return system.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      cookies: { buzon_sesion: who.cookie },
      headers: method === "GET" ? {} : { "x-csrf-token": who.csrf },
    });
  }
  const view = async (who: SignedIn) => {
    const response = await call(who, "GET", "/api/v1/buzon");
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const register = (who: SignedIn, body: object) => call(who, "POST", "/api/v1/buzon/medios", body);
  const validate = (who: SignedIn, id: string, codigo: string) =>
    call(who, "POST", `/api/v1/buzon/medios/${id}/validacion`, { codigo });
  const resend = (who: SignedIn, id: string) =>
    call(who, "POST", `/api/v1/buzon/medios/${id}/reenvio`);
  const remove = (who: SignedIn, id: string) => call(who, "DELETE", `/api/v1/buzon/medios/${id}`);

  /** The last code sent to `to`, as the delivery worker opens it. */
  async function lastCode(to: string): Promise<string> {
    const row = await system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "secret"])
      .where("recipient", "=", to)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    const secret = row.secret ? openSecret(row.secret, row.idempotency_key) : undefined;
    expect(secret?.codigo).toMatch(/^\d{6}$/);
    return secret!.codigo!;
  }

  function expectProblem(
    response: Awaited<ReturnType<typeof call>>,
    status: number,
    code: string,
    detail?: RegExp,
  ) {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe(code);
    if (detail) expect(body.detail).toMatch(detail);
    return body;
  }

  async function verifies(acuse: { folio: string; codigo: string }) {
    await system.evidence.publishCheckpoint();
    const exported = await system.app.inject({
      url: `/api/v1/acuses/${acuse.folio}/json?codigo=${encodeURIComponent(acuse.codigo)}`,
    });
    expect(exported.statusCode).toBe(200);
    const verified = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/acuse",
      payload: exported.json(),
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().verdict).toBe("autentico");
    // The acuse's text for people: whole seconds (the instant itself keeps its milliseconds).
    expect(verified.json().acuse.eventAtText).toMatch(/ a las \d\d:\d\d:\d\d \(Zona Centro\)$/);
    const byFolio = await system.app.inject({
      url: `/api/v1/verificacion/acuses/${acuse.folio}?codigo=${encodeURIComponent(acuse.codigo)}`,
    });
    expect(byFolio.json().verdict).toBe("autentico");
    // Both ways show the same acuse, the habilitación it states included (ADR 0011).
    expect(byFolio.json().acuse).toEqual(verified.json().acuse);
    return exported.json();
  }

  it("walks a mailbox from sin_medios to medios_validados, each step with an acuse that verifies", async () => {
    expect(await view(moral)).toMatchObject({
      rfc: MORAL,
      state: "sin_medios",
      provenance: null,
      canEnter: false,
      means: [],
      inPadron: true,
      registrosPatronales: [RP_1, RP_2],
      validated: { correos: 0, celulares: 0 },
    });

    // Milliseconds past the second: machines get them, people do not.
    now = now.add({ milliseconds: 3 });
    const registeredAt = now;
    const email = await register(moral, { kind: "correo", value: " Ana.Perez@Ejemplo.MX " });
    expect(email.statusCode, email.body).toBe(201);
    const body = email.json();
    expect(body.state).toBe("medios_pendientes");
    expect(body.means).toHaveLength(1);
    expect(body.means[0]).toMatchObject({
      kind: "correo",
      value: "ana.perez@ejemplo.mx",
      scope: "rfc",
      status: "pendiente",
      acuseFolio: body.acuse.folio,
      attemptsLeft: 5,
      locked: false,
    });
    // 72 clock hours, as `buzon plazos validacion` computes them.
    expect(
      Temporal.Instant.from(body.means[0].expiresAt).equals(registeredAt.add({ hours: 72 })),
    ).toBe(true);
    expect(Temporal.Instant.from(body.expiresAt).equals(registeredAt.add({ hours: 72 }))).toBe(
      true,
    );
    expect(body.plazo.explanation[0].rule).toBe("validacion_medios");
    const exported = await verifies(body.acuse);
    expect(exported.acuse.kind).toBe("registro_medios_contacto");
    // Not enabled: the acuse states no habilitación, a version-1 cadena as always.
    expect(exported.cadenaOriginal.startsWith("||1|")).toBe(true);
    expect(exported.acuse).not.toHaveProperty("habilitacion");
    expect(exported.acuse.parties).toMatchObject({
      rfc: MORAL,
      actorRfc: "VADA800927DJ3",
      capacity: "representante_legal",
    });

    // One message, the code sealed at rest, the link to the validation page in its data.
    const messages = await system.database.db
      .selectFrom("outbox")
      .selectAll()
      .where("rfc", "=", MORAL)
      .execute();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      channel: "correo",
      recipient: "ana.perez@ejemplo.mx",
      template: "medio_validacion_correo",
    });
    expect(JSON.stringify(messages[0]!.data)).not.toMatch(/codigo/);
    // The e-mail says «hasta el … a las HH:MM:SS (Zona Centro)», never with milliseconds.
    const vence = (messages[0]!.data as Record<string, string>).vence;
    expect(vence).toBe(
      spanishInstant(
        registeredAt.add({ hours: 72 }).round({ smallestUnit: "second", roundingMode: "floor" }),
      ),
    );
    expect(vence).toMatch(/ a las \d\d:\d\d:\d\d \(Zona Centro\)$/);
    expect((messages[0]!.data as Record<string, string>).enlace).toMatch(
      new RegExp(`/buzon/medios/${body.means[0].id}/validar$`),
    );
    const code = await lastCode("ana.perez@ejemplo.mx");
    expect(
      Buffer.from(
        (
          await system.database.db
            .selectFrom("mailbox_means")
            .select("code_hash")
            .where("id", "=", body.means[0].id)
            .executeTakeFirstOrThrow()
        ).code_hash!,
      ).toString("utf8"),
    ).not.toContain(code);

    await advance({ minutes: 5 });
    const wrong = code === "000000" ? "111111" : "000000";
    expectProblem(await validate(moral, body.means[0].id, wrong), 400, "wrong_code", /quedan 4/);
    const ok = await validate(moral, body.means[0].id, code);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ state: "medios_pendientes" });
    expect(ok.json().means[0]).toMatchObject({ status: "validado" });
    expect((await verifies(ok.json().acuse)).acuse.kind).toBe("validacion_medios_contacto");
    // A double click: the second finds it validated.
    expectProblem(await validate(moral, body.means[0].id, code), 409, "means_not_pending");

    const phone = await register(moral, { kind: "celular", value: "55 1234 5678" });
    expect(phone.statusCode, phone.body).toBe(201);
    expect(phone.json().means[0].value).toBe("+525512345678");
    const sms = await system.database.db
      .selectFrom("outbox")
      .select(["channel", "template"])
      .where("recipient", "=", "+525512345678")
      .executeTakeFirstOrThrow();
    expect(sms).toEqual({ channel: "sms", template: "medio_validacion_sms" });
    const validated = await validate(
      moral,
      phone.json().means[0].id,
      await lastCode("+525512345678"),
    );
    expect(validated.statusCode).toBe(200);
    expect(validated.json().state).toBe("medios_validados");
    expect(await view(moral)).toMatchObject({
      state: "medios_validados",
      validated: { correos: 1, celulares: 1 },
    });
    const row = await system.database.db
      .selectFrom("mailboxes")
      .selectAll()
      .where("rfc", "=", MORAL)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("medios_validados");
  });

  it("refuses bad e-mails and phones with a Spanish problem", async () => {
    expectProblem(
      await register(moral, { kind: "correo", value: "ana@@ejemplo" }),
      400,
      "invalid_email",
      /correo electrónico/,
    );
    expectProblem(
      await register(moral, { kind: "celular", value: "12345" }),
      400,
      "invalid_phone",
      /10 dígitos/,
    );
    expectProblem(await register(moral, { kind: "fax", value: "x" }), 400, "validation");
    expectProblem(
      await register(moral, { kind: "correo", value: "a@ejemplo.mx", extra: 1 }),
      400,
      "validation",
    );
  });

  it("refuses a duplicate, a sixth e-mail and a second phone", async () => {
    const duplicate = await register(moral, { kind: "correo", value: "ANA.PEREZ@ejemplo.mx" });
    expectProblem(duplicate, 409, "duplicate_means");
    // A JSON pointer, like every other field problem of the body.
    expect(duplicate.json().errors).toEqual([
      { pointer: "/value", detail: expect.stringContaining("ya está registrado") },
    ]);
    for (const i of [2, 3, 4, 5]) {
      expect(
        (await register(moral, { kind: "correo", value: `c${i}@ejemplo.mx` })).statusCode,
      ).toBe(201);
    }
    expectProblem(
      await register(moral, { kind: "correo", value: "c6@ejemplo.mx" }),
      409,
      "means_limit",
      /5 correos/,
    );
    expectProblem(
      await register(moral, { kind: "celular", value: "3312345678" }),
      409,
      "means_limit",
      /un teléfono celular/,
    );
  });

  it("registers a means for several registros patronales at once, with one code", async () => {
    const response = await register(moral, {
      kind: "correo",
      value: "nominas@ejemplo.mx",
      registrosPatronales: [RP_1, RP_2],
    });
    expect(response.statusCode, response.body).toBe(201);
    const means = response.json().means;
    expect(means.map((m: { scope: string }) => m.scope)).toEqual([RP_1, RP_2]);
    expect(
      await system.database.db
        .selectFrom("outbox")
        .select("id")
        .where("recipient", "=", "nominas@ejemplo.mx")
        .execute(),
    ).toHaveLength(1);
    const ok = await validate(moral, means[1].id, await lastCode("nominas@ejemplo.mx"));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().means.map((m: { status: string }) => m.status)).toEqual([
      "validado",
      "validado",
    ]);
    // Optional scopes do not change the RFC's state.
    expect((await view(moral)).state).toBe("medios_validados");
  });

  it("refuses a registro patronal of another RFC, and any for an RFC outside the padrón", async () => {
    const body = expectProblem(
      await register(moral, {
        kind: "correo",
        value: "x@ejemplo.mx",
        registrosPatronales: [RP_1, RP_OTHER],
      }),
      403,
      "registro_patronal_ajeno",
      new RegExp(RP_OTHER),
    );
    expect(body.errors).toEqual([
      { pointer: "/registrosPatronales/1", detail: expect.stringContaining(RP_OTHER) },
    ]);
    expectProblem(
      await register(moral, { kind: "correo", value: "x@ejemplo.mx", registrosPatronales: ["X1"] }),
      400,
      "invalid_registro_patronal",
    );
    expectProblem(
      await register(fisica, {
        kind: "correo",
        value: "juan@ejemplo.mx",
        registrosPatronales: [RP_1],
      }),
      403,
      "not_in_padron",
      /no está en el padrón/,
    );
    // Outside the padrón, the RFC's own means are still allowed (5.1 binds every particular).
    expect((await view(fisica)).inPadron).toBe(false);
    expect((await register(fisica, { kind: "correo", value: "juan@ejemplo.mx" })).statusCode).toBe(
      201,
    );
  });

  it("answers 404 for a means of another RFC's mailbox, whatever the route", async () => {
    const theirs = (await view(moral)).means[0].id;
    expectProblem(await validate(fisica, theirs, "123456"), 404, "not_found");
    expectProblem(await resend(fisica, theirs), 404, "not_found");
    expectProblem(await remove(fisica, theirs), 404, "not_found");
    expectProblem(await remove(fisica, "no-es-un-id"), 404, "not_found");
    expect((await view(moral)).means[0].id).toBe(theirs);
  });

  it("locks a brute-forced code, and a new code unlocks it", async () => {
    const reg = await register(fisica, { kind: "celular", value: "8112345678" });
    const id = reg.json().means[0].id;
    const code = await lastCode("+528112345678");
    const wrongs = ["000000", "111111", "222222", "333333", "444444", "555555"].filter(
      (c) => c !== code,
    );
    for (let i = 0; i < 4; i++) {
      expectProblem(await validate(fisica, id, wrongs[i]!), 400, "wrong_code");
    }
    expectProblem(await validate(fisica, id, wrongs[4]!), 429, "code_locked");
    // Locked: even the right code is refused until a new one is sent.
    expectProblem(await validate(fisica, id, code), 429, "code_locked");
    expect((await view(fisica)).means.find((m: { id: string }) => m.id === id)).toMatchObject({
      locked: true,
      attemptsLeft: 0,
    });
    // The cool-down: a minute after the last code.
    expectProblem(await resend(fisica, id), 429, "resend_too_soon", /Espera/);
    await advance({ seconds: 61 });
    const resent = await resend(fisica, id);
    expect(resent.statusCode, resent.body).toBe(202);
    const fresh = await lastCode("+528112345678");
    if (fresh !== code) expectProblem(await validate(fisica, id, code), 400, "wrong_code");
    expect((await validate(fisica, id, fresh)).statusCode).toBe(200);
  });

  it("counts concurrent wrong guesses one by one", async () => {
    const reg = await register(fisica, { kind: "correo", value: "concurrente@ejemplo.mx" });
    const id = reg.json().means[0].id;
    const code = await lastCode("concurrente@ejemplo.mx");
    const guesses = Array.from({ length: 8 }, (_, i) => String(100000 + i)).filter(
      (c) => c !== code,
    );
    const answers = await Promise.all(guesses.map((g) => validate(fisica, id, g)));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses.filter((s) => s === 400)).toHaveLength(4);
    expect(statuses.filter((s) => s === 429)).toHaveLength(guesses.length - 4);
  });

  it("cancels unvalidated means after 72 hours: validation answers 410, the job cancels once", async () => {
    const reg = await register(fisica, { kind: "correo", value: "tarde@ejemplo.mx" });
    const id = reg.json().means[0].id;
    const code = await lastCode("tarde@ejemplo.mx");
    await advance({ hours: 72 });
    expectProblem(await validate(fisica, id, code), 410, "code_expired", /72 horas/);
    expectProblem(await resend(fisica, id), 410, "code_expired");
    // The job, as the worker (and the demo clock) runs it: registered on the scheduler.
    expect(system.scheduler.names()).toEqual(
      expect.arrayContaining(["medios_vencidos", "habilitaciones_2020"]),
    );
    await system.scheduler.runAll();
    expect(await system.mailbox.cancelExpired()).toBe(0);
    const events = await system.database.db
      .selectFrom("mailbox_events")
      .select(["type", "data"])
      .where("rfc", "=", FISICA)
      .where("type", "=", "medio_cancelado")
      .execute();
    expect(events.map((e) => (e.data as { meansId: string }).meansId)).toContain(id);
    expect((await view(fisica)).means.find((m: { id: string }) => m.id === id)?.status).toBe(
      "cancelado",
    );
    // Cancelled: it can be registered again.
    expect((await register(fisica, { kind: "correo", value: "tarde@ejemplo.mx" })).statusCode).toBe(
      201,
    );
  });

  it("frees an expired address at once, before the job runs", async () => {
    const first = await register(fisica, { kind: "correo", value: "otra-vez@ejemplo.mx" });
    await advance({ hours: 72, seconds: 1 });
    const again = await register(fisica, { kind: "correo", value: "otra-vez@ejemplo.mx" });
    expect(again.statusCode, again.body).toBe(201);
    const statuses = (await view(fisica)).means
      .filter((m: { value: string }) => m.value === "otra-vez@ejemplo.mx")
      .map((m: { id: string; status: string }) => [m.id, m.status]);
    expect(statuses).toEqual([
      [first.json().means[0].id, "cancelado"],
      [again.json().means[0].id, "pendiente"],
    ]);
  });

  it("keeps an enabled mailbox enabled: removing its only phone is refused, a change is not", async () => {
    await appendMailboxEvent(system.database.db, {
      type: "terminos_firmados",
      rfc: MORAL,
      at: now,
      acuseFolio: null,
      data: { version: "1", sha256: "c".repeat(64) },
    });
    const before = await view(moral);
    expect(before.state).toBe("habilitado");
    expect(before.provenance).toBe("activacion");
    expect(before.canEnter).toBe(true);
    const phone = before.means.find((m: { kind: string; scope: string }) => m.kind === "celular");
    expectProblem(await remove(moral, phone.id), 409, "removal_disables_mailbox", /celular/);

    // Another e-mail may go: validated ones remain.
    const extra = before.means.find(
      (m: { value: string; scope: string }) => m.value === "c2@ejemplo.mx" && m.scope === "rfc",
    );
    const removed = await remove(moral, extra.id);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().means.map((m: { id: string }) => m.id)).not.toContain(extra.id);

    // A change: the new phone waits for validation while the old one keeps the mailbox enabled.
    expectProblem(
      await register(moral, { kind: "celular", value: "3398765432" }),
      409,
      "means_limit",
    );
    const change = await register(moral, {
      kind: "celular",
      value: "3398765432",
      replaces: phone.id,
    });
    expect(change.statusCode, change.body).toBe(201);
    expect(change.json().state).toBe("habilitado");
    // Enabled by activation: its acuses say so (cadena version 2, ADR 0011).
    const changed = await verifies(change.json().acuse);
    expect(changed.acuse.habilitacion).toBe("activacion");
    expect(changed.cadenaOriginal.startsWith("||2|")).toBe(true);
    const ok = await validate(moral, change.json().means[0].id, await lastCode("+523398765432"));
    expect(ok.json().state).toBe("habilitado");
    const after = await view(moral);
    expect(after.means.map((m: { value: string }) => m.value)).toContain("+523398765432");
    expect(after.means.map((m: { value: string }) => m.value)).not.toContain("+525512345678");
  });

  it("never creates two means for two identical requests at once", async () => {
    const body = { kind: "correo", value: "doble@ejemplo.mx" };
    const answers = await Promise.all([register(fisica, body), register(fisica, body)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.statusCode === 409)?.json().code).toBe("duplicate_means");
    const rows = await system.database.db
      .selectFrom("mailbox_means")
      .select("id")
      .where("value", "=", "doble@ejemplo.mx")
      .execute();
    expect(rows).toHaveLength(1);
    const acuses = await system.database.db
      .selectFrom("mailbox_means")
      .select("acuse_folio")
      .where("value", "=", "doble@ejemplo.mx")
      .execute();
    expect(acuses).toHaveLength(1);
  });

  it("writes nothing — means, event, message, acuse — when the outbox insert fails", async () => {
    const count = async () => ({
      means: (await system.database.db.selectFrom("mailbox_means").select("id").execute()).length,
      events: (await system.database.db.selectFrom("mailbox_events").select("id").execute()).length,
      acuses: (await system.database.db.selectFrom("acuses").select("id").execute()).length,
      outbox: (await system.database.db.selectFrom("outbox").select("id").execute()).length,
    });
    const before = await count();
    await sql`
      create function refuse_outbox() returns trigger language plpgsql as $$
      begin raise exception 'la bandeja de salida no acepta mensajes'; end $$
    `.execute(system.database.asOwner);
    await sql`
      create trigger refuse_outbox before insert on outbox
        for each row execute function refuse_outbox()
    `.execute(system.database.asOwner);
    try {
      const response = await register(fisica, { kind: "correo", value: "caida@ejemplo.mx" });
      expectProblem(response, 500, "internal");
      expect(await count()).toEqual(before);
    } finally {
      await sql`drop trigger refuse_outbox on outbox`.execute(system.database.asOwner);
      await sql`drop function refuse_outbox()`.execute(system.database.asOwner);
    }
    // The system goes on: the same registration works once the outbox accepts it.
    expect((await register(fisica, { kind: "correo", value: "caida@ejemplo.mx" })).statusCode).toBe(
      201,
    );
  });

  it("files an aclaración within 24 hours, once, with an acuse, into the staff queue", async () => {
    const reg = await register(fisica, { kind: "correo", value: "nollego@ejemplo.mx" });
    const meansId = reg.json().means[0].id;
    expect(reg.json().means[0].aclaracionUntil).not.toBeNull();
    await advance({ hours: 2 });
    const filed = await call(fisica, "POST", "/api/v1/buzon/aclaraciones", {
      meansId,
      descripcion: "No me llegó el correo de validación.",
    });
    expect(filed.statusCode, filed.body).toBe(201);
    expect(filed.json().status).toBe("abierta");
    const exported = await verifies(filed.json().acuse);
    expect(exported.acuse.kind).toBe("promocion");
    const stored = await system.database.db
      .selectFrom("mailbox_aclaraciones")
      .select("document")
      .where("means_id", "=", meansId)
      .executeTakeFirstOrThrow();
    expect(stored.document).toContain("nollego@ejemplo.mx");
    expect(exported.acuse.documents[0].sha256).toBe(
      (await import("./service.ts")).sha256Text(stored.document).sha256,
    );
    expectProblem(
      await call(fisica, "POST", "/api/v1/buzon/aclaraciones", { meansId }),
      409,
      "conflict",
      /Ya registraste/,
    );

    // The queue: staff only.
    expectProblem(await call(fisica, "GET", "/api/v1/buzon/aclaraciones"), 403, "forbidden");
    const queue = await system.app.inject({
      url: "/api/v1/buzon/aclaraciones?estado=abierta",
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().aclaraciones).toEqual([
      expect.objectContaining({
        rfc: FISICA,
        meansId,
        email: "nollego@ejemplo.mx",
        description: "No me llegó el correo de validación.",
        status: "abierta",
        acuseFolio: filed.json().acuse.folio,
      }),
    ]);

    // The person sees it in her mailbox, unanswered.
    const aclaracionId = filed.json().id;
    expect((await view(fisica)).aclaraciones).toEqual([
      {
        id: aclaracionId,
        meansId,
        email: "nollego@ejemplo.mx",
        acuseFolio: filed.json().acuse.folio,
        status: "abierta",
        createdAt: expect.any(String),
        attendedAt: null,
        note: null,
      },
    ]);
    await attendsAclaracion(aclaracionId, meansId);

    // After 24 hours, or for a phone, no aclaración.
    const late = await register(fisica, { kind: "correo", value: "tarde24@ejemplo.mx" });
    await advance({ hours: 24 });
    expectProblem(
      await call(fisica, "POST", "/api/v1/buzon/aclaraciones", {
        meansId: late.json().means[0].id,
      }),
      409,
      "aclaracion_not_allowed",
      /24 horas/,
    );
  });

  /**
   * Staff attend an aclaración: role checked, answered once, the answer shown to the person, a
   * mailbox event and an audit event written with it — and nothing of it when the audit fails.
   */
  async function attendsAclaracion(id: string, meansId: string) {
    const attend = (payload: object, headers: Record<string, string>) =>
      system.app.inject({
        method: "POST",
        url: `/api/v1/buzon/aclaraciones/${id}/atencion`,
        payload,
        headers,
      });
    const admin = { authorization: `Bearer ${system.adminToken}` };
    const note = "Reenviamos el correo; revisa también la carpeta de correo no deseado.";
    // Not the person's to answer.
    expectProblem(
      await call(fisica, "POST", `/api/v1/buzon/aclaraciones/${id}/atencion`, { nota: note }),
      403,
      "forbidden",
    );
    expectProblem(await attend({ nota: "   " }, admin), 400, "validation");
    const unknown = await system.app.inject({
      method: "POST",
      url: `/api/v1/buzon/aclaraciones/${randomUUID()}/atencion`,
      payload: { nota: note },
      headers: admin,
    });
    expectProblem(unknown, 404, "not_found");
    const attended = await attend({ nota: `  ${note}\n` }, admin);
    expect(attended.statusCode, attended.body).toBe(200);
    expect(attended.json()).toMatchObject({
      id,
      status: "atendida",
      attendedBy: TEST_ADMIN_RFC,
      note,
    });
    // Shown to the person, in her mailbox.
    const answered = (await view(fisica)).aclaraciones[0];
    expect(answered).toMatchObject({ id, status: "atendida", note });
    expect(answered.attendedAt).toBe(attended.json().attendedAt);
    const again = await attend({ nota: "Otra respuesta." }, admin);
    expectProblem(again, 409, "conflict", /ya se atendió/);
    expect((await view(fisica)).aclaraciones[0].note).toBe(note);

    const queue = await system.app.inject({
      url: "/api/v1/buzon/aclaraciones?estado=atendida",
      headers: admin,
    });
    expect(queue.json().aclaraciones).toEqual([
      expect.objectContaining({ id, status: "atendida", attendedBy: TEST_ADMIN_RFC, note }),
    ]);
    const events = await system.database.db
      .selectFrom("mailbox_events")
      .select(["type", "data"])
      .where("rfc", "=", FISICA)
      .where("type", "=", "aclaracion_atendida")
      .execute();
    expect(events.map((e) => e.data)).toEqual([{ aclaracionId: id, meansId }]);
    const audited = await system.database.db
      .selectFrom("auth_events")
      .select(["rfc", "outcome", "detail"])
      .where("event", "=", "aclaracion")
      .execute();
    expect(audited).toEqual([
      {
        rfc: TEST_ADMIN_RFC,
        outcome: "aceptado",
        detail: { aclaracionId: id, rfcDelBuzon: FISICA, via: "token_api" },
      },
    ]);
  }

  it("attends an aclaración and its event and audit together, or none of them", async () => {
    // Room for one more e-mail (the tests before filled the five): one whose 24 hours passed.
    const late = (await view(fisica)).means.find(
      (m: { value: string }) => m.value === "tarde24@ejemplo.mx",
    );
    expect((await remove(fisica, late.id)).statusCode).toBe(200);
    const reg = await register(fisica, { kind: "correo", value: "auditoria@ejemplo.mx" });
    expect(reg.statusCode, reg.body).toBe(201);
    const meansId = reg.json().means[0].id;
    const filed = await call(fisica, "POST", "/api/v1/buzon/aclaraciones", { meansId });
    expect(filed.statusCode, filed.body).toBe(201);
    const id = filed.json().id;
    const count = async () => ({
      events: (await system.database.db.selectFrom("mailbox_events").select("id").execute()).length,
    });
    const before = await count();
    const decisions = async () =>
      (
        await system.database.db
          .selectFrom("auth_events")
          .select("id")
          .where("event", "=", "aclaracion")
          .execute()
      ).length;
    const decidedBefore = await decisions();
    await sql`
      create function refuse_aclaracion_audit() returns trigger language plpgsql as $$
      begin
        if new.event = 'aclaracion' then raise exception 'la bitácora no acepta eventos'; end if;
        return new;
      end $$
    `.execute(system.database.asOwner);
    await sql`
      create trigger refuse_aclaracion_audit before insert on auth_events
        for each row execute function refuse_aclaracion_audit()
    `.execute(system.database.asOwner);
    try {
      const refused = await system.app.inject({
        method: "POST",
        url: `/api/v1/buzon/aclaraciones/${id}/atencion`,
        payload: { nota: "Atendida." },
        headers: { authorization: `Bearer ${system.adminToken}` },
      });
      expectProblem(refused, 500, "internal");
    } finally {
      await sql`drop trigger refuse_aclaracion_audit on auth_events`.execute(
        system.database.asOwner,
      );
      await sql`drop function refuse_aclaracion_audit()`.execute(system.database.asOwner);
    }
    // Still open, no event: the decision did not take effect without its audit.
    const mine = (await view(fisica)).aclaraciones.find((a: { id: string }) => a.id === id);
    expect(mine).toMatchObject({ status: "abierta", attendedAt: null, note: null });
    // The token's use is audited on its own (outside the decision): only the decision's
    // writes must be missing.
    expect((await count()).events).toBe(before.events);
    expect(await decisions()).toBe(decidedBefore);
    // Once the audit trail accepts it, the same answer goes through.
    const retried = await system.app.inject({
      method: "POST",
      url: `/api/v1/buzon/aclaraciones/${id}/atencion`,
      payload: { nota: "Atendida." },
      headers: { authorization: `Bearer ${system.adminToken}` },
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await decisions()).toBe(decidedBefore + 1);
  });

  it("pages the staff queue of aclaraciones by keyset: each once, in order, ties by id", async () => {
    // Seven open aclaraciones of another RFC, three and then two of them in the same instant.
    const rfc = "AAA010101AAA";
    const at = (ms: number) => new Date(Date.UTC(2021, 0, 4, 16) + ms);
    const instants = [at(0), at(0), at(0), at(5), at(5), at(7), at(9)];
    const ids: string[] = [];
    for (const [i, createdAt] of instants.entries()) {
      const meansId = randomUUID();
      await system.database.asOwner
        .insertInto("mailbox_means")
        .values({
          id: meansId,
          rfc,
          kind: "correo",
          value: `pagina${i}@ejemplo.mx`,
          scope: "general",
          status: "cancelado",
          registered_at: createdAt,
          expires_at: createdAt,
          acuse_folio: `PAG-M-${i}`,
        })
        .execute();
      const id = randomUUID();
      ids.push(id);
      await system.database.asOwner
        .insertInto("mailbox_aclaraciones")
        .values({
          id,
          rfc,
          means_id: meansId,
          description: "",
          document: `aclaración ${i}`,
          acuse_folio: `PAG-A-${i}`,
          created_at: createdAt,
        })
        .execute();
    }
    const admin = { authorization: `Bearer ${system.adminToken}` };
    const page = (query: string) =>
      system.app.inject({ url: `/api/v1/buzon/aclaraciones?${query}`, headers: admin });

    // Every open one, as the database orders them: instant, then id.
    const expected = (
      await system.database.db
        .selectFrom("mailbox_aclaraciones")
        .select("id")
        .where("status", "=", "abierta")
        .orderBy("created_at")
        .orderBy("id")
        .execute()
    ).map((r) => r.id);
    expect(expected.length).toBeGreaterThan(2);
    const ours = expected.filter((id) => ids.includes(id));
    // Within an instant, by id: the ties come out sorted, whatever order they were filed in.
    expect(ours.slice(0, 3)).toEqual(ids.slice(0, 3).sort());
    expect(ours.slice(3, 5)).toEqual(ids.slice(3, 5).sort());
    expect(ours.slice(5)).toEqual(ids.slice(5));

    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await page(
        `estado=abierta&limite=2${cursor ? `&despuesDe=${encodeURIComponent(cursor)}` : ""}`,
      );
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      expect(body.aclaraciones.length).toBeLessThanOrEqual(2);
      expect(body.aclaraciones.every((a: { status: string }) => a.status === "abierta")).toBe(true);
      walked.push(...body.aclaraciones.map((a: { id: string }) => a.id));
      cursor = body.next;
      pages += 1;
      expect(pages).toBeLessThanOrEqual(expected.length + 1);
    } while (cursor !== null);
    expect(walked).toEqual(expected);
    expect(new Set(walked).size).toBe(walked.length);
    expect(pages).toBeGreaterThan(3);

    // The default page holds them all here: its `next` is null; a page that ends the list
    // exactly names one more, empty, whose `next` is null.
    const whole = await page("estado=abierta");
    expect(whole.json()).toEqual({ aclaraciones: expect.any(Array), next: null });
    expect(whole.json().aclaraciones.map((a: { id: string }) => a.id)).toEqual(expected);
    const exact = await page(`estado=abierta&limite=${expected.length}`);
    expect(exact.json().aclaraciones).toHaveLength(expected.length);
    const after = await page(
      `estado=abierta&limite=${expected.length}&despuesDe=${encodeURIComponent(exact.json().next)}`,
    );
    expect(after.json()).toEqual({ aclaraciones: [], next: null });
    // The other state has none of them.
    const attended = (await page("estado=atendida&limite=200")).json();
    expect(attended.aclaraciones.some((a: { id: string }) => ids.includes(a.id))).toBe(false);

    // A cursor not made by the server, or a size out of bounds: 400 in Spanish.
    const forged = Buffer.from("ayer|no-es-un-id", "utf8").toString("base64url");
    for (const bad of ["despuesDe=basura", `despuesDe=${forged}`]) {
      const body = expectProblem(await page(`estado=abierta&${bad}`), 400, "invalid_cursor");
      expect(body.detail).toMatch(/cursor de paginación no es válido/);
    }
    for (const bad of ["limite=0", "limite=201", "limite=dos"]) {
      expectProblem(await page(`estado=abierta&${bad}`), 400, "validation");
    }
  });

  it("demands the session and, for changes, its CSRF token", async () => {
    const anonymous = await system.app.inject({ url: "/api/v1/buzon" });
    expect(anonymous.statusCode).toBe(401);
    const noCsrf = await system.app.inject({
      method: "POST",
      url: "/api/v1/buzon/medios",
      payload: { kind: "correo", value: "csrf@ejemplo.mx" },
      cookies: { buzon_sesion: fisica.cookie },
    });
    expectProblem(noCsrf, 403, "csrf");
  });

  it("shows a mailbox enabled under the 2020 rules as habilitado, with that provenance", async () => {
    const rfc = `KEM2001011A${rfcCheckDigit("KEM2001011A")}`;
    const padron = createPadronStore(system.database.db);
    const importId = randomUUID();
    await padron.beginImport({
      id: importId,
      fileName: "padron-2020.csv",
      sha256: "1".repeat(64),
      actor: "pruebas",
      startedAt: new Date(now.epochMilliseconds),
    });
    const other = `KEM2001021B${rfcCheckDigit("KEM2001021B")}`;
    await padron.write(
      [
        entry(rfc, [], new Date("2020-11-02T16:00:00Z")),
        entry(other, [], new Date("2020-12-01T16:00:00Z")),
      ],
      importId,
      new Date(now.epochMilliseconds),
    );
    // The job projects every 2020 entry into `mailboxes`, once (campaigns read it there).
    expect(await system.mailbox.projectHabilitaciones2020()).toBe(2);
    expect(await system.mailbox.projectHabilitaciones2020()).toBe(0);
    expect(
      await system.database.db
        .selectFrom("mailboxes")
        .select(["rfc", "state", "provenance"])
        .where("rfc", "in", [rfc, other])
        .orderBy("rfc")
        .execute(),
    ).toEqual([
      { rfc, state: "habilitado", provenance: "lineamientos_2020" },
      { rfc: other, state: "habilitado", provenance: "lineamientos_2020" },
    ]);
    const enabled = await signInWith(
      system.app,
      await issueTestEfirma({ rfc, name: "KEMPER 2020 SA DE CV" }),
    );
    expect(await view(enabled)).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
    });
    await view(enabled);
    const events = await system.database.db
      .selectFrom("mailbox_events")
      .select("type")
      .where("rfc", "=", rfc)
      .execute();
    expect(events).toEqual([{ type: "habilitacion_2020" }]);

    // Every later acuse states that provenance (Lineamientos 5.4, ADR 0011): registering a
    // means seals it in a version-2 cadena, and the export, both verifications and the PDF say it.
    const registered = await register(enabled, { kind: "correo", value: "kemper@ejemplo.mx" });
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.json().state).toBe("habilitado");
    const { folio, codigo } = registered.json().acuse;
    const exported = await verifies({ folio, codigo });
    expect(exported.acuse).toMatchObject({
      kind: "registro_medios_contacto",
      parties: { rfc },
      habilitacion: "lineamientos_2020",
    });
    expect(exported.cadenaOriginal).toMatch(
      new RegExp(`^\\|\\|2\\|${folio}\\|registro_medios_contacto\\|${rfc}\\|`),
    );
    // The habilitación comes before the documents: here, the statement of the means (ADR 0012).
    expect(exported.cadenaOriginal).toMatch(
      /\|lineamientos_2020\|medios-de-contacto\.txt\|[0-9a-f]{64}\|\d+\|\|$/,
    );
    const answer = await system.app.inject({
      url: `/api/v1/verificacion/acuses/${folio}?codigo=${encodeURIComponent(codigo)}`,
    });
    expect(answer.json().acuse).toMatchObject({
      habilitacion: "lineamientos_2020",
      habilitacionLabel: "Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)",
    });
    const pdf = await system.app.inject({
      url: `/api/v1/acuses/${folio}/pdf?codigo=${encodeURIComponent(codigo)}`,
    });
    expect(pdf.statusCode).toBe(200);
    const text = execFileSync("/usr/bin/pdftotext", ["-enc", "UTF-8", "-", "-"], {
      input: pdf.rawPayload,
      encoding: "utf8",
    }).replace(/\s+/g, " ");
    expect(text).toContain(
      "Habilitación del buzón Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)",
    );
    // The uploaded PDF verifies too, and shows it.
    const uploaded = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/pdf",
      headers: { "content-type": "application/pdf" },
      payload: pdf.rawPayload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    expect(uploaded.json()).toMatchObject({
      verdict: "autentico",
      acuse: { folio, habilitacion: "lineamientos_2020" },
    });
  });
});
