import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { internalError } from "../../domain/errors.ts";
import { openingAfterTerm } from "../../domain/notificaciones/apertura.ts";
import type { ActCatalogue, ActType } from "../../domain/notificaciones/catalogo.ts";
import {
  type NotificacionDates,
  type NotificacionEvent,
  type NotificacionProjection,
  projectNotificacion,
} from "../../domain/notificaciones/lifecycle.ts";
import { businessDaysLeftToOpen } from "../../domain/plazos/days-left.ts";
import { notificationInstant } from "../../domain/plazos/horario.ts";
import { computeNotificacion, type NotificacionResult } from "../../domain/plazos/notificacion.ts";
import { type ExplanationStep, RULES_VERSION } from "../../domain/plazos/rules.ts";
import { formatInstant, zonaCentroDateString } from "../../domain/time/zona-centro.ts";
import type {
  ActItem,
  NotificacionDetail,
  NotificacionItem,
  StaffDetail,
  StaffItem,
  StaffTimelineEntry,
} from "./schemas.ts";
import type { NotificacionEventRow, NotificacionSummaryRow } from "./store.ts";

/** What the dates of an act are computed with: the calendars in force, and the instant. */
export interface ViewContext {
  imss: BusinessCalendar;
  tfja: BusinessCalendar;
  catalogue: ActCatalogue;
  now: Temporal.Instant;
}

const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

function instantIn(data: unknown, key: string): Temporal.Instant | undefined {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === "string" ? Temporal.Instant.from(value) : undefined;
}

/** Stored events as the lifecycle reads them. */
export function lifecycleEvents(rows: readonly NotificacionEventRow[]): NotificacionEvent[] {
  return rows.map((row) => ({
    type: row.type as NotificacionEvent["type"],
    at: instantOf(row.at),
    acuseFolio: row.acuse_folio,
    notifiedAt: instantIn(row.data, "notifiedAt"),
    estrados: (row.data as { estrados?: unknown } | null)?.estrados === true,
  }));
}

/**
 * An act's events as both timelines give them, the particular's and the staff's (API and page
 * alike): by their legal instant, those at the same instant in the order they were written (the
 * order eventsOf reads; the sort is stable). Write order alone is not the law's: the aviso's
 * acuse of an act cancelled before the sweep sealed it is written after the cancellation, but
 * its instant (10:00) comes before the cancellation's (12:00). The lifecycle still replays the
 * write order (lifecycleEvents).
 */
export function inLegalOrder<E extends { at: Date }>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The notification the act's evidence sealed (constancia, opening or later access), when it
 * differs from what the engine recomputes now; undefined while nothing sealed it.
 */
function sealedOf(
  events: readonly NotificacionEventRow[],
  projection: NotificacionProjection,
): NonNullable<Parameters<typeof computeNotificacion>[1]["sealed"]> | undefined {
  if (projection.notifiedAt === null || projection.notifiedBy === "estrados") return undefined;
  const evidence = events.find((e) =>
    ["constancia_cuarto_dia", "abierta", "acceso_posterior", "descarga_posterior"].includes(e.type),
  );
  if (!evidence) return undefined;
  const data = evidence.data as Record<string, unknown> | null;
  const openBy = typeof data?.openBy === "string" ? data.openBy : undefined;
  const version = typeof data?.calendarVersion === "string" ? data.calendarVersion : undefined;
  return {
    notifiedAt: projection.notifiedAt,
    notifiedBy:
      data?.notifiedBy === "apertura" || data?.notifiedBy === "ministerio_de_ley"
        ? data.notifiedBy
        : projection.notifiedBy === "apertura"
          ? "apertura"
          : "ministerio_de_ley",
    openBy: openBy ? Temporal.PlainDate.from(openBy) : undefined,
    calendarVersion: version,
  };
}

/** Everything known of one act at `ctx.now`: its projection and the engine's dates. */
export interface ActView<R extends NotificacionSummaryRow = NotificacionSummaryRow> {
  row: R;
  actType: ActType;
  projection: NotificacionProjection;
  /** The engine's clock of the act, once its aviso counts and unless it went to estrados. */
  computed: NotificacionResult | null;
  /**
   * Business days left to open at `ctx.now` on the calendar in force (the one of `openBy`), while
   * the act is pending; null otherwise.
   */
  businessDaysLeft: number | null;
  /**
   * While pending, why an opening at `ctx.now` is refused (the fourth business day before
   * 09:30: ADR 0002, `openingAfterTerm`); null when it would notify, and in any other state.
   */
  openingRefusal: string | null;
  /**
   * How the aviso's instant came from the deposit (rule a, the engine's `notificationInstant`),
   * for the detail alone (`full`), when the calendar in force gives the stored instant; null
   * otherwise and for an act on estrados.
   */
  avisoStep: ExplanationStep | null;
}

/**
 * The engine's clock of an unopened act, shared by every act whose aviso falls on the same Zona
 * Centro date: without an opening, openBy, the 4th day, the notification, its effect and the
 * terms depend on the aviso's date alone (rules b, d, e), and calendar versions never change.
 * Only the list reads it (its items never show the aviso's own text, explanation or warnings);
 * «Mis notificaciones» with thousands of acts computes a handful of clocks, not thousands.
 */
const CLOCKS = new Map<string, NotificacionResult>();
const MAX_CLOCKS = 20_000;

function sharedClock(
  ctx: ViewContext,
  avisoAt: Temporal.Instant,
  sinMediosDeDefensa: boolean,
): NotificacionResult {
  const key = [
    ctx.imss.authority,
    ctx.imss.version,
    ctx.tfja.authority,
    ctx.tfja.version,
    sinMediosDeDefensa,
    zonaCentroDateString(avisoAt),
  ].join("|");
  let clock = CLOCKS.get(key);
  if (!clock) {
    if (CLOCKS.size >= MAX_CLOCKS) CLOCKS.clear();
    clock = computeNotificacion(ctx.imss, { avisoAt, tfja: ctx.tfja, sinMediosDeDefensa });
    CLOCKS.set(key, clock);
  }
  return clock;
}

/**
 * The business days left to open of a pending act, shared by every act whose aviso falls on the
 * same Zona Centro date, asked on the same date: the count depends on those two dates and the
 * calendar version alone. Pending acts have avisos of the last few business days, so a list asks
 * a handful of counts however many acts it shows.
 */
const DAYS_LEFT = new Map<string, number>();

function sharedDaysLeft(ctx: ViewContext, avisoAt: Temporal.Instant): number {
  const key = [
    ctx.imss.authority,
    ctx.imss.version,
    zonaCentroDateString(avisoAt),
    zonaCentroDateString(ctx.now),
  ].join("|");
  let days = DAYS_LEFT.get(key);
  if (days === undefined) {
    if (DAYS_LEFT.size >= MAX_CLOCKS) DAYS_LEFT.clear();
    days = businessDaysLeftToOpen(ctx.imss, avisoAt, ctx.now);
    DAYS_LEFT.set(key, days);
  }
  return days;
}

/**
 * The refusal of an opening at `ctx.now` of a pending act, shared by every act with the same
 * fourth day asked at the same instant (a list asks it once per aviso date, not once per act).
 */
const REFUSALS = new Map<string, string | null>();

function sharedOpeningRefusal(ctx: ViewContext, clock: NotificacionResult): string | null {
  const key = [
    ctx.imss.authority,
    ctx.imss.version,
    clock.openBy,
    clock.deemedNotifiedAt,
    ctx.now.toString(),
  ].join("|");
  let refusal = REFUSALS.get(key);
  if (refusal === undefined) {
    if (REFUSALS.size >= MAX_CLOCKS) REFUSALS.clear();
    refusal = openingAfterTerm(ctx.imss, clock, ctx.now) ?? null;
    REFUSALS.set(key, refusal);
  }
  return refusal;
}

/**
 * Projects an act (lifecycle.ts) with the dates the time engine gives on the calendars in force
 * (computeNotificacion): the aviso is the instant fixed at deposit; an opening, if any, is the
 * `abierta` event's instant, which the engine adjusts by rule a. `full` computes the act's own
 * clock, with the explanation and warnings of its exact aviso (the detail); otherwise the
 * shared clock of its aviso's date serves (the lists).
 */
export function viewOf<R extends NotificacionSummaryRow>(
  row: R,
  events: readonly NotificacionEventRow[],
  ctx: ViewContext,
  full = false,
): ActView<R> {
  const actType = ctx.catalogue.find(row.act_type);
  if (!actType) {
    // The catalogue only grows: an act deposited with a type is always in it.
    throw internalError(`tipo de acto ${row.act_type} del acto ${row.id} ausente del catálogo`);
  }
  const avisoAt = instantOf(row.aviso_at);
  const sinMediosDeDefensa = !actType.senalaMediosDeDefensa;
  const lifecycle = lifecycleEvents(events);
  const base = row.estrados
    ? null
    : full
      ? computeNotificacion(ctx.imss, { avisoAt, tfja: ctx.tfja, sinMediosDeDefensa })
      : sharedClock(ctx, avisoAt, sinMediosDeDefensa);
  const published = lifecycle.find((e) => e.type === "publicada_en_estrados");
  const dates: NotificacionDates = {
    avisoAt,
    deemedNotifiedAt: base ? Temporal.Instant.from(base.deemedNotifiedAt) : null,
    estradosNotifiedAt: published?.notifiedAt ?? null,
  };
  const projection = projectNotificacion(lifecycle, dates, ctx.now);
  let computed = base;
  const sealed = sealedOf(events, projection);
  const moved = sealed && base && !sealed.notifiedAt.equals(Temporal.Instant.from(base.notifiedAt));
  if (base && (projection.openedAt || moved)) {
    // Once notified, the dates are frozen: the evidence's instant governs and the terms count
    // from it (docs/notificaciones.md, «Calendarios posteriores»).
    computed = computeNotificacion(ctx.imss, {
      avisoAt,
      openedAt: projection.openedAt ?? undefined,
      tfja: ctx.tfja,
      sinMediosDeDefensa,
      sealed,
    });
  }
  const pending = base && projection.state === "pendiente";
  const businessDaysLeft = pending ? sharedDaysLeft(ctx, avisoAt) : null;
  const openingRefusal = pending ? sharedOpeningRefusal(ctx, base) : null;
  const avisoStep =
    full && !row.estrados ? avisoStepOf(ctx.imss, instantOf(row.deposited_at), avisoAt) : null;
  return { row, actType, projection, computed, businessDaysLeft, openingRefusal, avisoStep };
}

/**
 * Rule a as the deposit applied it (deposit.ts): an act deposited outside 09:30–18:00 of a
 * business day has its aviso at 09:30 of the next one. The engine's own step, so the detail's
 * aviso says why; none when the calendar in force would give another instant than the stored
 * one (a day declared non-business after the deposit), rather than explain a date it did not give.
 */
function avisoStepOf(
  calendar: BusinessCalendar,
  depositedAt: Temporal.Instant,
  avisoAt: Temporal.Instant,
): ExplanationStep | null {
  const rule = notificationInstant(calendar, depositedAt);
  return rule.instant.equals(avisoAt) ? rule.step : null;
}

/**
 * The §6 fields: null where not yet known. Before the aviso counts, only the deposit and the
 * aviso instant; while pending, the last day to open and the 4th day; once notified, the
 * engine's notification, effect and terms to challenge. A cancelled act keeps only its deposit
 * and aviso; an act on estrados has no Buzón dates (the estrados' own come with CFF 139).
 */
function actItemOf(view: ActView): ActItem {
  const { row, actType, projection, computed } = view;
  const item: ActItem = {
    id: row.id,
    actType: row.act_type,
    actTypeName: actType.name,
    oficio: row.oficio,
    issuingUnit: row.issuing_unit,
    documentName: row.document_name,
    registroPatronal: row.registro_patronal,
    state: projection.state,
    depositedAt: formatInstant(instantOf(row.deposited_at)),
    avisoAt: formatInstant(instantOf(row.aviso_at)),
    openBy: null,
    businessDaysLeft: null,
    deemedNotifiedAt: null,
    notifiedAt: null,
    notifiedBy: null,
    effectiveOn: null,
    recursoInconformidadBy: null,
    juicioNulidadBy: null,
    recurrible: actType.recurrible,
    sinMediosDeDefensa: !actType.senalaMediosDeDefensa,
    calendarVersion: null,
    juicioNulidadCalendar: null,
    rulesVersion: RULES_VERSION,
  };
  if (projection.state === "notificada" && projection.notifiedBy === "estrados") {
    item.notifiedBy = "estrados";
    item.notifiedAt = projection.notifiedAt ? formatInstant(projection.notifiedAt) : null;
    return item;
  }
  if (!computed || projection.state === "depositada" || projection.state === "cancelada") {
    return item;
  }
  item.openBy = computed.openBy;
  item.deemedNotifiedAt = computed.deemedNotifiedAt;
  item.calendarVersion = computed.calendarVersion;
  item.rulesVersion = computed.rulesVersion;
  if (projection.state === "pendiente") item.businessDaysLeft = view.businessDaysLeft;
  if (projection.state === "notificada") {
    item.notifiedAt = computed.notifiedAt;
    item.notifiedBy = computed.notifiedBy;
    item.effectiveOn = computed.effectiveOn;
    item.recursoInconformidadBy = computed.recursoInconformidadBy;
    item.juicioNulidadBy = computed.juicioNulidadBy;
    item.juicioNulidadCalendar = computed.juicioNulidadCalendar;
  }
  return item;
}

/**
 * The particular's item: the act's fields and whether an opening now would be accepted and
 * notify — pending and not on the fourth business day before 09:30 (ADR 0002), when the refusal
 * the challenge would give says why.
 */
export function itemOf(view: ActView): NotificacionItem {
  return {
    ...actItemOf(view),
    openable: view.projection.state === "pendiente" && view.openingRefusal === null,
    openingRefusal: view.openingRefusal,
  };
}

/** The detail: the item, the timeline and the engine's explanation and warnings. */
export function detailOf(
  view: ActView,
  events: readonly NotificacionEventRow[],
): NotificacionDetail {
  const item = itemOf(view);
  const shown = item.openBy !== null ? view.computed : null;
  return {
    ...item,
    documentSha256: view.row.document_sha256,
    documentBytes: view.row.document_bytes,
    timeline: inLegalOrder(events).map((e) => ({
      event: e.type,
      at: formatInstant(instantOf(e.at)),
      ...(e.acuse_folio ? { acuse: e.acuse_folio } : {}),
    })),
    // The aviso's own step first: it is the date every other one counts from.
    explanation: [...(view.avisoStep ? [view.avisoStep] : []), ...(shown?.explanation ?? [])],
    warnings: shown?.warnings ?? [],
    availableUntil: item.notifiedAt !== null ? (shown?.availableUntil ?? null) : null,
  };
}

/** The staff follow-up item: the act's fields (not whether it can be opened now) plus who and how. */
export function staffItemOf(view: ActView): StaffItem {
  return {
    ...actItemOf(view),
    rfc: view.row.rfc,
    signerRfc: view.row.signer_rfc,
    depositedBy: view.row.deposited_by,
    estrados: view.row.estrados,
    replaces: view.row.replaces_id,
  };
}

/** Who opened, accessed or downloaded: the titular or their legal representative. */
const CAPACITIES = new Set(["titular", "representante_legal"]);

/**
 * One event as the staff follow it: what, when, its acuse, who, and only the data the staff's
 * page says (the capacity of an opening, when it counts, a cancellation's motive). The rest of
 * an event's data (the signed text, certificate and session of an opening) goes only in the
 * evidence package.
 */
function staffEventOf(event: NotificacionEventRow): StaffTimelineEntry {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const capacity = data.capacity;
  const countsAt = event.type === "abierta" ? instantIn(data, "notifiedAt") : undefined;
  return {
    event: event.type,
    at: formatInstant(instantOf(event.at)),
    ...(event.acuse_folio ? { acuse: event.acuse_folio } : {}),
    ...(event.actor_rfc ? { actorRfc: event.actor_rfc } : {}),
    ...(typeof capacity === "string" && CAPACITIES.has(capacity)
      ? { capacity: capacity as "titular" | "representante_legal" }
      : {}),
    ...(countsAt ? { countsAt: formatInstant(countsAt) } : {}),
    ...(event.type === "cancelada" && typeof data.motivo === "string"
      ? { motivo: data.motivo }
      : {}),
  };
}

/** The staff's follow-up of one act: its item and every event, in legal order (inLegalOrder). */
export function staffDetailOf(view: ActView, events: readonly NotificacionEventRow[]): StaffDetail {
  return { ...staffItemOf(view), timeline: inLegalOrder(events).map(staffEventOf) };
}
