import { Buffer } from "node:buffer";
import { createHash, randomUUID } from "node:crypto";
import { type Selectable, sql } from "kysely";
import { AppError, internalError } from "../../domain/errors.ts";
import type { Capacity } from "../../domain/evidence/acuse.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseEmail } from "../../domain/identifiers/email.ts";
import { parseRegistroPatronal } from "../../domain/identifiers/registro-patronal.ts";
import { MailboxError } from "../../domain/mailbox/errors.ts";
import {
  ACLARACION_HOURS,
  type CodeState,
  carriesPadronEmail,
  checkAclaracion,
  checkCodeAttempt,
  checkRegistration,
  checkRegistrationRate,
  checkRemoval,
  checkResend,
  isLive,
  MAX_FAILED_ATTEMPTS,
  normalizePhone,
  RESEND_COOLDOWN_SECONDS,
  wrongCodeRefusal,
} from "../../domain/mailbox/means.ts";
import {
  canEnterMailbox,
  checkHabilitacion,
  habilitacionOf,
  type MailboxProjection,
  type MeansKind,
  RFC_SCOPE,
} from "../../domain/mailbox/projection.ts";
import {
  MEANS_STATEMENT_NAME,
  type MeansStatementAct,
  meansStatement,
} from "../../domain/mailbox/statement.ts";
import { computeValidacion } from "../../domain/plazos/validacion.ts";
import { formatInstant, spanishInstant, toZonaCentro } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db, MailboxMeansTable } from "../../platform/db/schema.ts";
import type { AuthEvent } from "../auth/store.ts";
import { enqueue } from "../delivery/outbox.ts";
import type { AcuseInput, IssuedAcuse, IssueOptions } from "../evidence/service.ts";
import { decodeCursor, encodeCursor } from "../promociones/service.ts";
import { codeMatches, generateCode, hashCode } from "./codes.ts";
import type { AclaracionItem, AclaracionQuery } from "./schemas.ts";
import {
  type AclaracionesFilter,
  appendMailboxEvent,
  createMissingMailboxes,
  loadMailbox,
  lockMailbox,
  selectAclaraciones,
} from "./store.ts";
import { MEANS_EMAIL_TEMPLATE, MEANS_SMS_TEMPLATE } from "./templates.ts";

/** What the mailbox needs of the padrón (the padrón feature's store answers it). */
export interface PadronLookup {
  byRfc(rfc: string): Promise<
    | {
        registrosPatronales: string[];
        /** Carried over as a validated means when the mailbox was enabled in 2020 (5.4). */
        emailOnFile: string | null;
        habilitacion2020: { at: Date } | null;
      }
    | undefined
  >;
}

/** Who acts: the session's RFC is the mailbox; a representative signs for a moral. */
export interface MailboxActor {
  rfc: string;
  representativeRfc: string | null;
}

export interface MailboxServiceOptions {
  db: Db;
  evidence: {
    issueAcuse(input: AcuseInput, options?: IssueOptions): Promise<IssuedAcuse>;
  };
  clock: Clock;
  /** HMAC key of the validation codes (32 bytes, kept outside the database). */
  codeKey: Buffer;
  padron: (executor: Db) => PadronLookup;
  /** The Terms version in force, if any has been published. */
  currentTermsVersion: (executor: Db) => Promise<string | null>;
  /** Version of the non-business-day calendar, for the acuses of means (count at the event). */
  calendarVersion: () => Promise<string>;
  /** When an aclaración (a promoción) counts as received (Lineamientos 6.3). */
  promocionReceipt: (sentAt: Temporal.Instant) => Promise<{
    receivedAt: string;
    calendarVersion: string;
    rulesVersion: string;
  }>;
  /** Public address of the site, for the validation link. */
  publicUrl: string;
  /** Writes a staff decision to the audit trail (auth_events), in the decision's transaction. */
  audit: (executor: Db, event: AuthEvent) => Promise<void>;
}

/** The staff member who decides, as the audit trail records them. */
export interface StaffActor {
  rfc: string;
  /** How they proved who they are: their e.firma session or their API token. */
  via: "sesion" | "token_api";
  ip?: string | undefined;
  requestId?: string | undefined;
}

type MeansRow = Selectable<MailboxMeansTable>;

/** The page of «Validar medio de contacto» for a means (the web app's route). */
export function validationPagePath(id: string): string {
  return `/buzon/medios/${encodeURIComponent(id)}/validar`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function toInstant(date: Date): Temporal.Instant {
  return Temporal.Instant.fromEpochMilliseconds(date.getTime());
}
function toDate(instant: Temporal.Instant): Date {
  return new Date(instant.epochMilliseconds);
}

/** dd/mm/aaaa hh:mm in Zona Centro, as the portal writes dates (and an SMS has room for). */
function shortLocal(instant: Temporal.Instant): string {
  const z = toZonaCentro(instant);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(z.day)}/${two(z.month)}/${z.year} ${two(z.hour)}:${two(z.minute)}`;
}

function notFound(): AppError {
  return new AppError("not_found", "No encontramos ese medio de contacto en tu Buzón IMSS.");
}

/** A unique index hit: the same means registered at once by another request. */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "23505";
}

export function codeStateOf(row: MeansRow): CodeState {
  return {
    status: row.status,
    expiresAt: toInstant(row.expires_at),
    failedAttempts: row.failed_attempts,
    locked: row.locked_at !== null,
    codeSentAt: row.code_sent_at ? toInstant(row.code_sent_at) : null,
    codeSends: row.code_sends,
  };
}

/**
 * The acuse folio of a means waiting for its code: its code is keyed by it. Every registered
 * means has one; only the padrón's 2020 e-mail (validated from the start) has none.
 */
function folioOf(row: MeansRow): string {
  if (row.acuse_folio === null) throw notFound();
  return row.acuse_folio;
}

/**
 * A means as the API shows it (see schemas.ts, MeansSchema). `codes` gives the verification
 * code of its registration's acuse by folio, so the person can verify it and find it again.
 */
export function meansView(
  row: MeansRow,
  now: Temporal.Instant,
  codes: ReadonlyMap<string, string> = new Map(),
) {
  const pending = row.status === "pendiente";
  const resendAt =
    pending && row.code_sent_at
      ? toInstant(row.code_sent_at).add({ seconds: RESEND_COOLDOWN_SECONDS })
      : undefined;
  const aclaracionUntil = toInstant(row.registered_at).add({ hours: ACLARACION_HOURS });
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    scope: row.scope,
    status: row.status === "eliminado" ? ("cancelado" as const) : row.status,
    registeredAt: formatInstant(toInstant(row.registered_at)),
    expiresAt: formatInstant(toInstant(row.expires_at)),
    validatedAt: row.validated_at ? formatInstant(toInstant(row.validated_at)) : null,
    replaces: row.replaces,
    acuseFolio: row.acuse_folio,
    acuseCodigo: row.acuse_folio === null ? null : (codes.get(row.acuse_folio) ?? null),
    origin: row.origin,
    attemptsLeft: pending ? Math.max(0, MAX_FAILED_ATTEMPTS - row.failed_attempts) : null,
    locked: pending && row.locked_at !== null,
    resendAvailableAt: resendAt ? formatInstant(resendAt) : null,
    aclaracionUntil:
      pending && row.kind === "correo" && Temporal.Instant.compare(now, aclaracionUntil) < 0
        ? formatInstant(aclaracionUntil)
        : null,
  };
}

export type MeansView = ReturnType<typeof meansView>;

/**
 * «Mis medios de contacto» (Lineamientos 5.1–5.2): register e-mails and mobile phones for the
 * RFC and its registros patronales, validate them with a code, resend it, remove them, and ask
 * for an aclaración when the e-mail does not arrive. Every registration and validation issues
 * an acuse, and its decision, its event and its outbox message commit with that acuse (the
 * `record` of issueAcuse), so none exists without the others.
 */
export function createMailboxService(options: MailboxServiceOptions) {
  const { db, evidence, codeKey } = options;
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });

  async function meansRows(executor: Db, rfc: string): Promise<MeansRow[]> {
    return executor
      .selectFrom("mailbox_means")
      .selectAll()
      .where("rfc", "=", rfc)
      .where("status", "<>", "eliminado")
      .orderBy("registered_at")
      .orderBy("scope")
      .orderBy("id")
      .execute();
  }

  /** The verification codes of the acuses of these means' registrations, by folio. */
  async function registrationCodes(
    executor: Db,
    rows: readonly MeansRow[],
  ): Promise<Map<string, string>> {
    const folios = [...new Set(rows.flatMap((r) => (r.acuse_folio ? [r.acuse_folio] : [])))];
    if (folios.length === 0) return new Map();
    const sealed = await executor
      .selectFrom("acuses")
      .select(["folio", "seal"])
      .where("folio", "in", folios)
      .execute();
    return new Map(sealed.map((a) => [a.folio, verificationCodeOf(a.seal)]));
  }

  /** The means `id` of this RFC's mailbox: another RFC's, or none, is a 404. */
  async function ownMeans(executor: Db, rfc: string, id: string): Promise<MeansRow> {
    if (!UUID.test(id)) throw notFound();
    const row = await executor
      .selectFrom("mailbox_means")
      .selectAll()
      .where("id", "=", id)
      .where("rfc", "=", rfc)
      .where("status", "<>", "eliminado")
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }

  /** The means registered together with `row` (one registration, one code) still pending. */
  async function pendingGroup(executor: Db, row: MeansRow): Promise<MeansRow[]> {
    return executor
      .selectFrom("mailbox_means")
      .selectAll()
      .where("rfc", "=", row.rfc)
      .where("acuse_folio", "=", row.acuse_folio)
      .where("status", "=", "pendiente")
      .orderBy("scope")
      .execute();
  }

  /**
   * What every acuse of the mailbox starts from: the party, the instant, and how the mailbox
   * stands enabled at that instant (Lineamientos 5.4: a 2020 mailbox says so on every later
   * acuse; ADR 0011), the padrón's 2020 enablement projected first. The habilitación is read
   * before sealing; `record` re-checks it under the mailbox's lock with checkHabilitacion.
   */
  async function acuseBase(actor: MailboxActor, at: Temporal.Instant) {
    await projectPadron(actor.rfc);
    const capacity: Capacity = actor.representativeRfc ? "representante_legal" : "titular";
    return {
      parties: { rfc: actor.rfc, actorRfc: actor.representativeRfc ?? actor.rfc, capacity },
      eventAt: at,
      countsAt: at,
      rule: "momento_del_evento" as const,
      documents: [],
      habilitacion: habilitacionOf(await loadMailbox(db, actor.rfc)),
    };
  }

  /**
   * A mailbox enabled under the 2020 rules (padrón) becomes `habilitado` with that provenance
   * the first time it is seen, once: the event says when and under which Terms version.
   */
  async function projectPadron(rfc: string): Promise<void> {
    const entry = await options.padron(db).byRfc(rfc);
    if (!entry?.habilitacion2020) return;
    const current = await db
      .selectFrom("mailboxes")
      .select("provenance")
      .where("rfc", "=", rfc)
      .executeTakeFirst();
    if (current?.provenance === "lineamientos_2020") return;
    await db.transaction().execute(async (tx) => {
      await recordHabilitacion2020(
        tx,
        rfc,
        { enabledAt: entry.habilitacion2020!.at, emailOnFile: entry.emailOnFile },
        now(),
        () => options.currentTermsVersion(tx),
      );
    });
  }

  async function view(actor: MailboxActor) {
    await projectPadron(actor.rfc);
    const at = now();
    const [mailbox, rows, entry, termsVersion, filed] = await Promise.all([
      loadMailbox(db, actor.rfc),
      meansRows(db, actor.rfc),
      options.padron(db).byRfc(actor.rfc),
      options.currentTermsVersion(db),
      aclaracionRows(db, { rfc: actor.rfc }),
    ]);
    const counted = rows.filter((r) => r.scope === RFC_SCOPE && r.status === "validado");
    const codes = await registrationCodes(db, rows);
    return {
      rfc: actor.rfc,
      state: mailbox.state,
      provenance: mailbox.provenance,
      means: rows.map((r) => meansView(r, at, codes)),
      // Hers, with the Institute's answer once staff attended them.
      aclaraciones: filed.map((a) => ({
        id: a.id,
        meansId: a.meansId,
        email: a.email,
        acuseFolio: a.acuseFolio,
        status: a.status,
        createdAt: a.createdAt,
        attendedAt: a.attendedAt,
        note: a.note,
      })),
      // What was signed here: a 2020 mailbox that never signed says null (its provenance
      // says why it is enabled); entering goes by the version it stands under (termsVersion).
      terms: { signedVersion: mailbox.signedTermsVersion, currentVersion: termsVersion },
      canEnter:
        termsVersion === null
          ? mailbox.state === "habilitado"
          : canEnterMailbox(mailbox, termsVersion),
      validated: {
        correos: counted.filter((r) => r.kind === "correo").length,
        celulares: counted.filter((r) => r.kind === "celular").length,
      },
      inPadron: entry !== undefined,
      registrosPatronales: entry?.registrosPatronales ?? [],
    };
  }

  /** The scopes a registration asks for, each checked against the padrón. */
  async function scopesOf(rfc: string, registros: readonly string[] | undefined) {
    if (!registros || registros.length === 0) return [RFC_SCOPE];
    const parsed = [
      ...new Set(
        registros.map(
          (text, i) => parseRegistroPatronal(text, { pointer: `/registrosPatronales/${i}` }).value,
        ),
      ),
    ];
    const entry = await options.padron(db).byRfc(rfc);
    if (!entry) {
      throw new MailboxError(
        "not_in_padron",
        `Tu RFC ${rfc} no está en el padrón del Instituto, así que no tiene registros patronales a los que asignar medios de contacto. Registra los medios de contacto de tu RFC; si tienes registros patronales, acude a tu Subdelegación para actualizar el padrón.`,
        { pointer: "/registrosPatronales" },
      );
    }
    const own = new Set(entry.registrosPatronales);
    const foreign = parsed.filter((r) => !own.has(r));
    if (foreign.length > 0) {
      throw new MailboxError(
        "registro_patronal_ajeno",
        `${foreign.length === 1 ? `El registro patronal ${foreign[0]} no pertenece` : `Los registros patronales ${foreign.join(", ")} no pertenecen`} a tu RFC ${rfc} según el padrón del Instituto.`,
        {
          errors: foreign.map((r) => ({
            pointer: `/registrosPatronales/${registros.findIndex((t) => t.trim().toUpperCase() === r)}`,
            detail: `El registro patronal ${r} no pertenece a tu RFC.`,
          })),
        },
      );
    }
    return parsed;
  }

  function alcance(rfc: string, scopes: readonly string[]): string {
    if (scopes.length === 1 && scopes[0] === RFC_SCOPE) return `tu RFC ${rfc}`;
    return scopes.length === 1
      ? `tu registro patronal ${scopes[0]}`
      : `tus registros patronales ${scopes.join(", ")}`;
  }

  /** The validation message of one registration (one code for all its means). */
  function validationMessage(args: {
    rfc: string;
    kind: MeansKind;
    value: string;
    scopes: readonly string[];
    /** The means the link opens (validating it validates the whole registration). */
    firstId: string;
    folio: string;
    send: number;
    code: string;
    expiresAt: Temporal.Instant;
  }) {
    return {
      // One registration (one acuse folio), one code per send: a repeated enqueue is one message.
      key: `medio:${args.folio}:codigo:${args.send}`,
      channel: args.kind === "correo" ? ("correo" as const) : ("sms" as const),
      to: args.value,
      template: args.kind === "correo" ? MEANS_EMAIL_TEMPLATE : MEANS_SMS_TEMPLATE,
      data: {
        enlace: `${options.publicUrl.replace(/\/$/, "")}${validationPagePath(args.firstId)}`,
        alcance: alcance(args.rfc, args.scopes),
        folio: args.folio,
        vence: spanishInstant(args.expiresAt, "second"),
        venceCorto: shortLocal(args.expiresAt),
      },
      secret: { codigo: args.code },
      rfc: args.rfc,
    };
  }

  async function register(
    actor: MailboxActor,
    body: {
      kind: MeansKind;
      value: string;
      registrosPatronales?: string[] | undefined;
      replaces?: string | undefined;
    },
  ) {
    const value =
      body.kind === "correo"
        ? parseEmail(body.value, { pointer: "/value" }).value
        : normalizePhone(body.value, "/value");
    const scopes = await scopesOf(actor.rfc, body.registrosPatronales);
    if (body.replaces !== undefined && !UUID.test(body.replaces)) {
      throw new MailboxError(
        "means_not_pending",
        "El medio de contacto que quieres cambiar no existe.",
        {
          pointer: "/replaces",
        },
      );
    }
    await projectPadron(actor.rfc);
    const registeredAt = now();
    const plazo = computeValidacion(registeredAt);
    const expiresAt = Temporal.Instant.from(plazo.expiresAt);
    const ids = scopes.map(() => randomUUID());
    const code = generateCode();
    let after: MailboxProjection | undefined;
    let rows: MeansRow[] = [];
    // ADR 0012: the acuse seals what was registered, as a document whose text is kept with it.
    const statement = meansStatementOf("registro", actor.rfc, body.kind, value, scopes);
    const issued = await evidence.issueAcuse(
      {
        ...(await acuseBase(actor, registeredAt)),
        kind: "registro_medios_contacto",
        calendarVersion: await options.calendarVersion(),
        rulesVersion: plazo.rulesVersion,
        documents: [statement.document],
      },
      {
        statement: statement.kept,
        record: async (tx, sealed) => {
          const locked = await lockMailbox(tx, actor.rfc);
          // A means past its 72 hours is dead even if the job has not run yet: it neither
          // counts toward the limits nor blocks registering the same address again.
          const mailbox = await cancelDue(tx, locked, registeredAt);
          checkRegistration(mailbox, { kind: body.kind, value, scopes, replaces: body.replaces });
          const since = registeredAt.subtract({ hours: 24 });
          checkRegistrationRate(
            new Set(
              mailbox.means
                .filter((m) => Temporal.Instant.compare(m.registeredAt, since) > 0)
                .map((m) => m.registeredAt.epochMilliseconds),
            ).size,
          );
          checkHabilitacion(locked, sealed);
          const hash = hashCode(codeKey, sealed.folio, 1, code);
          try {
            rows = await tx
              .insertInto("mailbox_means")
              .values(
                scopes.map((scope, i) => ({
                  id: ids[i]!,
                  rfc: actor.rfc,
                  kind: body.kind,
                  value,
                  scope,
                  status: "pendiente" as const,
                  registered_at: toDate(registeredAt),
                  expires_at: toDate(expiresAt),
                  validated_at: null,
                  ended_at: null,
                  acuse_folio: sealed.folio,
                  replaces: body.replaces ?? null,
                  code_hash: hash,
                  code_sent_at: toDate(registeredAt),
                  code_sends: 1,
                  locked_at: null,
                })),
              )
              .returningAll()
              .execute();
          } catch (error) {
            if (!isUniqueViolation(error)) throw error;
            throw new MailboxError(
              "duplicate_means",
              `${value} ya está registrado en tu Buzón IMSS (otra solicitud igual llegó al mismo tiempo).`,
              { pointer: "/value", cause: error },
            );
          }
          for (const [i, scope] of scopes.entries()) {
            after = await appendMailboxEvent(tx, {
              type: "medio_registrado",
              rfc: actor.rfc,
              at: registeredAt,
              acuseFolio: sealed.folio,
              data: {
                meansId: ids[i]!,
                kind: body.kind,
                value,
                scope,
                expiresAt: expiresAt.toString(),
                ...(body.replaces ? { replaces: body.replaces } : {}),
              },
            });
          }
          await enqueue(
            tx,
            validationMessage({
              rfc: actor.rfc,
              kind: body.kind,
              value,
              scopes,
              firstId: ids[0]!,
              folio: sealed.folio,
              send: 1,
              code,
              expiresAt,
            }),
            registeredAt,
          );
        },
      },
    );
    const at = now();
    const codigo = verificationCodeOf(issued.seal);
    return {
      means: rows.map((r) => meansView(r, at, new Map([[issued.folio, codigo]]))),
      acuse: { folio: issued.folio, codigo },
      state: after?.state ?? "medios_pendientes",
      registeredAt: formatInstant(registeredAt),
      expiresAt: formatInstant(expiresAt),
      plazo: { rulesVersion: plazo.rulesVersion, explanation: plazo.explanation },
    };
  }

  async function validate(actor: MailboxActor, id: string, codigo: string) {
    const attemptAt = now();
    // First the attempt alone, counted and committed whatever the outcome: a wrong code must
    // count even though the request fails, and concurrent guesses count one after another.
    const attempt = await db.transaction().execute(async (tx) => {
      await lockMailbox(tx, actor.rfc);
      const row = await ownMeans(tx, actor.rfc, id);
      checkCodeAttempt(codeStateOf(row), attemptAt);
      if (codeMatches(codeKey, row.code_hash, folioOf(row), row.code_sends, codigo)) {
        return { ok: true as const, row, group: await pendingGroup(tx, row) };
      }
      const failed = row.failed_attempts + 1;
      await tx
        .updateTable("mailbox_means")
        .set({
          failed_attempts: failed,
          locked_at: failed >= MAX_FAILED_ATTEMPTS ? toDate(attemptAt) : null,
        })
        .where("rfc", "=", actor.rfc)
        .where("acuse_folio", "=", row.acuse_folio)
        .where("status", "=", "pendiente")
        .execute();
      return { ok: false as const, failed };
    });
    if (!attempt.ok) throw wrongCodeRefusal(attempt.failed);

    let after: MailboxProjection | undefined;
    let validated: MeansRow[] = [];
    // ADR 0012: the acuse seals what is validated: the registration's means still pending.
    const statement = meansStatementOf(
      "validacion",
      actor.rfc,
      attempt.row.kind,
      attempt.row.value,
      attempt.group.map((m) => m.scope),
    );
    const issued = await evidence.issueAcuse(
      {
        ...(await acuseBase(actor, attemptAt)),
        kind: "validacion_medios_contacto",
        calendarVersion: await options.calendarVersion(),
        rulesVersion: computeValidacion(attemptAt).rulesVersion,
        documents: [statement.document],
      },
      {
        statement: statement.kept,
        record: async (tx, sealed) => {
          const mailbox = await lockMailbox(tx, actor.rfc);
          const row = await ownMeans(tx, actor.rfc, id);
          // Settled meanwhile (a double click validated it, a new code was sent): re-decide.
          checkCodeAttempt(codeStateOf(row), attemptAt);
          if (!codeMatches(codeKey, row.code_hash, folioOf(row), row.code_sends, codigo)) {
            throw wrongCodeRefusal(row.failed_attempts);
          }
          checkHabilitacion(mailbox, sealed);
          const group = await pendingGroup(tx, row);
          // The sealed statement names the group read before sealing: it must still be it.
          const sealedScopes = attempt.group.map((m) => m.id).join(",");
          if (group.map((m) => m.id).join(",") !== sealedScopes) {
            throw new AppError(
              "conflict",
              "Los medios de contacto de este registro cambiaron mientras se validaban. Vuelve a intentarlo.",
            );
          }
          for (const member of group) {
            after = await appendMailboxEvent(tx, {
              type: "medio_validado",
              rfc: actor.rfc,
              at: attemptAt,
              acuseFolio: sealed.folio,
              data: { meansId: member.id },
            });
          }
          // A change: the means it replaces goes once the new one is validated.
          const replaced = new Set(group.map((m) => m.replaces).filter((r) => r !== null));
          for (const old of mailbox.means.filter((m) => replaced.has(m.id) && isLive(m))) {
            after = await appendMailboxEvent(tx, {
              type: "medio_eliminado",
              rfc: actor.rfc,
              at: attemptAt,
              acuseFolio: sealed.folio,
              data: { meansId: old.id, reason: "reemplazado" },
            });
          }
          validated = await tx
            .selectFrom("mailbox_means")
            .selectAll()
            .where(
              "id",
              "in",
              group.map((m) => m.id),
            )
            .orderBy("scope")
            .execute();
        },
      },
    );
    const at = now();
    const codes = await registrationCodes(db, validated);
    return {
      means: validated.map((r) => meansView(r, at, codes)),
      state: after?.state ?? "medios_pendientes",
      acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) },
    };
  }

  async function resend(actor: MailboxActor, id: string) {
    const at = now();
    return db.transaction().execute(async (tx) => {
      await lockMailbox(tx, actor.rfc);
      const row = await ownMeans(tx, actor.rfc, id);
      checkResend(codeStateOf(row), at);
      const group = await pendingGroup(tx, row);
      const send = row.code_sends + 1;
      const code = generateCode();
      await tx
        .updateTable("mailbox_means")
        .set({
          code_hash: hashCode(codeKey, folioOf(row), send, code),
          code_sent_at: toDate(at),
          code_sends: send,
          failed_attempts: 0,
          locked_at: null,
        })
        .where("rfc", "=", actor.rfc)
        .where("acuse_folio", "=", row.acuse_folio)
        .where("status", "=", "pendiente")
        .execute();
      const expiresAt = toInstant(row.expires_at);
      await enqueue(
        tx,
        validationMessage({
          rfc: actor.rfc,
          kind: row.kind,
          value: row.value,
          scopes: group.map((m) => m.scope),
          firstId: row.id,
          folio: folioOf(row),
          send,
          code,
          expiresAt,
        }),
        at,
      );
      return {
        id: row.id,
        sentAt: formatInstant(at),
        resendAvailableAt: formatInstant(at.add({ seconds: RESEND_COOLDOWN_SECONDS })),
        expiresAt: formatInstant(expiresAt),
      };
    });
  }

  async function remove(actor: MailboxActor, id: string) {
    const at = now();
    await db.transaction().execute(async (tx) => {
      const mailbox = await lockMailbox(tx, actor.rfc);
      await ownMeans(tx, actor.rfc, id);
      const means = mailbox.means.find((m) => m.id === id);
      if (!means) throw notFound();
      checkRemoval(mailbox, means, at);
      await appendMailboxEvent(tx, {
        type: "medio_eliminado",
        rfc: actor.rfc,
        at,
        data: { meansId: id },
      });
    });
    return view(actor);
  }

  /**
   * «No recibí el correo» (the portal's note: within 24 hours of registering it): a promoción
   * with its own acuse — the text the person filed is its document — that lands in the staff
   * queue. One per e-mail registration.
   */
  async function fileAclaracion(
    actor: MailboxActor,
    body: { meansId: string; descripcion?: string | undefined },
  ) {
    const sentAt = now();
    const row = await ownMeans(db, actor.rfc, body.meansId);
    checkAclaracion(projectedOf(row), sentAt);
    const description = (body.descripcion ?? "").normalize("NFC").trim();
    const document = aclaracionDocument(actor, row, description, sentAt);
    const receipt = await options.promocionReceipt(sentAt);
    const id = randomUUID();
    const issued = await evidence.issueAcuse(
      {
        ...(await acuseBase(actor, sentAt)),
        kind: "promocion",
        countsAt: Temporal.Instant.from(receipt.receivedAt),
        rule: "recepcion_promocion",
        calendarVersion: receipt.calendarVersion,
        rulesVersion: receipt.rulesVersion,
        documents: [{ name: ACLARACION_DOCUMENT_NAME, ...sha256Text(document) }],
      },
      {
        record: async (tx, sealed) => {
          const locked = await lockMailbox(tx, actor.rfc);
          const current = await ownMeans(tx, actor.rfc, body.meansId);
          checkAclaracion(projectedOf(current), sentAt);
          checkHabilitacion(locked, sealed);
          const existing = await tx
            .selectFrom("mailbox_aclaraciones")
            .select("acuse_folio")
            .where("means_id", "=", current.id)
            .executeTakeFirst();
          if (existing) {
            throw new AppError(
              "conflict",
              `Ya registraste una aclaración para este correo, con el folio ${existing.acuse_folio}. El Instituto te responderá por tus medios de contacto.`,
            );
          }
          await tx
            .insertInto("mailbox_aclaraciones")
            .values({
              id,
              rfc: actor.rfc,
              means_id: current.id,
              description,
              document,
              acuse_folio: sealed.folio,
              created_at: toDate(sentAt),
              attended_at: null,
              attended_by: null,
            })
            .execute();
        },
      },
    );
    return {
      id,
      status: "abierta" as const,
      receivedAt: receipt.receivedAt,
      acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) },
    };
  }

  /** The aclaraciones selectAclaraciones reads, as the wire shows them. */
  async function aclaracionRows(executor: Db, filter: AclaracionesFilter) {
    const rows = await selectAclaraciones(executor, filter).execute();
    return rows.map((r) => ({
      id: r.id,
      rfc: r.rfc,
      meansId: r.means_id,
      email: r.value,
      // An aclaración is filed only for a registered e-mail (checkAclaracion), never for the
      // padrón's 2020 one: its means always has the acuse of its registration.
      registrationFolio: r.registration_folio as string,
      description: r.description,
      status: r.status,
      acuseFolio: r.acuse_folio,
      createdAt: formatInstant(toInstant(r.created_at)),
      attendedAt: r.attended_at ? formatInstant(toInstant(r.attended_at)) : null,
      attendedBy: r.attended_by,
      note: r.attended_note,
    }));
  }

  /**
   * The staff queue of aclaraciones, oldest first, a page at a time (operador, administrador):
   * `next` is the cursor after the page's last row, null on the last page.
   */
  async function aclaraciones(query: AclaracionQuery) {
    const limit = query.limite ?? 50;
    const rows = await aclaracionRows(db, {
      estado: query.estado,
      after: decodeCursor(query.despuesDe, "querystring:/despuesDe"),
      limit,
    });
    const last = rows.at(-1);
    return {
      aclaraciones: rows,
      // createdAt keeps the row's milliseconds (formatInstant), so the instant is the row's.
      next: rows.length === limit && last ? encodeCursor(new Date(last.createdAt), last.id) : null,
    };
  }

  /**
   * Staff mark an aclaración «atendida», with the answer the person reads in her mailbox. The
   * queue's row, the mailbox's `aclaracion_atendida` event and the audit event (who, from
   * where) commit together or not at all. Once only: a second answer is a conflict.
   */
  async function attendAclaracion(
    id: string,
    body: { nota: string },
    staff: StaffActor,
  ): Promise<AclaracionItem> {
    const note = body.nota.normalize("NFC").trim();
    if (note === "") {
      throw new AppError("validation", "Escribe la respuesta para la persona.", {
        pointer: "/nota",
      });
    }
    const at = now();
    return db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom("mailbox_aclaraciones")
        .select(["rfc", "means_id", "status", "attended_at"])
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
      if (!row) throw new AppError("not_found", "No existe esa aclaración.");
      if (row.status === "atendida") {
        const when = row.attended_at
          ? ` el ${spanishInstant(toInstant(row.attended_at), "second")}`
          : "";
        throw new AppError("conflict", `Esta aclaración ya se atendió${when}.`);
      }
      await tx
        .updateTable("mailbox_aclaraciones")
        .set({
          status: "atendida",
          attended_at: toDate(at),
          attended_by: staff.rfc,
          attended_note: note,
        })
        .where("id", "=", id)
        .execute();
      await appendMailboxEvent(tx, {
        type: "aclaracion_atendida",
        rfc: row.rfc,
        at,
        data: { aclaracionId: id, meansId: row.means_id },
      });
      await options.audit(tx, {
        at: toDate(at),
        event: "aclaracion",
        outcome: "aceptado",
        reason: "atendida",
        rfc: staff.rfc,
        ip: staff.ip ?? null,
        requestId: staff.requestId ?? null,
        detail: { aclaracionId: id, rfcDelBuzon: row.rfc, via: staff.via },
      });
      const [attended] = await aclaracionRows(tx, { id });
      if (!attended) throw internalError(`aclaración ${id} desaparecida al atenderla`);
      return attended;
    });
  }

  /**
   * The 72-hour job (5.2): every means still pending after its deadline is cancelled with an
   * event, mailbox by mailbox under its lock. Idempotent: a cancelled means is not pending, so a
   * second run (or another process) finds nothing more to do. Answers how many it cancelled.
   */
  async function cancelExpired(): Promise<number> {
    const at = now();
    let cancelled = 0;
    for (;;) {
      const due = await db
        .selectFrom("mailbox_means")
        .select("rfc")
        .distinct()
        .where("status", "=", "pendiente")
        .where("expires_at", "<=", toDate(at))
        .limit(200)
        .execute();
      if (due.length === 0) return cancelled;
      for (const { rfc } of due) {
        cancelled += await db.transaction().execute(async (tx) => {
          const before = await lockMailbox(tx, rfc);
          const after = await cancelDue(tx, before, at);
          return (
            after.means.filter((m) => m.status === "cancelado").length -
            before.means.filter((m) => m.status === "cancelado").length
          );
        });
      }
    }
  }

  /**
   * Projects every padrón entry enabled under the 2020 rules (5.4) that is not yet projected so:
   * an event `habilitacion_2020` and `mailboxes` as `habilitado`/`lineamientos_2020`, in batches,
   * each under the locks of its mailboxes' rows (as every other event). A job, so the padrón
   * import needs to know nothing of the mailbox and campaigns find the state in `mailboxes`.
   * Idempotent. Answers how many it projected.
   */
  async function projectHabilitaciones2020(batch = 500): Promise<number> {
    const at = now();
    const atDate = toDate(at);
    let projected = 0;
    for (;;) {
      const done = await db.transaction().execute(async (tx) => {
        const due = await tx
          .selectFrom("padron_entries as p")
          .leftJoin("mailboxes as m", "m.rfc", "p.rfc")
          .select(["p.rfc", "p.habilitacion_2020_at", "p.email_on_file"])
          .where("p.habilitacion_2020_at", "is not", null)
          .where((eb) =>
            eb.or([eb("m.provenance", "is", null), eb("m.provenance", "<>", "lineamientos_2020")]),
          )
          .orderBy("p.rfc")
          .limit(batch)
          .execute();
        if (due.length === 0) return 0;
        const rfcs = due.map((d) => d.rfc);
        await createMissingMailboxes(tx, rfcs);
        const locked = await sql<{ rfc: string; provenance: string | null }>`
          select rfc, provenance from mailboxes where rfc = any(${rfcs}::text[]) order by rfc for update
        `.execute(tx);
        const open = new Set(
          locked.rows.filter((r) => r.provenance !== "lineamientos_2020").map((r) => r.rfc),
        );
        const todo = due.filter((d) => open.has(d.rfc));
        if (todo.length === 0) return due.length;
        const termsVersion = await options.currentTermsVersion(tx);
        // The e-mails on file come along as validated means of the RFC, as registering one
        // would allow (carriesPadronEmail): only the few mailboxes that already have live
        // e-mails of the RFC are replayed to ask.
        const withEmail = todo.filter((d) => d.email_on_file !== null).map((d) => d.rfc);
        const withLiveEmails = new Set(
          withEmail.length === 0
            ? []
            : (
                await tx
                  .selectFrom("mailbox_means")
                  .select("rfc")
                  .distinct()
                  .where("rfc", "in", withEmail)
                  .where("scope", "=", RFC_SCOPE)
                  .where("kind", "=", "correo")
                  .where("status", "in", ["pendiente", "validado"])
                  .execute()
              ).map((m) => m.rfc),
        );
        const carried = new Map<string, { meansId: string; value: string }>();
        for (const d of todo) {
          if (d.email_on_file === null) continue;
          if (
            withLiveEmails.has(d.rfc) &&
            !carriesPadronEmail(await loadMailbox(tx, d.rfc), d.email_on_file)
          ) {
            continue;
          }
          carried.set(d.rfc, { meansId: randomUUID(), value: d.email_on_file });
        }
        if (carried.size > 0) {
          await tx
            .insertInto("mailbox_means")
            .values([...carried].map(([rfc, e]) => padronMeansRow(rfc, e, atDate)))
            .execute();
        }
        await tx
          .insertInto("mailbox_events")
          .values(
            todo.map((d) => ({
              rfc: d.rfc,
              type: "habilitacion_2020",
              data: JSON.stringify({
                enabledAt: (d.habilitacion_2020_at as Date).toISOString(),
                termsVersion,
                ...(carried.has(d.rfc) ? { emailOnFile: carried.get(d.rfc) } : {}),
              }),
              at: atDate,
              acuse_folio: null,
            })),
          )
          .execute();
        // What projectMailbox gives after this event, whatever came before: enabled, 2020,
        // and the Terms version already signed if any.
        await tx
          .updateTable("mailboxes")
          .set((eb) => ({
            state: "habilitado",
            provenance: "lineamientos_2020",
            terms_version: eb.fn.coalesce(
              "terms_version",
              sql<string | null>`${termsVersion}::text`,
            ),
            updated_at: atDate,
          }))
          .where(
            "rfc",
            "in",
            todo.map((d) => d.rfc),
          )
          .execute();
        projected += todo.length;
        return due.length;
      });
      if (done < batch) return projected;
    }
  }

  return {
    view,
    register,
    projectHabilitaciones2020,
    validate,
    resend,
    remove,
    fileAclaracion,
    aclaraciones,
    attendAclaracion,
    cancelExpired,
  };
}

/**
 * Cancels (with an event each) the mailbox's means still pending at their deadline, as the
 * 72-hour job does; call with the mailbox's lock held. Returns the mailbox after.
 */
async function cancelDue(
  tx: Db,
  mailbox: MailboxProjection,
  at: Temporal.Instant,
): Promise<MailboxProjection> {
  let after = mailbox;
  for (const means of mailbox.means) {
    if (means.status !== "pendiente" || Temporal.Instant.compare(means.expiresAt, at) > 0) continue;
    after = await appendMailboxEvent(tx, {
      type: "medio_cancelado",
      rfc: mailbox.rfc,
      at,
      data: { meansId: means.id, reason: "vencido" },
    });
  }
  return after;
}

/** The name of an aclaración's document in its acuse. */
export const ACLARACION_DOCUMENT_NAME = "Aclaración de medio de contacto.txt";

/** The exact text an aclaración files: what its acuse's document hash covers. */
function aclaracionDocument(
  actor: MailboxActor,
  row: MeansRow,
  description: string,
  sentAt: Temporal.Instant,
): string {
  return [
    "Buzón IMSS — Aclaración de medio de contacto: no recibí el correo de validación",
    `RFC: ${actor.rfc}`,
    `Presentada por: ${actor.representativeRfc ?? actor.rfc}${actor.representativeRfc ? " (representante legal)" : ""}`,
    `Correo electrónico: ${row.value}`,
    `Registrado con el acuse ${row.acuse_folio} el ${spanishInstant(toInstant(row.registered_at), "second")}`,
    `Enviada el ${spanishInstant(sentAt, "second")}`,
    "Descripción:",
    description === "" ? "(sin descripción)" : description,
    "",
  ].join("\n");
}

/** A means row as the pure rules see it. */
function projectedOf(row: MeansRow) {
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    scope: row.scope,
    status: row.status,
    registeredAt: toInstant(row.registered_at),
    expiresAt: toInstant(row.expires_at),
    validatedAt: row.validated_at ? toInstant(row.validated_at) : null,
    replaces: row.replaces,
  };
}

/** The `mailbox_means` row of the padrón's e-mail carried over by a 2020 enablement. */
function padronMeansRow(rfc: string, email: { meansId: string; value: string }, at: Date) {
  return {
    id: email.meansId,
    rfc,
    kind: "correo" as const,
    value: email.value,
    scope: RFC_SCOPE,
    status: "validado" as const,
    registered_at: at,
    expires_at: at,
    validated_at: at,
    ended_at: null,
    acuse_folio: null,
    origin: "padron_2020" as const,
    code_hash: null,
    code_sent_at: null,
    locked_at: null,
  };
}

/**
 * Projects a padrón entry enabled under the 2020 rules (5.4) as `habilitado` with provenance
 * `lineamientos_2020`, once; a no-op for a mailbox already projected so. Its e-mail on file, if
 * any, comes along as a validated means of the RFC (origin `padron_2020`), named by the same
 * event and written in the same transaction. For the mailbox's first view (the job does the
 * same in batches). Call in a transaction.
 */
export async function recordHabilitacion2020(
  tx: Db,
  rfc: string,
  entry: { enabledAt: Date; emailOnFile: string | null },
  at: Temporal.Instant,
  termsVersion: () => Promise<string | null>,
): Promise<void> {
  const mailbox = await lockMailbox(tx, rfc);
  if (mailbox.provenance === "lineamientos_2020") return;
  const email =
    entry.emailOnFile !== null && carriesPadronEmail(mailbox, entry.emailOnFile)
      ? { meansId: randomUUID(), value: entry.emailOnFile }
      : undefined;
  if (email) {
    await tx
      .insertInto("mailbox_means")
      .values(padronMeansRow(rfc, email, new Date(at.epochMilliseconds)))
      .execute();
  }
  await appendMailboxEvent(tx, {
    type: "habilitacion_2020",
    rfc,
    at,
    data: {
      enabledAt: entry.enabledAt.toISOString(),
      termsVersion: await termsVersion(),
      ...(email ? { emailOnFile: email } : {}),
    },
  });
}

export type MailboxService = ReturnType<typeof createMailboxService>;

/**
 * The means' statement (ADR 0012) as the acuse names it (its document: name, SHA-256, size) and
 * as the evidence keeps it (the exact text).
 */
function meansStatementOf(
  act: MeansStatementAct,
  rfc: string,
  kind: MeansKind,
  value: string,
  scopes: readonly string[],
) {
  const text = meansStatement({ act, rfc, kind, value, scopes });
  return {
    document: { name: MEANS_STATEMENT_NAME, ...sha256Text(text) },
    kept: { name: MEANS_STATEMENT_NAME, text },
  };
}

/** SHA-256 (hex) of a text's UTF-8 bytes: the document hash an acuse seals. */
export function sha256Text(text: string): { sha256: string; bytes: number } {
  const bytes = Buffer.from(text, "utf8");
  return { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
}
