import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Db } from "../../platform/db/schema.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma, signLikeTheBrowser } from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * Installed as the owner of the tables (`asOwner`): the serving role may create no trigger.
 * Makes the next insert into auth_events with this event (and reason, if given) fail, once: a
 * trigger raises while a sequence says it has not raised yet. Sequences are not transactional,
 * so the rollback the failure causes does not re-arm it.
 */
async function failNextEvent(asOwner: Db, event: string, reason = ""): Promise<void> {
  await sql`drop sequence if exists test_fail_once`.execute(asOwner);
  await sql`create sequence test_fail_once`.execute(asOwner);
  await sql`
    create or replace function test_fail_once() returns trigger language plpgsql as $$
    begin
      if new.event = tg_argv[0] and (tg_argv[1] = '' or new.reason = tg_argv[1]) then
        if nextval('test_fail_once') = 1 then
          raise exception 'fallo simulado al registrar %', new.event;
        end if;
      end if;
      return new;
    end $$`.execute(asOwner);
  await sql`drop trigger if exists test_fail_once on auth_events`.execute(asOwner);
  await sql
    .raw(
      `create trigger test_fail_once before insert on auth_events for each row execute function test_fail_once('${event}', '${reason}')`,
    )
    .execute(asOwner);
}

async function signIn(system: System, efirma: IssuedEfirma) {
  const challenge = await system.app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc: efirma.rfc },
  });
  expect(challenge.statusCode).toBe(201);
  const attempt = challenge.cookies.find((c) => c.name.endsWith("buzon_intento"))!;
  const signed = await signLikeTheBrowser(efirma, challenge.json().toSign);
  return system.app.inject({
    method: "POST",
    url: "/api/v1/auth/sesion",
    payload: { challengeId: challenge.json().challengeId, ...signed },
    cookies: { [attempt.name]: attempt.value },
  });
}

function credentials(response: {
  json(): { csrfToken: string };
  cookies: { name: string; value: string }[];
}) {
  const cookie = response.cookies.find((c) => c.name.endsWith("buzon_sesion"))!;
  return {
    cookies: { [cookie.name]: cookie.value },
    headers: { "x-csrf-token": response.json().csrfToken },
  };
}

const count = async (db: Db, table: "sessions" | "auth_events", where = sql`true`) =>
  Number(
    (
      await sql<{
        n: string;
      }>`select count(*) as n from ${sql.table(table)} where ${where}`.execute(db)
    ).rows[0]?.n,
  );

function expectInternalProblem(response: {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}) {
  expect(response.statusCode).toBe(500);
  expect(String(response.headers["content-type"])).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ code: "internal", status: 500 });
}

const person = (rfc: string, name: string, curp: string) =>
  issueTestEfirma({ rfc, name, curp, representativeRfc: undefined, representativeCurp: undefined });

describe.each(ENGINES)("one transaction per use case on %s", (engine) => {
  let system: System;
  let db: Db;
  let admin: ReturnType<typeof credentials>;
  let clerk: IssuedEfirma;

  beforeAll(async () => {
    system = await createTestSystem({ engine, trustDevCa: true });
    db = system.database.db;
    await system.staff.set({ rfc: "VADA800927DJ3", role: "administrador" }, "prueba");
    const adminIn = await signIn(
      system,
      await person("VADA800927DJ3", "DANIEL VALDEZ ARIAS", "VADA800927HSRSRL05"),
    );
    expect(adminIn.statusCode).toBe(201);
    admin = credentials(adminIn);
    clerk = await person("CACX7605101P8", "XOCHILT CASAS CHAVEZ", "CACX760510MGTSHC04");
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("opens no session when its «acceso» event cannot be written; a retry signs in", async () => {
    const sessions = await count(db, "sessions");
    const accepted = await count(db, "auth_events", sql`event = 'acceso' and outcome = 'aceptado'`);
    await failNextEvent(system.database.asOwner, "acceso");

    expectInternalProblem(await signIn(system, clerk));
    expect(await count(db, "sessions")).toBe(sessions);
    expect(await count(db, "auth_events", sql`event = 'acceso' and outcome = 'aceptado'`)).toBe(
      accepted,
    );

    const retry = await signIn(system, clerk);
    expect(retry.statusCode).toBe(201);
    expect(await count(db, "sessions")).toBe(sessions + 1);
    expect(await count(db, "auth_events", sql`event = 'acceso' and outcome = 'aceptado'`)).toBe(
      accepted + 1,
    );
  });

  it("keeps the old role and the open sessions when the role change's event fails", async () => {
    const grant = (role: string) =>
      system.app.inject({
        method: "PUT",
        url: "/api/v1/personal/CACX7605101P8",
        payload: { role },
        ...admin,
      });
    expect((await grant("notificador")).statusCode).toBe(200);
    const clerkIn = await signIn(system, clerk);
    expect(clerkIn.json().session.staffRole).toBe("notificador");
    const clerkSession = credentials(clerkIn);
    const me = () => system.app.inject({ url: "/api/v1/auth/sesion", ...clerkSession });

    await failNextEvent(system.database.asOwner, "personal", "rol_asignado");
    expectInternalProblem(await grant("operador"));
    const staff = await db
      .selectFrom("staff_members")
      .select("role")
      .where("rfc", "=", "CACX7605101P8")
      .executeTakeFirstOrThrow();
    expect(staff.role).toBe("notificador");
    expect((await me()).json()).toMatchObject({ autenticado: true, staffRole: "notificador" });

    const retry = await grant("operador");
    expect(retry.statusCode).toBe(200);
    expect(retry.json().endedSessions).toBe(1);
    expect((await me()).json().autenticado).toBe(false);
  });

  it("keeps the person on staff, signed in, when the removal's event fails", async () => {
    const clerkIn = await signIn(system, clerk);
    expect(clerkIn.json().session.staffRole).toBe("operador");
    const clerkSession = credentials(clerkIn);
    const remove = () =>
      system.app.inject({ method: "DELETE", url: "/api/v1/personal/CACX7605101P8", ...admin });

    await failNextEvent(system.database.asOwner, "personal", "baja");
    expectInternalProblem(await remove());
    const staff = await db
      .selectFrom("staff_members")
      .select("active")
      .where("rfc", "=", "CACX7605101P8")
      .executeTakeFirstOrThrow();
    expect(staff.active).toBe(true);
    const me = () => system.app.inject({ url: "/api/v1/auth/sesion", ...clerkSession });
    expect((await me()).json().autenticado).toBe(true);

    const retry = await remove();
    expect(retry.statusCode).toBe(200);
    expect(retry.json().endedSessions).toBe(1);
    expect((await me()).json().autenticado).toBe(false);
  });

  it("leaves the session open when the sign-out's event fails; a retry signs out", async () => {
    const clerkSession = credentials(await signIn(system, clerk));
    const signOut = () =>
      system.app.inject({ method: "DELETE", url: "/api/v1/auth/sesion", ...clerkSession });
    const me = () => system.app.inject({ url: "/api/v1/auth/sesion", ...clerkSession });

    await failNextEvent(system.database.asOwner, "cierre");
    expectInternalProblem(await signOut());
    expect((await me()).json().autenticado).toBe(true);

    expect((await signOut()).statusCode).toBe(204);
    expect((await me()).json().autenticado).toBe(false);
  });

  it("runs sign-ins, sign-outs and an acuse batch at once without waiting on itself", async () => {
    // PGlite has one connection: a statement issued outside a transaction from inside it would
    // wait for that connection forever. Concurrent use cases (and the evidence batch queue,
    // which also writes in a transaction) queue for it; none deadlocks.
    const now = Temporal.Now.instant().round({
      smallestUnit: "millisecond",
      roundingMode: "floor",
    });
    const { calendarVersion, rulesVersion } = await system.plazos.promocion({
      enviada: now.toString(),
    });
    const acuse = system.evidence.issueAcuse({
      calendarVersion,
      rulesVersion,
      kind: "registro_medios_contacto",
      parties: { rfc: "EKU9003173C9", actorRfc: "VADA800927DJ3", capacity: "representante_legal" },
      eventAt: now,
      countsAt: now,
      rule: "momento_del_evento",
      documents: [],
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, async () => {
        const session = credentials(await signIn(system, clerk));
        return (
          await system.app.inject({ method: "DELETE", url: "/api/v1/auth/sesion", ...session })
        ).statusCode;
      }),
    );
    expect(results).toEqual(Array(6).fill(204));
    expect((await acuse).folio).toMatch(/^BI-/);
  });
});
