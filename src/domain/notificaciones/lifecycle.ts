/**
 * An electronic notification's life as a projection of its append-only events (Lineamientos
 * 7.2–7.8; CFF arts. 134-I, 135 y 139). Pure: the store replays an act's events through
 * {@link projectNotificacion}, and every use case asks {@link checkTransition} before it appends.
 *
 * The law, not a job, moves an act through time: it is available and its aviso counts at the
 * instant fixed when it was deposited (rule a), and it is notified at 09:30 of the fourth
 * business day if nobody opened it (7.5). So the projection advances those transitions by
 * itself when their instant is reached; the events the jobs append later (`aviso_emitido`,
 * `constancia_cuarto_dia`, `notificada_por_estrados`) are the evidence of what already happened
 * and carry its acuse, and are legal whenever they run — late, twice (the store keeps one), or
 * in two processes.
 *
 * The earliest event wins: an opening after the fourth day at 09:30 changes nothing (it is
 * recorded as `acceso_posterior`), and an opening before it makes the constancia illegal.
 */
import { CodedError } from "../errors.ts";

export const NOTIFICACION_STATES = [
  "depositada",
  "pendiente",
  "notificada",
  "cancelada",
  "estrados",
] as const;
export type NotificacionState = (typeof NOTIFICACION_STATES)[number];

export const NOTIFICACION_EVENT_TYPES = [
  /** The Institute deposited the signed act; data: { avisoAt, estrados }. */
  "depositada",
  /** The aviso's acuse was sealed (its instant is the deposit's avisoAt). */
  "aviso_emitido",
  /** The second aviso on the last day to open, if still unopened. */
  "segundo_aviso",
  /** Opened with the e.firma; data: { notifiedAt } (rule a may move it to 09:30). */
  "abierta",
  /** First access after the act was already notified: recorded, changes nothing. */
  "acceso_posterior",
  /**
   * The first download of the document, without the e.firma, after the act was notified by
   * law when nothing had accessed it yet (issue 11 §2): recorded once, changes nothing, no acuse.
   */
  "descarga_posterior",
  /** The automatic acuse of the fourth business day (7.5); `at` is 09:30 of that day. */
  "constancia_cuarto_dia",
  /** Withdrawn by the Institute before it was notified; a correction is a new act. */
  "cancelada",
  /** Published on the estrados electrónicos (CFF 139); data: { notifiedAt }. */
  "publicada_en_estrados",
  /** The eleventh day after publication: notified por estrados (CFF 139). */
  "notificada_por_estrados",
] as const;
export type NotificacionEventType = (typeof NOTIFICACION_EVENT_TYPES)[number];

/** How it came to be notified. The first two are `buzon plazos notificacion`'s values. */
export type NotifiedBy = "apertura" | "ministerio_de_ley" | "estrados";

export interface NotificacionEvent {
  type: NotificacionEventType;
  /** The legal instant of the event (for an opening, when it happened). */
  at: Temporal.Instant;
  acuseFolio?: string | null | undefined;
  /** For `abierta`: the instant the opening counts (rule a); for `depositada`: the flag. */
  notifiedAt?: Temporal.Instant | undefined;
  estrados?: boolean | undefined;
}

/** Instants the time engine computed for this act with the calendars in force. */
export interface NotificacionDates {
  /** When it is available to the addressee and the aviso counts (rule a, at deposit). */
  avisoAt: Temporal.Instant;
  /** 09:30 of the fourth business day after the aviso (7.5); null for acts on estrados. */
  deemedNotifiedAt: Temporal.Instant | null;
  /** The eleventh day after publication on the estrados (CFF 139); null until published. */
  estradosNotifiedAt?: Temporal.Instant | null | undefined;
}

export interface NotificacionProjection {
  state: NotificacionState;
  notifiedBy: NotifiedBy | null;
  notifiedAt: Temporal.Instant | null;
  /** When the addressee opened it with the e.firma, if they did before it was notified. */
  openedAt: Temporal.Instant | null;
  /** First access after it was notified otherwise (recorded, changes nothing). */
  accessedAfterAt: Temporal.Instant | null;
  /** First plain download after it was notified by law, before any signed access. */
  downloadedAfterAt: Temporal.Instant | null;
  cancelledAt: Temporal.Instant | null;
  /** Whether the addressee can see it: from the aviso's instant on, and never on estrados. */
  visibleToAddressee: boolean;
  /** Evidence already appended (so the jobs know what is left to do). */
  avisoIssued: boolean;
  secondAvisoSent: boolean;
  constanciaIssued: boolean;
  publishedOnEstrados: boolean;
  /**
   * An act on estrados is public from its aviso instant (the estrados page lists it and serves
   * its document), before the job seals its publication: from then on it cannot be cancelled.
   */
  publicOnEstrados: boolean;
}

export type NotificacionErrorCode = "illegal_transition" | "invalid_history";

export class NotificacionError extends CodedError<NotificacionErrorCode> {}

type Guard = (p: NotificacionProjection) => boolean;

interface Transition {
  to: NotificacionState | "same";
  /** When it must hold too; the refusal names why. */
  when?: Guard;
}

const byMinisterio: Guard = (p) => p.notifiedBy === "ministerio_de_ley" && !p.constanciaIssued;

/** Notified by law and nobody has accessed it since, signed or not. */
const unaccessedByMinisterio: Guard = (p) =>
  p.notifiedBy === "ministerio_de_ley" &&
  p.accessedAfterAt === null &&
  p.downloadedAfterAt === null;

/**
 * Every legal move; anything absent is refused. Time-driven moves (depositada → pendiente at
 * the aviso, pendiente → notificada at the fourth day, estrados → notificada on the eleventh)
 * happen in {@link advance}, before each event is applied.
 */
export const TRANSITIONS: Readonly<
  Record<NotificacionState, Partial<Record<NotificacionEventType, Transition>>>
> = {
  depositada: {
    cancelada: { to: "cancelada" },
  },
  pendiente: {
    aviso_emitido: { to: "same", when: (p) => !p.avisoIssued },
    segundo_aviso: { to: "same", when: (p) => !p.secondAvisoSent },
    abierta: { to: "notificada" },
    cancelada: { to: "cancelada" },
  },
  notificada: {
    // The jobs may run after the fourth day: the aviso's and the constancia's evidence of an
    // act notified by law are still due; never after an opening.
    aviso_emitido: { to: "same", when: (p) => !p.avisoIssued },
    constancia_cuarto_dia: { to: "same", when: byMinisterio },
    // A plain download before it does not take the signed access away (ADR 0014).
    acceso_posterior: { to: "same", when: (p) => p.accessedAfterAt === null },
    descarga_posterior: { to: "same", when: unaccessedByMinisterio },
    notificada_por_estrados: {
      to: "same",
      when: (p) => p.notifiedBy === "estrados" && p.publishedOnEstrados,
    },
  },
  estrados: {
    publicada_en_estrados: { to: "same", when: (p) => !p.publishedOnEstrados },
    cancelada: { to: "cancelada", when: (p) => !p.publishedOnEstrados && !p.publicOnEstrados },
  },
  cancelada: {
    // Cancelled after its aviso instant, before the job sealed the aviso: the act was made
    // available and its avisos went out, so the aviso's evidence is still due (sealed with its
    // own text, aviso-cancelado.ts); one cancelled before that instant was never available.
    aviso_emitido: { to: "same", when: (p) => p.visibleToAddressee && !p.avisoIssued },
  },
};

const REFUSALS: Partial<Record<NotificacionEventType, Partial<Record<NotificacionState, string>>>> =
  {
    cancelada: {
      notificada:
        "El acto ya está notificado y no puede cancelarse; para corregirlo emite un nuevo acto que lo sustituya.",
      cancelada: "El acto ya estaba cancelado.",
      estrados:
        "El acto ya está publicado en los estrados electrónicos y no puede cancelarse; emite un nuevo acto que lo sustituya.",
    },
    abierta: {
      depositada:
        "El documento aún no está disponible: se pone a disposición a las 09:30 del siguiente día hábil.",
      notificada: "El documento ya está notificado.",
      cancelada: "El Instituto canceló este acto; no hay documento que abrir.",
      estrados: "Este acto se notifica por estrados; no puede abrirse en el buzón.",
    },
  };

function refusal(state: NotificacionState, type: NotificacionEventType): NotificacionError {
  const detail =
    REFUSALS[type]?.[state] ??
    `No procede «${type.replaceAll("_", " ")}» para un acto en estado «${state}».`;
  return new NotificacionError("illegal_transition", detail, {
    internal: `transición ilegal: ${state} --${type}-->`,
  });
}

const initial = (): NotificacionProjection => ({
  state: "depositada",
  notifiedBy: null,
  notifiedAt: null,
  openedAt: null,
  accessedAfterAt: null,
  downloadedAfterAt: null,
  cancelledAt: null,
  visibleToAddressee: false,
  avisoIssued: false,
  secondAvisoSent: false,
  constanciaIssued: false,
  publishedOnEstrados: false,
  publicOnEstrados: false,
});

const reached = (at: Temporal.Instant, instant: Temporal.Instant | null | undefined) =>
  instant != null && Temporal.Instant.compare(at, instant) >= 0;

/** The moves the law makes by itself up to `at`. */
function advance(
  p: NotificacionProjection,
  dates: NotificacionDates,
  at: Temporal.Instant,
): NotificacionProjection {
  let next = p;
  if (next.state === "depositada" && reached(at, dates.avisoAt)) {
    next = { ...next, state: "pendiente", visibleToAddressee: true };
  }
  if (next.state === "estrados" && !next.publicOnEstrados && reached(at, dates.avisoAt)) {
    next = { ...next, publicOnEstrados: true };
  }
  if (next.state === "pendiente" && reached(at, dates.deemedNotifiedAt)) {
    next = {
      ...next,
      state: "notificada",
      notifiedBy: "ministerio_de_ley",
      notifiedAt: dates.deemedNotifiedAt,
    };
  }
  if (
    next.state === "estrados" &&
    next.publishedOnEstrados &&
    reached(at, dates.estradosNotifiedAt)
  ) {
    next = {
      ...next,
      state: "notificada",
      notifiedBy: "estrados",
      notifiedAt: dates.estradosNotifiedAt ?? null,
    };
  }
  return next;
}

/**
 * Refuses `type` at `at` for an act whose projection (at that instant) is `p`; answers the
 * projection after it. The use cases call it under the act's lock before appending.
 */
export function applyEvent(
  p: NotificacionProjection,
  event: NotificacionEvent,
): NotificacionProjection {
  const transition = TRANSITIONS[p.state][event.type];
  if (!transition || (transition.when && !transition.when(p))) throw refusal(p.state, event.type);
  const to = transition.to === "same" ? p.state : transition.to;
  const next: NotificacionProjection = { ...p, state: to };
  switch (event.type) {
    case "aviso_emitido":
      return { ...next, avisoIssued: true };
    case "segundo_aviso":
      return { ...next, secondAvisoSent: true };
    case "abierta":
      return {
        ...next,
        notifiedBy: "apertura",
        openedAt: event.at,
        notifiedAt: event.notifiedAt ?? event.at,
      };
    case "acceso_posterior":
      return { ...next, accessedAfterAt: event.at };
    case "descarga_posterior":
      return { ...next, downloadedAfterAt: event.at };
    case "constancia_cuarto_dia":
      return { ...next, constanciaIssued: true };
    case "cancelada":
      return { ...next, cancelledAt: event.at, visibleToAddressee: p.visibleToAddressee };
    case "publicada_en_estrados":
      return { ...next, publishedOnEstrados: true };
    default:
      return next;
  }
}

/** The state `p` (projected at `at`) would be in, for a caller that only reads. */
export function checkTransition(p: NotificacionProjection, type: NotificacionEventType): void {
  const transition = TRANSITIONS[p.state][type];
  if (!transition || (transition.when && !transition.when(p))) throw refusal(p.state, type);
}

/**
 * Replays the act's events (in the order they were appended) and advances to `now`. The first
 * event must be `depositada`; a history the table refuses is corrupt, not a user's mistake.
 */
export function projectNotificacion(
  events: readonly NotificacionEvent[],
  dates: NotificacionDates,
  now: Temporal.Instant,
): NotificacionProjection {
  const [first, ...rest] = events;
  if (first?.type !== "depositada") {
    throw new NotificacionError(
      "invalid_history",
      "La historia del acto no empieza con su depósito.",
    );
  }
  const frozen = sealedDates(rest, dates);
  let p: NotificacionProjection = first.estrados ? { ...initial(), state: "estrados" } : initial();
  for (const event of rest) {
    p = advance(p, frozen, event.at);
    try {
      p = applyEvent(p, event);
    } catch (cause) {
      // A second aviso sent while the act was pending, before a later calendar moved the fourth
      // day earlier: evidence of what happened, never a reason to refuse the history.
      if (event.type === "segundo_aviso" && p.state === "notificada" && !p.secondAvisoSent) {
        p = { ...p, secondAvisoSent: true };
        continue;
      }
      throw new NotificacionError("invalid_history", "La historia del acto no es coherente.", {
        internal: `evento ${event.type} en ${event.at}: ${(cause as Error).message}`,
        cause,
      });
    }
  }
  return advance(p, frozen, now);
}

/**
 * The dates the evidence already sealed govern over a recomputation (issue 11 review): the
 * engine computes the fourth day with the calendar in force now, and a day declared
 * non-business after an act was notified must not un-notify it. So the constancia's instant
 * (or the one an `acceso_posterior` or `descarga_posterior` recorded) is the notification by
 * ministerio de ley; an
 * `abierta` or a `cancelada` proves the act was still pending when it happened, whatever the
 * fourth day computes to now; `notificada_por_estrados` carries the eleventh day it sealed.
 */
function sealedDates(
  events: readonly NotificacionEvent[],
  dates: NotificacionDates,
): NotificacionDates {
  const sealed = (type: NotificacionEventType) => {
    const event = events.find((e) => e.type === type);
    return event ? (event.notifiedAt ?? event.at) : undefined;
  };
  const constancia = sealed("constancia_cuarto_dia");
  const accessed =
    events.find((e) => e.type === "acceso_posterior")?.notifiedAt ??
    events.find((e) => e.type === "descarga_posterior")?.notifiedAt;
  // An opening or a cancellation (only allowed while pending) proves the act was not yet
  // notified by law when it happened.
  const settled = events.some((e) => e.type === "abierta" || e.type === "cancelada");
  const estrados = sealed("notificada_por_estrados");
  const deemed = constancia ?? accessed ?? (settled ? null : dates.deemedNotifiedAt);
  return {
    ...dates,
    deemedNotifiedAt: deemed,
    estradosNotifiedAt: estrados ?? dates.estradosNotifiedAt,
  };
}

/**
 * What an opening with the e.firma at `at` records: `abierta` while the act waits to be
 * opened, `acceso_posterior` the first time after it was notified otherwise (7.5: the
 * earliest event wins), nothing after that (later reads are not events).
 */
export function openingEventFor(
  p: NotificacionProjection,
): "abierta" | "acceso_posterior" | undefined {
  if (p.state === "pendiente") return "abierta";
  if (p.state === "notificada" && p.notifiedBy !== "apertura" && p.accessedAfterAt === null) {
    return "acceso_posterior";
  }
  if (p.state === "notificada") return undefined;
  throw refusal(p.state, "abierta");
}

/**
 * Whether a plain download of the document at the projection's instant is the first access
 * after the act was notified by law, to be recorded as `descarga_posterior` (issue 11 §2: the
 * first access after the deemed date is recorded and changes nothing). Not after an opening
 * (that opening was the access), nor once an access was recorded, signed or not.
 */
export function downloadRecordsAccess(p: NotificacionProjection): boolean {
  return p.state === "notificada" && unaccessedByMinisterio(p);
}
