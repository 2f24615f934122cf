import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Engine } from "../../platform/db/database.ts";
import {
  issueFisicaEfirma,
  issueTestEfirma,
  signDocumentLikeTheBrowser,
  signLikeTheBrowser,
} from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import type { SignedIn } from "../../testing/sign-in.ts";
import { TFJA } from "../calendario/service.ts";
import { enableMailbox, fisicaRfc, padronWith, pdfOf } from "./test-support.ts";

export { fisicaRfc };

/**
 * The opening's and the cancellation's tests share this: the real system on one engine with a
 * clock the tests set (`f.now`), a padrón of three addressees (two with an enabled mailbox, one
 * on estrados), a notificador and the addressees' e.firmas of the test CA (valid from a day
 * before the real present for four years), and the HTTP calls they make.
 */

export type System = Awaited<ReturnType<typeof createTestSystem>>;

export const at = (text: string) => Temporal.Instant.from(text);
/** Monday 14 Dec 2026, 10:00: inside the window, the aviso counts at once. */
export const MONDAY_1000 = "2026-12-14T10:00:00-06:00";

export const MORAL = "EKU9003173C9";
/** A persona moral in the padrón whose mailbox is not enabled: its acts go to estrados. */
export const SIN_BUZON = `SBU010101A1${rfcCheckDigit("SBU010101A1")}`;

export const FISICA = fisicaRfc("TITU");

/**
 * A deposit's body (POST /api/v1/notificaciones, or an input of depositMany): a fresh PDF
 * signed with `signer` as the browser signs it, to MORAL, with `overrides` applied.
 */
export async function signedActBody(signer: IssuedEfirma, overrides: Record<string, unknown> = {}) {
  const pdf = pdfOf(randomUUID());
  return {
    idempotencyKey: randomUUID(),
    rfc: MORAL,
    actType: "7.1",
    oficio: `09 53 01 9200/${randomUUID().slice(0, 8)}`,
    issuingUnit: "Subdelegación Centro",
    documentName: "Resolución prima RT 2026.pdf",
    document: pdf.toString("base64"),
    signature: await signDocumentLikeTheBrowser(signer, pdf),
    ...overrides,
  };
}

export function notificacionesFixture(
  engine: Engine,
  /** Extra configuration, read when the system starts (e.g. an OCSP responder's address). */
  options: {
    env?: () => Record<string, string>;
    /** As `serve --demo`: legal time on the demo clock (then `f.now` is not used), the rest real. */
    demo?: () => NonNullable<Parameters<typeof createTestSystem>[0]>["demo"];
  } = {},
) {
  const f = {
    system: undefined as unknown as System,
    now: at(MONDAY_1000),
    notificador: undefined as unknown as IssuedEfirma,
    moral: undefined as unknown as IssuedEfirma,
    fisica: undefined as unknown as IssuedEfirma,
    sinBuzon: undefined as unknown as IssuedEfirma,
    depositAct,
    challenge,
    open,
    signAndOpen,
    get,
    engineFor,
    openingAcuses,
    eventTypes,
  };

  beforeAll(async () => {
    f.system = await createTestSystem({
      ...(options.env ? { env: options.env() } : {}),
      ...(options.demo ? { demo: options.demo() } : {}),
      engine,
      trustDevCa: true,
      adminToken: true,
      clock: () => f.now,
    });
    const db = f.system.database.db;
    await padronWith(db, [{ rfc: MORAL }, { rfc: FISICA }, { rfc: SIN_BUZON }], f.now);
    await enableMailbox(db, MORAL, f.now);
    await enableMailbox(db, FISICA, f.now);
    f.notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
    await f.system.staff.set(
      { rfc: f.notificador.rfc, role: "notificador", name: "NORA" },
      "pruebas",
    );
    f.moral = await issueTestEfirma();
    f.fisica = await issueFisicaEfirma(FISICA, "TITO TITULAR");
    f.sinBuzon = await issueTestEfirma({ rfc: SIN_BUZON, name: "SIN BUZON SA DE CV" });
  });
  afterAll(async () => {
    await f.system?.app.close();
  });

  /** Deposits an act for `rfc` at the clock's instant; answers its id and the PDF. */
  async function depositAct(rfc = MORAL, overrides: Record<string, unknown> = {}) {
    const payload = await signedActBody(f.notificador, { rfc, ...overrides });
    const response = await f.system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      headers: { authorization: `Bearer ${f.system.adminToken}` },
      payload,
    });
    expect(response.statusCode, response.body).toBe(201);
    const pdf = Buffer.from(payload.document, "base64");
    return { id: response.json().id as string, state: response.json().state as string, pdf };
  }

  function challenge(who: SignedIn, id: string) {
    return f.system.app.inject({
      method: "POST",
      url: `/api/v1/notificaciones/${id}/apertura/desafio`,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
  }

  function open(who: SignedIn, id: string, payload: object) {
    return f.system.app.inject({
      method: "POST",
      url: `/api/v1/notificaciones/${id}/apertura`,
      payload,
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });
  }

  /** Challenge, signature with `signer` (the session's e.firma unless said), opening. */
  async function signAndOpen(who: SignedIn, id: string, signer: IssuedEfirma = who.efirma) {
    const asked = await challenge(who, id);
    expect(asked.statusCode, asked.body).toBe(201);
    const { challengeId, toSign } = asked.json();
    return open(who, id, { challengeId, ...(await signLikeTheBrowser(signer, toSign)) });
  }

  function get(who: SignedIn, url: string) {
    return f.system.app.inject({ url, cookies: { buzon_sesion: who.cookie } });
  }

  async function engineFor(avisoAt: string, openedAt?: Temporal.Instant) {
    const calendar = await f.system.calendars.calendar();
    const tfja = await f.system.calendars.calendar(undefined, TFJA);
    return computeNotificacion(calendar, { avisoAt: at(avisoAt), openedAt, tfja });
  }

  /** The act's event types, in the order they were written. */
  async function eventTypes(id: string): Promise<string[]> {
    const rows = await f.system.database.db
      .selectFrom("notificacion_events")
      .select("type")
      .where("notificacion_id", "=", id)
      .orderBy("id")
      .execute();
    return rows.map((e) => e.type);
  }

  async function openingAcuses(rfc: string) {
    return f.system.database.db
      .selectFrom("acuses")
      .selectAll()
      .where("rfc", "=", rfc)
      .where("kind", "in", ["apertura_notificacion", "acceso_posterior_notificacion"])
      .execute();
  }

  return f;
}
