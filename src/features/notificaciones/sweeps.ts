import { Buffer } from "node:buffer";
import { nthBusinessDayAfter } from "../../domain/calendar/business-days.ts";
import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { RFC_SCOPE } from "../../domain/mailbox/projection.ts";
import {
  AVISO_STATEMENT_NAME,
  avisoAddressDigestInput,
  avisoStatement,
  type StatedAct,
  termStatement,
} from "../../domain/notificaciones/aviso.ts";
import {
  CANCELLATION_EFFECT,
  type CancelledAvisoDelivery,
  cancellationStatement,
  cancelledAvisoStatement,
} from "../../domain/notificaciones/aviso-cancelado.ts";
import type { ActCatalogue } from "../../domain/notificaciones/catalogo.ts";
import {
  CONSTANCIA_STATEMENT_NAME,
  constanciaStatement,
} from "../../domain/notificaciones/constancia.ts";
import {
  checkTransition,
  NotificacionError,
  type NotificacionEventType,
  type NotificacionProjection,
  projectNotificacion,
} from "../../domain/notificaciones/lifecycle.ts";
import { DAYS_TO_OPEN } from "../../domain/plazos/notificacion.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import {
  atLocalTime,
  formatInstant,
  spanishDate,
  spanishInstant,
  toZonaCentro,
} from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { Db } from "../../platform/db/schema.ts";
import { notificacionPath } from "../../platform/http/page-paths.ts";
import { enqueueMany, type OutboxMessage } from "../delivery/outbox.ts";
import type { EvidenceService, GroupMember } from "../evidence/service.ts";
import {
  AVISO_EVIDENCE_FORMAT,
  type AvisoCancellation,
  type AvisoEvidence,
  deliveriesOf,
  INSTITUTO_RFC,
  SEGUNDO_AVISO_TEMPLATE,
} from "./aviso.ts";
import {
  type AvisoMeans,
  appendNotificacionEvent,
  appendNotificacionEvents,
  eventsOf,
  type NewNotificacionEvent,
  type NotificacionEventRow,
  notificacionById,
  validatedMeansOf,
} from "./store.ts";
import {
  type AvisoAddressRow,
  actsToSweep,
  avisoAddressesOf,
  avisoMessagesOf,
  type CancellationRow,
  cancellationsOf,
  type SweepKey,
  type SweepRow,
  tryLockNotificacion,
  tryLockNotificaciones,
} from "./sweep-store.ts";
import { lifecycleEvents } from "./views.ts";

/**
 * The notifications' jobs (issue 11 §2–3), each a sweep over the acts by (aviso_at, id):
 *
 * - `aviso_emitido`: once the aviso's instant is reached, its acuse (`aviso_notificacion`) with
 *   eventAt = countsAt = the instant fixed at deposit (rule a), never when the job ran, sealing
 *   what the aviso states (addressee, term, calendars, every address: avisoStatement); for an
 *   act cancelled after that instant but before the job reached it, what did happen instead
 *   (the cancellation, no term, each address's outcome: cancelledAvisoStatement).
 * - `segundo_aviso`: from 09:30 of the last day to open (openBy), while unopened, a second
 *   message to each validated means (no acuse: aviso.ts says why).
 * - `constancia_cuarto_dia`: from 09:30 of the fourth business day (Lineamientos 7.5), the
 *   constancia with eventAt = countsAt = that instant, stating the day and the calendar.
 *
 * Correct late (the instants are the law's, not the run's), twice and in several processes at
 * once: each act is decided inside its acuse's own transaction (the issuance batch's), under the
 * act's lock taken without waiting (an act another transaction holds is left for the next run),
 * by re-projecting its timeline as it stands then; the once-only events' unique index is the
 * last word. An opening committed first makes the constancia illegal and it is not issued.
 *
 * Each sweep reads `batchSize` acts per query (keyset, the partial index over not-estrados acts)
 * and issues their acuses as one group (evidence.issueGroup): in the issuance transaction,
 * before sealing, the batch's acts are locked in one statement, their timelines read in one and
 * their events appended in one, so an act costs no round trip of its own; each still gets its
 * own sealed acuse and its own event. Settled acts are excluded by one probe of the once-only
 * index each; a process also remembers how far every act is settled (`watermarks`) so later
 * runs start there.
 */

export interface NotificacionSweepsOptions {
  db: Db;
  clock: Clock;
  /** The IMSS calendar in force (the dates are counted on it, as the views do). */
  calendar: () => Promise<BusinessCalendar>;
  evidence: EvidenceService;
  catalogue: ActCatalogue;
  publicUrl: string;
  /** Acts read and decided per batch (NOTIFICACION_SWEEP_BATCH). */
  batchSize?: number | undefined;
  log?: { error(data: object, message: string): void } | undefined;
}

export interface SweepReport {
  /** Acuses issued (or second avisos sent). */
  done: number;
  /** Acts another writer settled first (an opening, a cancellation, another process). */
  settled: number;
  /** Acts left for the next run (locked by another transaction, or a failure). */
  retry: number;
}

export const DEFAULT_SWEEP_BATCH = 256;

/** How far behind now a watermark stays, for deposits still committing (their aviso ≥ deposit). */
const WATERMARK_MARGIN = { minutes: 15 } as const;

/** A job decided not to act: `retry` comes back next run, `settled` is done for good. */
class SweepSkip extends Error {
  readonly outcome: "settled" | "retry";
  constructor(outcome: "settled" | "retry") {
    super(`sweep: ${outcome}`);
    this.outcome = outcome;
  }
}

/** The law's instants of an unopened act, from its aviso's Zona Centro date (rules b, d). */
export interface AvisoTerm {
  openBy: Temporal.PlainDate;
  /** 09:30 of the last day to open: when the second aviso is due. */
  secondAvisoAt: Temporal.Instant;
  fourthBusinessDay: Temporal.PlainDate;
  deemedNotifiedAt: Temporal.Instant;
}

const NINE_THIRTY = Temporal.PlainTime.from("09:30");

/** As computeNotificacion counts them: three business days after the aviso's date, then the 4th. */
export function avisoTerm(calendar: BusinessCalendar, avisoDate: Temporal.PlainDate): AvisoTerm {
  const window = nthBusinessDayAfter(calendar, avisoDate, DAYS_TO_OPEN + 1);
  const openBy = window.counted[DAYS_TO_OPEN - 1]!;
  return {
    openBy,
    secondAvisoAt: atLocalTime(openBy, NINE_THIRTY),
    fourthBusinessDay: window.date,
    deemedNotifiedAt: atLocalTime(window.date, NINE_THIRTY),
  };
}

/** How far back a bound is looked for: longer than any run of non-business days. */
const MAX_LOOKBACK_DAYS = 400;

/**
 * The first Zona Centro aviso date whose `instant` is still ahead of `now`: every act with an
 * aviso before its 00:00 has reached it (the term's instants never go back as the aviso's date
 * advances). Walks back from today.
 */
function firstDateNotReached(
  terms: (date: Temporal.PlainDate) => AvisoTerm,
  pick: (term: AvisoTerm) => Temporal.Instant,
  now: Temporal.Instant,
): Temporal.PlainDate {
  let date = toZonaCentro(now).toPlainDate();
  for (let i = 0; i < MAX_LOOKBACK_DAYS; i++) {
    if (Temporal.Instant.compare(pick(terms(date)), now) <= 0) return date.add({ days: 1 });
    date = date.subtract({ days: 1 });
  }
  return date;
}

const midnight = (date: Temporal.PlainDate) =>
  new Date(atLocalTime(date, Temporal.PlainTime.from("00:00")).epochMilliseconds);
const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
const dateOf = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);

function shortDate(date: Temporal.PlainDate): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(date.day)}/${two(date.month)}/${date.year}`;
}

/** One aviso per address, as the deposit sends them. */
function dedupe(means: AvisoMeans[]): AvisoMeans[] {
  const seen = new Set<string>();
  return means.filter((m) => {
    const key = `${m.kind}|${m.value.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function createNotificacionSweeps(options: NotificacionSweepsOptions) {
  const { db, evidence, catalogue } = options;
  const batchSize = options.batchSize ?? DEFAULT_SWEEP_BATCH;
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });
  /** Per sweep: every act before this key is settled (or was never due). */
  const watermarks = new Map<string, SweepKey>();

  /** The term of each aviso date on this calendar version (a handful of dates per run). */
  function termsOn(calendar: BusinessCalendar) {
    const cache = new Map<string, AvisoTerm>();
    return (date: Temporal.PlainDate): AvisoTerm => {
      const key = date.toString();
      let term = cache.get(key);
      if (!term) {
        term = avisoTerm(calendar, date);
        cache.set(key, term);
      }
      return term;
    };
  }

  const termOfAct = (terms: (d: Temporal.PlainDate) => AvisoTerm, row: { aviso_at: Date }) =>
    terms(toZonaCentro(instantOf(row.aviso_at)).toPlainDate());

  /** The act's timeline re-read in `tx` (under its lock) and projected at `at`. */
  async function projectIn(
    tx: Db,
    row: SweepRow,
    deemedNotifiedAt: Temporal.Instant,
    at: Temporal.Instant,
  ): Promise<NotificacionProjection> {
    const events = (await eventsOf(tx, [row.id])).get(row.id) ?? [];
    return projectNotificacion(
      lifecycleEvents(events),
      { avisoAt: instantOf(row.aviso_at), deemedNotifiedAt },
      at,
    );
  }

  /** Locks the act without waiting and refuses `type` the table forbids now: a SweepSkip. */
  async function decide(
    tx: Db,
    row: SweepRow,
    type: NotificacionEventType,
    deemedNotifiedAt: Temporal.Instant,
    at: Temporal.Instant,
  ): Promise<NotificacionProjection> {
    if (!(await tryLockNotificacion(tx, row.id))) throw new SweepSkip("retry");
    const projection = await projectIn(tx, row, deemedNotifiedAt, at);
    try {
      checkTransition(projection, type);
    } catch (error) {
      if (error instanceof NotificacionError) throw new SweepSkip("settled");
      throw error;
    }
    return projection;
  }

  /**
   * Walks the acts of `query` by keyset in batches, `handle` deciding each batch; resumes after
   * the sweep's watermark and moves it up to the first act left to retry (or the last read).
   */
  async function walk(
    name: string,
    query: {
      from?: Date;
      until: Date;
      settledBy: readonly NotificacionEventType[];
      excludeCancelledBeforeAviso?: boolean;
    },
    handle: (rows: SweepRow[]) => Promise<("done" | "settled" | "retry")[]>,
    at: Temporal.Instant,
  ): Promise<SweepReport> {
    const report: SweepReport = { done: 0, settled: 0, retry: 0 };
    const remembered = query.from ? undefined : watermarks.get(name);
    let after = remembered;
    let firstRetry: SweepKey | undefined;
    for (;;) {
      const rows = await actsToSweep(db, { ...query, after, limit: batchSize });
      if (rows.length === 0) break;
      const outcomes = await handle(rows);
      outcomes.forEach((outcome, i) => {
        report[outcome]++;
        const row = rows[i]!;
        if (outcome === "retry" && !firstRetry) {
          firstRetry = { avisoAt: row.aviso_at, id: row.id, inclusive: true };
        }
      });
      const last = rows.at(-1)!;
      after = { avisoAt: last.aviso_at, id: last.id };
      if (rows.length < batchSize) break;
    }
    if (!query.from) {
      // Never past what may still be committing, nor past an act to retry.
      const cap: SweepKey = {
        avisoAt: dateOf(at.subtract(WATERMARK_MARGIN)),
        id: "00000000-0000-0000-0000-000000000000",
        inclusive: true,
      };
      const candidates = [firstRetry, after, cap].filter((k): k is SweepKey => k !== undefined);
      const lowest = candidates.reduce((a, b) =>
        a.avisoAt.getTime() !== b.avisoAt.getTime()
          ? a.avisoAt < b.avisoAt
            ? a
            : b
          : a.id <= b.id
            ? a
            : b,
      );
      if (after !== undefined || remembered !== undefined) watermarks.set(name, lowest);
    }
    return report;
  }

  /** One act's acuse in a batch: what it seals, and its event (the folio added once known). */
  interface Planned extends GroupMember {
    row: SweepRow;
    deemedNotifiedAt: Temporal.Instant;
    event: Pick<NewNotificacionEvent, "at" | "recordedAt" | "data">;
    /**
     * What the statement was written for must still hold under the lock (the facts were read
     * before it): if not, the act is retried next run with a statement of what holds then.
     */
    expects?: (projection: NotificacionProjection) => boolean;
    /**
     * What the statement says of the act's avisos must still be what their messages record,
     * re-read under the lock and share-locked until the seal (a courier's result in between
     * would make it false): if not, the act is retried next run.
     */
    expectsAvisos?: (addresses: readonly AvisoAddressRow[]) => boolean;
  }

  /**
   * Issues the acuses of a batch together (evidence.issueGroup): in their issuance transaction,
   * before sealing, the batch's acts are locked without waiting in one statement, their timelines
   * re-read in one and projected at `at` (`type` must be legal then, and `allowed`), and the
   * events of those decided appended in one, each with its acuse's folio. A SweepSkip is an
   * act's outcome (an act another transaction holds is retried next run, one settled is left);
   * any other failure is logged and retried.
   */
  async function issueDecided(
    rows: SweepRow[],
    type: "aviso_emitido" | "constancia_cuarto_dia",
    at: Temporal.Instant,
    plan: (row: SweepRow) => Planned | "retry",
    allowed: (projection: NotificacionProjection) => boolean = () => true,
  ): Promise<("done" | "settled" | "retry")[]> {
    const plans = rows.map(plan);
    const planned = plans.filter((p): p is Planned => p !== "retry");
    const issued = evidence.issueGroup(planned, {
      record: async (tx, members) => {
        const locked = await tryLockNotificaciones(
          tx,
          members.map((m) => m.member.row.id),
        );
        const timelines = await eventsOf(tx, [...locked]);
        const rechecked = members
          .map(({ member: p }) => p)
          .filter((p) => p.expectsAvisos && locked.has(p.row.id));
        const avisos =
          rechecked.length > 0
            ? await avisoAddressesOf(
                tx,
                rechecked.map((p) => p.row),
                { lock: true },
              )
            : new Map<string, AvisoAddressRow[]>();
        const verdicts = members.map(({ member: p }): SweepSkip | undefined => {
          if (!locked.has(p.row.id)) return new SweepSkip("retry");
          const projection = projectNotificacion(
            lifecycleEvents(timelines.get(p.row.id) ?? []),
            { avisoAt: instantOf(p.row.aviso_at), deemedNotifiedAt: p.deemedNotifiedAt },
            at,
          );
          try {
            checkTransition(projection, type);
          } catch (error) {
            if (error instanceof NotificacionError) return new SweepSkip("settled");
            throw error;
          }
          if (p.expects && !p.expects(projection)) return new SweepSkip("retry");
          if (p.expectsAvisos && !p.expectsAvisos(avisos.get(p.row.id) ?? [])) {
            return new SweepSkip("retry");
          }
          return allowed(projection) ? undefined : new SweepSkip("settled");
        });
        const written = await appendNotificacionEvents(
          tx,
          members.flatMap(({ member: p, acuse }, i) =>
            verdicts[i]
              ? []
              : [{ ...p.event, notificacionId: p.row.id, type, acuseFolio: acuse.folio }],
          ),
        );
        // The once-only index is the last word: an act whose event is already there is settled.
        return members.map(
          ({ member: p }, i) =>
            verdicts[i] ?? (written.has(p.row.id) ? undefined : new SweepSkip("settled")),
        );
      },
    });
    const results = await Promise.allSettled(issued);
    const outcomes = new Map<Planned, "done" | "settled" | "retry">();
    results.forEach((result, i) => {
      const p = planned[i]!;
      if (result.status === "fulfilled") outcomes.set(p, "done");
      else if (result.reason instanceof SweepSkip) outcomes.set(p, result.reason.outcome);
      else {
        options.log?.error(
          {
            notificacion: p.row.id,
            err: result.reason instanceof Error ? result.reason.message : String(result.reason),
          },
          "no se pudo sellar la evidencia de una notificación; se reintentará",
        );
        outcomes.set(p, "retry");
      }
    });
    return plans.map((p) => (p === "retry" ? "retry" : outcomes.get(p)!));
  }

  const documentsOf = (row: SweepRow) => [
    { name: row.document_name, sha256: row.document_sha256, bytes: row.document_bytes },
  ];

  /** Which act the aviso's and the constancia's statements speak of. */
  const statedActOf = (row: SweepRow): StatedAct => ({
    rfc: row.rfc,
    registroPatronal: row.registro_patronal,
    actId: row.id,
    oficio: row.oficio,
    actType: `${row.act_type} ${catalogue.find(row.act_type)?.name ?? ""}`.trim(),
    issuingUnit: row.issuing_unit,
    documentName: row.document_name,
    documentSha256: row.document_sha256,
  });

  /** A statement sealed as one of the acuse's documents (ADR 0012): its name, hash and size. */
  const statementDocument = (name: string, text: string) => ({
    name,
    sha256: sha256Hex(text),
    bytes: Buffer.byteLength(text, "utf8"),
  });

  /** The digest that binds an aviso's whole address to its masked one (avisoAddressDigestInput). */
  const addressDigest = (m: AvisoAddressRow) =>
    sha256Hex(avisoAddressDigestInput(m.idempotency_key, m.recipient));

  /** The aviso's acuse of one act, whichever statement it seals: rule a at the aviso instant. */
  function avisoAcuse(row: SweepRow, text: string): GroupMember {
    const avisoAt = instantOf(row.aviso_at);
    return {
      statement: { name: AVISO_STATEMENT_NAME, text },
      input: {
        kind: "aviso_notificacion",
        parties: { rfc: row.rfc, actorRfc: INSTITUTO_RFC, capacity: "sistema" },
        eventAt: avisoAt,
        countsAt: avisoAt,
        rule: "horario_notificacion",
        calendarVersion: row.calendar_version,
        rulesVersion: row.rules_version,
        documents: [...documentsOf(row), statementDocument(AVISO_STATEMENT_NAME, text)],
      },
    };
  }

  /**
   * The aviso's acuse (Lineamientos 7.3) of every act whose aviso instant is reached: eventAt =
   * countsAt = that instant, fixed at deposit by rule a with the calendar version it names. It
   * seals, besides the act's PDF, the aviso's statement (`aviso-notificacion.txt`): addressee,
   * act, the instant made available, the three-day term computed on the calendar in force now,
   * both calendar versions when they differ, and each address the deposit queued the aviso to
   * (read for the whole batch in one statement).
   *
   * An act cancelled after its aviso instant but before this job reached it was made available
   * and its avisos went out: its aviso's acuse is still due, but with its own text
   * (cancelledAvisoStatement: the cancellation and its acuse, no term, each address with what
   * became of its aviso, those the cancellation withdrew as withdrawn). One cancelled before
   * the instant was never made available and has none (left out by the query, and refused by
   * the lifecycle). Which text is decided on facts read before the lock; under it, an act
   * cancelled in between is left for the next run (`expects`), which writes the other text.
   * The cancelled text states each aviso's recorded outcome, so it is never sealed while a
   * courier holds one (its result may yet come: cancelledAvisos), and the outcomes are read
   * again under the lock and share-locked until the seal (`expectsAvisos`).
   */
  async function issueAvisos(): Promise<SweepReport> {
    const at = now();
    const calendar = await options.calendar();
    const terms = termsOn(calendar);

    const planAviso = (row: SweepRow, addresses: readonly AvisoAddressRow[]): Planned => {
      const avisoAt = instantOf(row.aviso_at);
      const term = termOfAct(terms, row);
      const text = avisoStatement({
        ...statedActOf(row),
        availableAt: avisoAt,
        openBy: term.openBy,
        deemedNotifiedAt: term.deemedNotifiedAt,
        availableBy: {
          authority: calendar.authority,
          version: row.calendar_version,
          rulesVersion: row.rules_version,
        },
        termBy: {
          authority: calendar.authority,
          version: calendar.version,
          rulesVersion: RULES_VERSION,
        },
        addresses: addresses.map((m) => ({
          channel: m.channel,
          address: m.recipient,
          digest: addressDigest(m),
        })),
      });
      return {
        row,
        deemedNotifiedAt: term.deemedNotifiedAt,
        ...avisoAcuse(row, text),
        event: {
          at: avisoAt,
          recordedAt: at,
          data: {
            openBy: term.openBy.toString(),
            deemedNotifiedAt: formatInstant(term.deemedNotifiedAt),
            calendarVersion: calendar.version,
            rulesVersion: RULES_VERSION,
          },
        },
        // It states the term: never for an act cancelled since its facts were read.
        expects: (p) => p.state !== "cancelada",
      };
    };

    /**
     * What the cancelled aviso's text says of each message, or undefined while a courier holds
     * one (taken, no result recorded, its lease running): its send may yet be recorded, and the
     * text would then be false. A lease run out with no result is said as such.
     */
    const cancelledAvisos = (
      addresses: readonly AvisoAddressRow[],
    ): CancelledAvisoDelivery[] | undefined => {
      // Taken: the latest claim has no result (an older claim that never came back is not a
      // send under way; its attempt simply has no record).
      const taken = (m: AvisoAddressRow) =>
        m.status !== "enviada" && m.attempts_taken > 0 && !m.latest_claim_recorded;
      const held = (m: AvisoAddressRow) =>
        taken(m) &&
        m.next_attempt_at !== null &&
        m.next_attempt_at.getTime() > at.epochMilliseconds;
      if (addresses.some(held)) return undefined;
      return addresses.map((m) => ({
        channel: m.channel,
        address: m.recipient,
        digest: addressDigest(m),
        status: m.status,
        finishedAt: m.finished_at ? instantOf(m.finished_at) : null,
        attempts: m.attempts_recorded,
        withdrawn: m.withdrawn,
        sendUnrecorded: taken(m),
      }));
    };

    const planCancelledAviso = (
      row: SweepRow,
      cancellation: CancellationRow,
      addresses: readonly AvisoAddressRow[],
    ): Planned | "retry" => {
      const avisoAt = instantOf(row.aviso_at);
      const cancelledAt = instantOf(cancellation.at);
      const avisos = cancelledAvisos(addresses);
      if (!avisos) return "retry";
      const said = JSON.stringify(avisos);
      const text = cancelledAvisoStatement({
        ...statedActOf(row),
        availableAt: avisoAt,
        availableBy: {
          authority: calendar.authority,
          version: row.calendar_version,
          rulesVersion: row.rules_version,
        },
        cancelledAt,
        cancellationFolio: cancellation.acuse_folio,
        avisos,
      });
      return {
        row,
        deemedNotifiedAt: termOfAct(terms, row).deemedNotifiedAt,
        ...avisoAcuse(row, text),
        event: {
          at: avisoAt,
          recordedAt: at,
          // No term: the cancellation's instant and acuse instead.
          data: {
            cancelledAt: formatInstant(cancelledAt),
            ...(cancellation.acuse_folio ? { cancellationFolio: cancellation.acuse_folio } : {}),
          },
        },
        expects: (p) => p.cancelledAt?.equals(cancelledAt) === true,
        // The outcomes it states, read again under the lock: still so, none being sent.
        expectsAvisos: (fresh) => {
          const now = cancelledAvisos(fresh);
          return now !== undefined && JSON.stringify(now) === said;
        },
      };
    };

    return walk(
      "aviso_emitido",
      {
        until: dateOf(at.add({ milliseconds: 1 })),
        settledBy: ["aviso_emitido"],
        excludeCancelledBeforeAviso: true,
      },
      async (rows) => {
        const addresses = await avisoAddressesOf(db, rows);
        const cancellations = await cancellationsOf(
          db,
          rows.map((r) => r.id),
        );
        return issueDecided(rows, "aviso_emitido", at, (row) => {
          const cancellation = cancellations.get(row.id);
          const queued = addresses.get(row.id) ?? [];
          return cancellation
            ? planCancelledAviso(row, cancellation, queued)
            : planAviso(row, queued);
        });
      },
      at,
    );
  }

  /**
   * The constancia of the fourth business day (Lineamientos 7.5, 7.6; CFF 134-I) of every act
   * not opened by 09:30 of that day: eventAt = countsAt = that instant (the folio, later, is
   * when it was sealed); rule `cuarto_dia`; the calendar version that counted the days. Its
   * event states which day was the fourth and that no authenticated opening happened.
   */
  async function issueConstancias(): Promise<SweepReport> {
    const at = now();
    const calendar = await options.calendar();
    const terms = termsOn(calendar);
    const until = midnight(firstDateNotReached(terms, (t) => t.deemedNotifiedAt, at));
    return walk(
      "constancia_cuarto_dia",
      { until, settledBy: ["constancia_cuarto_dia", "abierta", "cancelada"] },
      async (rows) => {
        const avisos = await avisoAddressesOf(db, rows);
        return issueDecided(
          rows,
          "constancia_cuarto_dia",
          at,
          (row) => {
            const term = termOfAct(terms, row);
            const deemed = term.deemedNotifiedAt;
            if (Temporal.Instant.compare(deemed, at) > 0) return "retry";
            // What it states, sealed with it (not only in the event row): ADR 0012's mechanism.
            const text = constanciaStatement({
              ...statedActOf(row),
              avisoAt: formatInstant(instantOf(row.aviso_at)),
              openBy: term.openBy,
              fourthBusinessDay: term.fourthBusinessDay,
              notifiedAt: formatInstant(deemed),
              calendarAuthority: calendar.authority,
              calendarVersion: calendar.version,
              rulesVersion: RULES_VERSION,
              avisos: (avisos.get(row.id) ?? []).map((m) => ({
                channel: m.channel,
                address: m.recipient,
                digest: addressDigest(m),
                status: m.status,
                finishedAt: m.finished_at ? instantOf(m.finished_at) : null,
                attempts: m.attempts_recorded,
              })),
            });
            return {
              row,
              deemedNotifiedAt: deemed,
              statement: { name: CONSTANCIA_STATEMENT_NAME, text },
              input: {
                kind: "constancia_cuarto_dia",
                parties: { rfc: row.rfc, actorRfc: INSTITUTO_RFC, capacity: "sistema" },
                eventAt: deemed,
                countsAt: deemed,
                rule: "cuarto_dia",
                calendarVersion: calendar.version,
                rulesVersion: RULES_VERSION,
                documents: [
                  ...documentsOf(row),
                  statementDocument(CONSTANCIA_STATEMENT_NAME, text),
                ],
              },
              event: {
                at: deemed,
                recordedAt: at,
                data: {
                  avisoAt: formatInstant(instantOf(row.aviso_at)),
                  openBy: term.openBy.toString(),
                  fourthBusinessDay: term.fourthBusinessDay.toString(),
                  notifiedAt: formatInstant(deemed),
                  calendarAuthority: calendar.authority,
                  calendarVersion: calendar.version,
                  rulesVersion: RULES_VERSION,
                  aperturaAutenticada: false,
                },
              },
            };
          },
          // Projected with the same dates: no opening before the fourth day at 09:30.
          (p) => p.notifiedBy === "ministerio_de_ley" && p.openedAt === null,
        );
      },
      at,
    );
  }

  /**
   * The second aviso, on the last day to open (issue 11 §2): to every means validated now, held
   * until 09:30 of that day, while the act is unopened. Only acts whose aviso date puts `now`
   * between that 09:30 and the fourth day's are read: a run that missed the day sends nothing
   * (the act is notified by then). One transaction per batch, each act under its lock.
   */
  async function sendSegundosAvisos(): Promise<SweepReport> {
    const at = now();
    const calendar = await options.calendar();
    const terms = termsOn(calendar);
    const from = midnight(firstDateNotReached(terms, (t) => t.deemedNotifiedAt, at));
    const until = midnight(firstDateNotReached(terms, (t) => t.secondAvisoAt, at));
    if (from >= until) return { done: 0, settled: 0, retry: 0 };
    const base = options.publicUrl.replace(/\/$/, "");
    return walk(
      "segundo_aviso",
      {
        from,
        until,
        settledBy: ["segundo_aviso", "abierta", "cancelada", "constancia_cuarto_dia"],
      },
      (rows) =>
        db.transaction().execute(async (tx) => {
          const outcomes: ("done" | "settled" | "retry")[] = [];
          for (const row of rows) {
            const term = termOfAct(terms, row);
            if (
              Temporal.Instant.compare(term.secondAvisoAt, at) > 0 ||
              Temporal.Instant.compare(term.deemedNotifiedAt, at) <= 0
            ) {
              outcomes.push("settled");
              continue;
            }
            try {
              await decide(tx, row, "segundo_aviso", term.deemedNotifiedAt, at);
            } catch (error) {
              if (!(error instanceof SweepSkip)) throw error;
              outcomes.push(error.outcome);
              continue;
            }
            const scopes = row.registro_patronal ? [RFC_SCOPE, row.registro_patronal] : [RFC_SCOPE];
            const means = dedupe(await validatedMeansOf(tx, row.rfc, scopes));
            const destinatario = row.registro_patronal
              ? `el registro patronal ${row.registro_patronal} del RFC ${row.rfc}`
              : `el RFC ${row.rfc}`;
            const data = {
              destinatario,
              acto: catalogue.find(row.act_type)?.name ?? row.act_type,
              oficio: row.oficio,
              unidad: row.issuing_unit,
              disponible: spanishInstant(instantOf(row.aviso_at)),
              abrirHasta: spanishDate(term.openBy),
              abrirHastaCorto: shortDate(term.openBy),
              notificadaEl: spanishInstant(term.deemedNotifiedAt),
              enlace: `${base}${notificacionPath(row.id)}`,
              // For the delivery rule (aviso-window.ts): never sent after this day.
              ultimoDia: term.openBy.toString(),
            };
            const messages: OutboxMessage[] = means.map((m) => ({
              key: `notificacion:${row.id}:segundo-aviso:${m.id}`,
              channel: m.kind === "correo" ? "correo" : "sms",
              to: m.value,
              template: SEGUNDO_AVISO_TEMPLATE,
              data,
              rfc: row.rfc,
              notBefore: dateOf(term.secondAvisoAt),
            }));
            await enqueueMany(tx, messages, at);
            await appendNotificacionEvent(tx, {
              notificacionId: row.id,
              type: "segundo_aviso",
              at: Temporal.Instant.compare(term.secondAvisoAt, at) >= 0 ? term.secondAvisoAt : at,
              recordedAt: at,
              data: { openBy: term.openBy.toString(), means: means.map((m) => m.id) },
            });
            outcomes.push("done");
          }
          return outcomes;
        }),
      at,
    );
  }

  /**
   * The aviso's evidence (issue 11 §3): addressee, the instant made available, each address with
   * its delivery attempts (masked unless `full`, as in the evidence ZIP), the three-day term
   * from the engine, and the acuse once sealed. Undefined for an unknown act. A cancelled act's
   * states no term (none runs, whenever it was cancelled): the cancellation and its effect
   * instead, as the sealed text of an aviso cancelled after its instant does.
   */
  async function avisoEvidence(
    id: string,
    { full = false }: { full?: boolean } = {},
  ): Promise<AvisoEvidence | undefined> {
    const row = await notificacionById(db, id);
    if (!row) return undefined;
    const calendar = await options.calendar();
    const availableAt = instantOf(row.aviso_at);
    const events = (await eventsOf(db, [id])).get(id) ?? [];
    const avisoIndex = events.findIndex((e) => e.type === "aviso_emitido");
    const folio = events[avisoIndex]?.acuse_folio ?? null;
    const cancelledIndex = events.findIndex((e) => e.type === "cancelada");
    const cancelled = events[cancelledIndex];
    const acuse = folio ? await evidence.acuseByFolio(folio) : undefined;
    const { messages, attempts } = await avisoMessagesOf(db, row);
    const published = events.find((e) => e.type === "publicada_en_estrados");
    const publication = published?.data as
      | { notifiedAt?: string; lastPublicationDay?: string }
      | null
      | undefined;
    return {
      format: AVISO_EVIDENCE_FORMAT,
      id: row.id,
      addressee: { rfc: row.rfc, registroPatronal: row.registro_patronal },
      act: {
        actType: row.act_type,
        actTypeName: catalogue.find(row.act_type)?.name ?? row.act_type,
        oficio: row.oficio,
        issuingUnit: row.issuing_unit,
        documentName: row.document_name,
        documentSha256: row.document_sha256,
      },
      availableAt: formatInstant(availableAt),
      // On estrados (CFF 139) no Buzón term runs: ten days of publication, notified the eleventh.
      term: cancelled || row.estrados ? null : termOf(calendar, availableAt),
      cancellation: cancelled
        ? cancellationOf(cancelled, availableAt, avisoIndex >= 0 && avisoIndex < cancelledIndex)
        : null,
      estradosPublication:
        published && publication?.notifiedAt && publication.lastPublicationDay
          ? {
              publishedAt: formatInstant(instantOf(published.at)),
              lastPublicationDay: publication.lastPublicationDay,
              notifiedAt: formatInstant(Temporal.Instant.from(publication.notifiedAt)),
              acuseFolio: published.acuse_folio,
            }
          : null,
      acuse: acuse
        ? {
            folio: acuse.folio,
            kind: acuse.kind,
            eventAt: formatInstant(acuse.eventAt),
            countsAt: formatInstant(acuse.countsAt),
            rule: acuse.rule,
            calendarVersion: acuse.calendarVersion,
            rulesVersion: acuse.rulesVersion,
            cadenaOriginal: acuse.cadenaOriginal,
            seal: acuse.seal,
            sealCertificateNumber: acuse.sealCertificateNumber,
          }
        : null,
      deliveries: deliveriesOf(messages, attempts, full),
    };
  }

  /** The three-day term the aviso states, from the engine on the calendar in force. */
  function termOf(calendar: BusinessCalendar, availableAt: Temporal.Instant) {
    const term = avisoTerm(calendar, toZonaCentro(availableAt).toPlainDate());
    return {
      openBy: term.openBy.toString(),
      deemedNotifiedAt: formatInstant(term.deemedNotifiedAt),
      calendarVersion: calendar.version,
      statement: termStatement(availableAt, term.openBy, term.deemedNotifiedAt),
    };
  }

  /** What the evidence states of a cancelled act instead of its term. */
  function cancellationOf(
    event: NotificacionEventRow,
    availableAt: Temporal.Instant,
    avisoSealedBefore: boolean,
  ): AvisoCancellation {
    const cancelledAt = instantOf(event.at);
    return {
      cancelledAt: formatInstant(cancelledAt),
      acuseFolio: event.acuse_folio,
      afterAviso: Temporal.Instant.compare(cancelledAt, availableAt) >= 0,
      effect: CANCELLATION_EFFECT,
      statement: cancellationStatement({
        availableAt,
        cancelledAt,
        cancellationFolio: event.acuse_folio,
        avisoSealedBefore,
      }),
    };
  }

  return {
    issueAvisos,
    sendSegundosAvisos,
    issueConstancias,
    /** Every sweep once, in the law's order (what the scheduler and the demo clock run). */
    async runAll(): Promise<{
      avisos: SweepReport;
      segundosAvisos: SweepReport;
      constancias: SweepReport;
    }> {
      const avisos = await issueAvisos();
      const segundosAvisos = await sendSegundosAvisos();
      const constancias = await issueConstancias();
      return { avisos, segundosAvisos, constancias };
    },
    avisoEvidence,
  };
}

export type NotificacionSweeps = ReturnType<typeof createNotificacionSweeps>;
