import { Buffer } from "node:buffer";
import type { BusinessCalendar } from "../../domain/calendar/calendar.ts";
import { AppError, CodedError } from "../../domain/errors.ts";
import type { ActCatalogue } from "../../domain/notificaciones/catalogo.ts";
import {
  EstradosError,
  estradosStatus,
  INSTITUTE_RFC,
  LISTED_DAYS_AFTER_NOTIFICATION,
  listedUntil,
  maskRfc,
  publicationEndsAt,
} from "../../domain/notificaciones/estrados.ts";
import {
  checkTransition,
  NotificacionError,
  type NotificacionEventType,
  projectNotificacion,
} from "../../domain/notificaciones/lifecycle.ts";
import { computeEstrados, type EstradosResult } from "../../domain/plazos/estrados.ts";
import { formatInstant, spanishDate, toZonaCentro } from "../../domain/time/zona-centro.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/schema.ts";
import { type CalendarService, TFJA } from "../calendario/service.ts";
import type { EvidenceService } from "../evidence/service.ts";
import {
  appendNotificacionEvent,
  eventsOf,
  type NotificacionRow,
} from "../notificaciones/store.ts";
import { lifecycleEvents } from "../notificaciones/views.ts";
import type { EstradosDetail, EstradosItem, EstradosList, EstradosPlace } from "./schemas.ts";
import {
  dueForPublication,
  dueForRetiro,
  type EstradosKeyset,
  estradosActOf,
  insertPublicacion,
  type ListedAct,
  listPublished,
  lockAct,
  type PublicacionRow,
} from "./store.ts";

export interface EstradosServiceOptions {
  db: Db;
  clock: Clock;
  evidence: EvidenceService;
  calendars: CalendarService;
  catalogue: ActCatalogue;
  blobs: BlobStore;
}

/** How far back the listing looks for publications (ten business days and the listed days fit). */
const SCAN_DAYS = 120;
/** Acts a job run seals per query. */
const BATCH = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
const toDate = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);

/** The act needs nothing more from this job (another run or process did it, or it was cancelled). */
class AlreadyHandled extends CodedError<"already_handled"> {}

function notFound(): AppError {
  return new AppError(
    "not_found",
    "No hay un acto con ese identificador en los estrados electrónicos.",
  );
}

export function encodeEstradosCursor(key: EstradosKeyset): string {
  return Buffer.from(`${key.publishedAt.toISOString()}|${key.id}`, "utf8").toString("base64url");
}

export function decodeEstradosCursor(cursor: string | undefined): EstradosKeyset | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = at ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id || !UUID.test(id)) {
    const detail = "El cursor de paginación no es válido: usa el que devolvió la página anterior.";
    throw new AppError("validation", detail, {
      errors: [{ pointer: "querystring:/despues", detail }],
    });
  }
  return { publishedAt: date, id };
}

/**
 * The estrados electrónicos (CFF art. 139; Lineamientos 7.8; LSS art. 286-M; issue 11 §4): the
 * jobs that seal each act's publication and its end, the public listing and the document while
 * it is published. The dates are the time engine's (computeEstrados), fixed at publication
 * with the calendar versions that gave them.
 */
export function createEstradosService(options: EstradosServiceOptions) {
  const { db, evidence, calendars, catalogue, blobs } = options;
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });

  const sinMediosOf = (act: NotificacionRow) =>
    catalogue.find(act.act_type)?.senalaMediosDeDefensa === false;

  /** The act's lifecycle at `at`, read inside the acuse's transaction under the act's lock. */
  async function checkUnderLock(
    tx: Db,
    act: NotificacionRow,
    type: NotificacionEventType,
    estradosNotifiedAt: Temporal.Instant | null,
    at: Temporal.Instant,
  ): Promise<void> {
    await lockAct(tx, act.id);
    const events = (await eventsOf(tx, [act.id])).get(act.id) ?? [];
    const projection = projectNotificacion(
      lifecycleEvents(events),
      { avisoAt: instantOf(act.aviso_at), deemedNotifiedAt: null, estradosNotifiedAt },
      at,
    );
    try {
      checkTransition(projection, type);
    } catch (error) {
      if (!(error instanceof NotificacionError)) throw error;
      throw new AlreadyHandled("already_handled", error.detail, { cause: error });
    }
  }

  /**
   * Seals the publication of one act at its aviso instant (rule a, fixed at deposit), with the
   * engine's dates; the publication row and the `publicada_en_estrados` event are written in
   * the acuse's own transaction. Answers false when another run had already done it.
   */
  async function publishOne(
    act: NotificacionRow,
    imss: BusinessCalendar,
    tfja: BusinessCalendar,
    at: Temporal.Instant,
  ): Promise<boolean> {
    const publishedAt = instantOf(act.aviso_at);
    const dates = computeEstrados(imss, publishedAt, {
      tfja,
      sinMediosDeDefensa: sinMediosOf(act),
    });
    const notifiedAt = Temporal.Instant.from(dates.notifiedAt);
    const endsAt = publicationEndsAt(Temporal.PlainDate.from(dates.lastPublicationDay));
    try {
      await evidence.issueAcuse(
        {
          kind: "publicacion_estrados",
          parties: { rfc: act.rfc, actorRfc: INSTITUTE_RFC, capacity: "sistema" },
          eventAt: publishedAt,
          countsAt: publishedAt,
          rule: "estrados",
          calendarVersion: imss.version,
          rulesVersion: dates.rulesVersion,
          documents: [
            { name: act.document_name, sha256: act.document_sha256, bytes: act.document_bytes },
          ],
        },
        {
          record: async (tx, sealed) => {
            await checkUnderLock(tx, act, "publicada_en_estrados", null, at);
            const inserted = await insertPublicacion(tx, {
              notificacion_id: act.id,
              published_at: act.aviso_at,
              first_publication_day: dates.publicationDays[0]!,
              last_publication_day: dates.lastPublicationDay,
              publication_ends_at: toDate(endsAt),
              notified_on: dates.notifiedOn,
              notified_at: toDate(notifiedAt),
              effective_on: dates.effectiveOn,
              calendar_version: imss.version,
              tfja_calendar_version: tfja.version,
              rules_version: dates.rulesVersion,
              acuse_folio: sealed.folio,
              recorded_at: toDate(at),
            });
            const appended =
              inserted &&
              (await appendNotificacionEvent(tx, {
                notificacionId: act.id,
                type: "publicada_en_estrados",
                at: publishedAt,
                recordedAt: at,
                acuseFolio: sealed.folio,
                actorRfc: INSTITUTE_RFC,
                data: {
                  notifiedAt: dates.notifiedAt,
                  lastPublicationDay: dates.lastPublicationDay,
                  notifiedOn: dates.notifiedOn,
                  calendarVersion: imss.version,
                },
              }));
            if (!appended) {
              throw new AlreadyHandled("already_handled", "El acto ya estaba publicado.");
            }
          },
        },
      );
      return true;
    } catch (error) {
      if (error instanceof AlreadyHandled) return false;
      throw error;
    }
  }

  /**
   * Seals the end of a publication on the eleventh day (CFF 139): the event is the end of the
   * tenth day (00:00 after it), and it counts at the notification instant, 00:00 of the eleventh
   * business day; `notificada_por_estrados` in the same transaction.
   */
  async function retireOne(
    act: NotificacionRow,
    publicacion: PublicacionRow,
    at: Temporal.Instant,
  ): Promise<boolean> {
    const notifiedAt = instantOf(publicacion.notified_at);
    const endedAt = instantOf(publicacion.publication_ends_at);
    try {
      await evidence.issueAcuse(
        {
          kind: "retiro_estrados",
          parties: { rfc: act.rfc, actorRfc: INSTITUTE_RFC, capacity: "sistema" },
          eventAt: endedAt,
          countsAt: notifiedAt,
          rule: "estrados",
          calendarVersion: publicacion.calendar_version,
          rulesVersion: publicacion.rules_version,
          documents: [
            { name: act.document_name, sha256: act.document_sha256, bytes: act.document_bytes },
          ],
        },
        {
          record: async (tx, sealed) => {
            await checkUnderLock(tx, act, "notificada_por_estrados", notifiedAt, at);
            const appended = await appendNotificacionEvent(tx, {
              notificacionId: act.id,
              type: "notificada_por_estrados",
              at: notifiedAt,
              recordedAt: at,
              acuseFolio: sealed.folio,
              actorRfc: INSTITUTE_RFC,
              data: { publicationEndedAt: formatInstant(endedAt) },
            });
            if (!appended) {
              throw new AlreadyHandled("already_handled", "El fin de la publicación ya constaba.");
            }
          },
        },
      );
      return true;
    } catch (error) {
      if (error instanceof AlreadyHandled) return false;
      throw error;
    }
  }

  /** Runs `one` over every item of each batch `next` gives, until a batch brings nothing new. */
  async function sweep<T>(
    next: (at: Temporal.Instant) => Promise<T[]>,
    idOf: (item: T) => string,
    one: (item: T, at: Temporal.Instant) => Promise<boolean>,
  ): Promise<number> {
    const at = now();
    const seen = new Set<string>();
    let done = 0;
    for (;;) {
      const fresh = (await next(at)).filter((item) => !seen.has(idOf(item)));
      if (fresh.length === 0) return done;
      for (const item of fresh) seen.add(idOf(item));
      // Issued together: the evidence queue seals them in one batch transaction.
      const results = await Promise.allSettled(fresh.map((item) => one(item, at)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      done += results.filter((r) => r.status === "fulfilled" && r.value).length;
      if (failed) throw failed.reason;
    }
  }

  /** The publication job: every act on estrados whose aviso instant has come. */
  async function publishDue(): Promise<number> {
    const { imss, tfja } = await calendars.current();
    return sweep(
      (at) => dueForPublication(db, toDate(at), BATCH),
      (act) => act.id,
      (act, at) => publishOne(act, imss, tfja, at),
    );
  }

  /** The end-of-publication job: every publication whose eleventh day has come. */
  async function retireDue(): Promise<number> {
    return sweep(
      (at) => dueForRetiro(db, toDate(at), BATCH),
      ({ act }) => act.id,
      ({ act, publicacion }, at) => retireOne(act, publicacion, at),
    );
  }

  /** The engine's dates of a listed act: as fixed at publication, or now if not sealed yet. */
  async function datesOf(listed: ListedAct, full: boolean): Promise<EstradosResult | null> {
    const p = listed.publicacion;
    if (p && !full) return null;
    const [imss, tfja] = await Promise.all([
      calendars.calendar(p?.calendar_version),
      calendars.calendar(p?.tfja_calendar_version, TFJA),
    ]);
    return computeEstrados(imss, instantOf(listed.act.aviso_at), {
      tfja,
      sinMediosDeDefensa: sinMediosOf(listed.act),
    });
  }

  function itemOf(
    listed: ListedAct,
    dates: EstradosResult | null,
    at: Temporal.Instant,
  ): EstradosItem {
    const { act, publicacion: p } = listed;
    const publishedAt = instantOf(act.aviso_at);
    const lastPublicationDay = p?.last_publication_day ?? dates!.lastPublicationDay;
    const endsAt = p
      ? instantOf(p.publication_ends_at)
      : publicationEndsAt(Temporal.PlainDate.from(lastPublicationDay));
    const status =
      estradosStatus(publishedAt, endsAt, at) === "en_publicacion" ? "en_publicacion" : "concluida";
    return {
      id: act.id,
      actType: act.act_type,
      actTypeName: catalogue.find(act.act_type)?.name ?? act.act_type,
      oficio: act.oficio,
      issuingUnit: act.issuing_unit,
      addressee: { name: listed.addresseeName ?? "", rfc: maskRfc(act.rfc) },
      status,
      publishedAt: formatInstant(publishedAt),
      firstPublicationDay: p?.first_publication_day ?? dates!.publicationDays[0]!,
      lastPublicationDay,
      notifiedOn: p?.notified_on ?? dates!.notifiedOn,
      notifiedAt: p ? formatInstant(instantOf(p.notified_at)) : dates!.notifiedAt,
      effectiveOn: p?.effective_on ?? dates!.effectiveOn,
      publicationAcuse: p?.acuse_folio ?? null,
      endAcuse: listed.endFolio,
      document:
        status === "en_publicacion"
          ? {
              url: `/api/v1/estrados/${encodeURIComponent(act.id)}/documento`,
              sha256: act.document_sha256,
              bytes: act.document_bytes,
            }
          : null,
      calendarVersion: p?.calendar_version ?? dates!.calendarVersion,
      rulesVersion: p?.rules_version ?? dates!.rulesVersion,
    };
  }

  /** Listing bounds at `at`: acts notified within the listed days, published in the scan. */
  function bounds(at: Temporal.Instant) {
    const today = toZonaCentro(at).toPlainDate();
    return {
      now: toDate(at),
      publishedSince: toDate(at.subtract({ hours: 24 * SCAN_DAYS })),
      // Listed while listedUntil(notifiedOn) ≥ today.
      notifiedSince: today.subtract({ days: LISTED_DAYS_AFTER_NOTIFICATION }).toString(),
    };
  }

  /** One listed act by id, while it is listed; else the same 404 as an act never on estrados. */
  async function listedAct(id: string, at: Temporal.Instant): Promise<ListedAct> {
    if (!UUID.test(id)) throw notFound();
    const [listed] = await listPublished(db, { ...bounds(at), limit: 1, id });
    if (!listed) throw notFound();
    const notifiedOn = Temporal.PlainDate.from(
      listed.publicacion?.notified_on ?? (await datesOf(listed, true))!.notifiedOn,
    );
    if (Temporal.PlainDate.compare(listedUntil(notifiedOn), toZonaCentro(at).toPlainDate()) < 0) {
      throw notFound();
    }
    return listed;
  }

  return {
    publishDue,
    retireDue,

    /** Both jobs, in order: what the scheduler and the demo clock run. */
    async runJobs(): Promise<{ published: number; ended: number }> {
      const published = await publishDue();
      const ended = await retireDue();
      return { published, ended };
    },

    /** The public listing (§6 `GET /api/v1/estrados`), newest publication first. */
    async list(query: { limit: number; cursor?: string | undefined }): Promise<EstradosList> {
      const at = now();
      const rows = await listPublished(db, {
        ...bounds(at),
        before: decodeEstradosCursor(query.cursor),
        limit: query.limit,
      });
      const items = await Promise.all(
        rows.map(async (row) => itemOf(row, await datesOf(row, false), at)),
      );
      const last = rows.at(-1);
      return {
        items,
        next:
          rows.length === query.limit && last
            ? encodeEstradosCursor({ publishedAt: last.act.aviso_at, id: last.act.id })
            : null,
      };
    },

    /** One listed act with every date and the engine's explanation («¿por qué esta fecha?»). */
    async detail(id: string): Promise<EstradosDetail> {
      const at = now();
      const listed = await listedAct(id, at);
      const dates = (await datesOf(listed, true))!;
      return {
        ...itemOf(listed, dates, at),
        publicationDays: dates.publicationDays,
        recursoInconformidadBy: dates.recursoInconformidadBy,
        juicioNulidadBy: dates.juicioNulidadBy,
        recursoInconformidadDays: dates.recursoInconformidadDays,
        juicioNulidadDays: dates.juicioNulidadDays,
        sinMediosDeDefensa: dates.sinMediosDeDefensa,
        juicioNulidadCalendar: dates.juicioNulidadCalendar,
        warnings: dates.warnings,
        explanation: dates.explanation,
      };
    },

    /**
     * Where the act `id` stands on the estrados, for its addressee's own pages (the promoción
     * it answers): undefined when it did not go to estrados. Unlike the public page, it answers
     * before the publication and after the listing, with the same dates the listing shows.
     */
    async placeOf(id: string): Promise<EstradosPlace | undefined> {
      if (!UUID.test(id)) return undefined;
      const found = await estradosActOf(db, id.toLowerCase());
      if (!found) return undefined;
      const at = now();
      const listed: ListedAct = { ...found, addresseeName: null, endFolio: null };
      const item = itemOf(listed, await datesOf(listed, false), at);
      const until = listedUntil(Temporal.PlainDate.from(item.notifiedOn));
      const endsAt = found.publicacion
        ? instantOf(found.publicacion.publication_ends_at)
        : publicationEndsAt(Temporal.PlainDate.from(item.lastPublicationDay));
      const status = estradosStatus(instantOf(found.act.aviso_at), endsAt, at);
      // As listedAct decides: listed through its last day, then gone from the public page.
      const gone = Temporal.PlainDate.compare(until, toZonaCentro(at).toPlainDate()) < 0;
      return {
        publishedAt: item.publishedAt,
        firstPublicationDay: item.firstPublicationDay,
        lastPublicationDay: item.lastPublicationDay,
        notifiedOn: item.notifiedOn,
        effectiveOn: item.effectiveOn,
        listedUntil: until.toString(),
        status: status === "concluida" && gone ? "fuera_de_listado" : status,
      };
    },

    /**
     * The published document (CFF 139 publishes «el documento»), during its ten days only: an
     * act that was never on estrados is a 404, one whose publication ended a 410.
     */
    async document(id: string): Promise<{ name: string; bytes: Buffer }> {
      const at = now();
      const listed = await listedAct(id, at);
      const item = itemOf(listed, await datesOf(listed, false), at);
      if (item.status !== "en_publicacion") {
        throw new EstradosError(
          "publicacion_concluida",
          `La publicación de este acto en los estrados electrónicos concluyó al terminar el ${spanishDate(Temporal.PlainDate.from(item.lastPublicationDay))}: el documento ya no se publica. Se tuvo por notificado el ${spanishDate(Temporal.PlainDate.from(item.notifiedOn))}.`,
        );
      }
      return { name: listed.act.document_name, bytes: await blobs.get(listed.act.document_sha256) };
    },
  };
}

export type EstradosService = ReturnType<typeof createEstradosService>;
