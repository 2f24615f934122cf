import { Buffer } from "node:buffer";
import { randomUUID, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect } from "vitest";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { computeNotificacion } from "../../domain/plazos/notificacion.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Engine } from "../../platform/db/database.ts";
import { issueFisicaEfirma, issueTestEfirma, signLikeTheBrowser } from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import type { SignedIn } from "../../testing/sign-in.ts";
import { TFJA } from "../calendario/service.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import { createPadronStore, type PadronEntry } from "../padron/store.ts";

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

export function fisicaRfc(stem: string): string {
  const base = `${stem}800101AB`;
  return `${base}${rfcCheckDigit(base)}`;
}

export const FISICA = fisicaRfc("TITU");

function entry(rfc: string): PadronEntry {
  return {
    rfc,
    name: `PARTICULAR ${rfc}`,
    persona: rfc.length === 12 ? "moral" : "fisica",
    registrosPatronales: [],
    emailOnFile: null,
    habilitacion2020: null,
  };
}

function pdfOf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    "latin1",
  );
}

async function signPdf(efirma: IssuedEfirma, pdf: Buffer): Promise<string> {
  const key = openPrivateKey(await readFile(efirma.keyPath), efirma.password);
  return Buffer.from(
    detachedCmsOf(await readFile(efirma.cerPath), sign("sha256", pdf, key)),
  ).toString("base64");
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
    const padron = createPadronStore(f.system.database.db);
    const importId = randomUUID();
    await padron.beginImport({
      id: importId,
      fileName: "padron-pruebas.csv",
      sha256: "0".repeat(64),
      actor: "pruebas",
      startedAt: new Date(f.now.epochMilliseconds),
    });
    await padron.write(
      [entry(MORAL), entry(FISICA), entry(SIN_BUZON)],
      importId,
      new Date(f.now.epochMilliseconds),
    );
    await enableMailbox(MORAL);
    await enableMailbox(FISICA);
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

  async function enableMailbox(rfc: string): Promise<void> {
    for (const [kind, value] of [
      ["correo", `${rfc.toLowerCase()}@example.mx`],
      ["celular", "+525512345678"],
    ] as const) {
      const id = randomUUID();
      await f.system.database.db
        .insertInto("mailbox_means")
        .values({
          id,
          rfc,
          kind,
          value,
          scope: "rfc",
          status: "pendiente",
          registered_at: new Date(f.now.epochMilliseconds),
          expires_at: new Date(f.now.add({ hours: 72 }).epochMilliseconds),
          validated_at: null,
          ended_at: null,
          acuse_folio: "BI-20261201-100000000",
          code_hash: Buffer.alloc(32, 1),
          code_sent_at: null,
          locked_at: null,
        })
        .execute();
      await appendMailboxEvent(f.system.database.db, {
        type: "medio_registrado",
        rfc,
        at: f.now,
        data: {
          meansId: id,
          kind,
          value,
          scope: "rfc",
          expiresAt: f.now.add({ hours: 72 }).toString(),
        },
      });
      await appendMailboxEvent(f.system.database.db, {
        type: "medio_validado",
        rfc,
        at: f.now,
        data: { meansId: id },
      });
    }
    await appendMailboxEvent(f.system.database.db, {
      type: "terminos_firmados",
      rfc,
      at: f.now,
      data: { version: "1", sha256: "a".repeat(64) },
    });
  }

  /** Deposits an act for `rfc` at the clock's instant; answers its id and the PDF. */
  async function depositAct(rfc = MORAL, overrides: Record<string, unknown> = {}) {
    const pdf = pdfOf(randomUUID());
    const response = await f.system.app.inject({
      method: "POST",
      url: "/api/v1/notificaciones",
      headers: { authorization: `Bearer ${f.system.adminToken}` },
      payload: {
        idempotencyKey: randomUUID(),
        rfc,
        actType: "7.1",
        oficio: `09 53 01 9200/${Math.floor(Math.random() * 10000)}`,
        issuingUnit: "Subdelegación Centro",
        documentName: "Resolución prima RT 2026.pdf",
        document: pdf.toString("base64"),
        signature: await signPdf(f.notificador, pdf),
        ...overrides,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
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
