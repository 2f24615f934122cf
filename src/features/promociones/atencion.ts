import { AppError, internalError } from "../../domain/errors.ts";
import { parseRfc } from "../../domain/identifiers/rfc.ts";
import { ActError } from "../../domain/notificaciones/errors.ts";
import {
  type Atencion,
  checkAnswerAddressee,
  checkNotOwn,
  cleanStaffText,
  decideTake,
  NOTE_MAX,
  PromocionAtencionError,
  projectAtencion,
  REASON_MAX,
} from "../../domain/promociones/atencion.ts";
import { downloadName, type PromocionCatalogue } from "../../domain/promociones/catalogo.ts";
import {
  checkPromocionTransition,
  PROMOCION_STATES,
  type PromocionEventType,
  type PromocionState,
} from "../../domain/promociones/lifecycle.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import type { ComunicadoService } from "../comunicados/service.ts";
import { dayStart } from "../expedientes/service.ts";
import type { DepositInput, Depositor } from "../notificaciones/deposit.ts";
import { type NotificacionService, RESERVED_KEY_PREFIX } from "../notificaciones/service.ts";
import { decodeCursor, encodeCursor, type PromocionService } from "./service.ts";
import { createPromocionStore, type PromocionEventRow, type PromocionRow } from "./store.ts";

/** Roles that attend promociones (the staff queue, taking, notes, conclusion and answer). */
export const ATENCION_ROLES: readonly StaffRole[] = ["operador", "administrador"];

/** The staff member acting (after the route's role guard). */
export interface StaffActor {
  rfc: string;
  via: Depositor["via"];
}

export interface QueueQuery {
  estado?: string | undefined;
  tipo?: string | undefined;
  asignadoA?: string | undefined;
  rfc?: string | undefined;
  recibidaDesde?: string | undefined;
  recibidaHasta?: string | undefined;
  limite?: number | undefined;
  despuesDe?: string | undefined;
}

/** The answer as a notification: the act's fields of POST /api/v1/notificaciones but its key. */
export type NotificacionAnswerInput = Omit<DepositInput, "idempotencyKey" | "replaces">;

export interface ComunicadoAnswerInput {
  rfc: string;
  title: string;
  body: string;
  sendEmail?: boolean | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const toDate = (instant: Temporal.Instant) => new Date(instant.epochMilliseconds);
const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
const iso = (date: Date) => formatInstant(instantOf(date));

function notFound(): AppError {
  return new AppError("not_found", "No encontramos esa promoción.");
}

function refuse(pointer: string, detail: string): AppError {
  return new AppError("validation", detail, { errors: [{ pointer, detail }] });
}

export function atencionOf(events: readonly PromocionEventRow[]): Atencion {
  return projectAtencion(
    events.map((e) => ({
      type: e.type as PromocionEventType,
      actorRfc: e.actor_rfc,
      data: (e.data ?? {}) as Record<string, unknown>,
    })),
  );
}

/**
 * The idempotency key of a promoción's answer: one answer per promoción, whatever the clicks.
 * Each answer cancelled since (`respuesta_cancelada`) gives the next one its own key, as a key
 * names one act for good: `promocion:<id>:respuesta`, then `…:respuesta:2`, `…:respuesta:3`.
 */
export function answerKeyOf(promocionId: string, cancelledAnswers = 0): string {
  const base = `${RESERVED_KEY_PREFIX}${promocionId}:respuesta`;
  return cancelledAnswers === 0 ? base : `${base}:${cancelledAnswers + 1}`;
}

/**
 * The staff's attention to promociones (issue 12 §1; docs/promociones.md): the queue, the full
 * detail with internal notes, taking and reassigning, notes, the conclusion and the answer —
 * as a notification deposited through the notifications' own deposit, or a comunicado to the
 * promoción's RFC. Every decision is an event appended under the promoción's lock after
 * checkPromocionTransition, in the same transaction as what it records (the act or the
 * comunicado included).
 */
export function createAtencionService(options: {
  db: Db;
  clock: Clock;
  catalogue: PromocionCatalogue;
  blobs: BlobStore;
  promociones: Pick<PromocionService, "detail">;
  notificaciones: Pick<NotificacionService, "deposit">;
  comunicados: Pick<ComunicadoService, "compose">;
  /** The role of an active staff member, or undefined (who may be assigned). */
  staffRoleOf: (rfc: string) => Promise<StaffRole | undefined>;
}) {
  const { db, catalogue } = options;
  const store = createPromocionStore(db);
  const now = () => options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });
  const typeName = (id: string) => catalogue.types.find((t) => t.id === id)?.name ?? id;

  async function promocion(id: string): Promise<PromocionRow> {
    if (!UUID.test(id)) throw notFound();
    const row = await store.byId(id.toLowerCase());
    if (!row) throw notFound();
    return row;
  }

  /** The promoción `id`, for `actor` to act on: never their own (checkNotOwn). */
  async function toAttend(id: string, actor: StaffActor): Promise<PromocionRow> {
    const row = await promocion(id);
    checkNotOwn({ rfc: row.rfc, signerRfc: row.signer_rfc }, actor.rfc);
    return row;
  }

  async function current(id: string): Promise<Atencion> {
    return atencionOf((await store.eventsOf([id])).get(id) ?? []);
  }

  /**
   * Appends `type` under the promoción's lock, after `decide` read its attention as it is now
   * (and refused, or said there is nothing to do). Decision and event: one transaction.
   */
  async function decideAndAppend(
    id: string,
    actor: StaffActor,
    type: PromocionEventType,
    decide: (atencion: Atencion) => Record<string, unknown> | "noop",
  ): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const txStore = createPromocionStore(tx);
      await txStore.lock(id);
      const atencion = atencionOf((await txStore.eventsOf([id])).get(id) ?? []);
      const data = decide(atencion);
      if (data === "noop") return;
      const at = toDate(now());
      await txStore.appendEvent({
        promocionId: id,
        type,
        at,
        recordedAt: at,
        actorRfc: actor.rfc,
        data: { ...data, via: actor.via },
      });
    });
  }

  /** The answer's own event, written by the act's or the comunicado's transaction. */
  async function recordAnswer(
    tx: Db,
    id: string,
    actor: StaffActor,
    at: Date,
    data: Record<string, unknown>,
  ): Promise<void> {
    const txStore = createPromocionStore(tx);
    await txStore.lock(id);
    const atencion = atencionOf((await txStore.eventsOf([id])).get(id) ?? []);
    checkPromocionTransition(atencion.state, "respondida");
    await txStore.appendEvent({
      promocionId: id,
      type: "respondida",
      at,
      recordedAt: toDate(now()),
      actorRfc: actor.rfc,
      data: { ...data, via: actor.via },
    });
  }

  function filtersOf(query: QueueQuery) {
    const state = query.estado?.trim() || undefined;
    if (state !== undefined && !PROMOCION_STATES.includes(state as PromocionState)) {
      throw refuse(
        "querystring:/estado",
        `Estado desconocido «${state.slice(0, 40)}»: usa ${PROMOCION_STATES.join(", ")}.`,
      );
    }
    const type = query.tipo?.trim() || undefined;
    if (type !== undefined && !catalogue.types.some((t) => t.id === type)) {
      throw refuse("querystring:/tipo", `Tipo de promoción desconocido «${type.slice(0, 60)}».`);
    }
    const rfcOf = (text: string, pointer: string) =>
      parseRfc(text, { context: "certificate", pointer }).value;
    const assigneeText = query.asignadoA?.trim() || undefined;
    const assignee =
      assigneeText === undefined
        ? undefined
        : assigneeText === "sin_asignar"
          ? null
          : rfcOf(assigneeText, "querystring:/asignadoA");
    const rfc = query.rfc?.trim() ? rfcOf(query.rfc, "querystring:/rfc") : undefined;
    const receivedFrom = query.recibidaDesde
      ? dayStart(query.recibidaDesde, "recibidaDesde")
      : undefined;
    const receivedBefore = query.recibidaHasta
      ? dayStart(query.recibidaHasta, "recibidaHasta", 1)
      : undefined;
    if (receivedFrom && receivedBefore && receivedFrom >= receivedBefore) {
      throw refuse(
        "querystring:/recibidaHasta",
        "«recibidaHasta» no puede ser anterior a «recibidaDesde».",
      );
    }
    return {
      state: state as PromocionState | undefined,
      type,
      assignee,
      rfc,
      receivedFrom,
      receivedBefore,
    };
  }

  async function detail(id: string) {
    const row = await promocion(id);
    const [own, events, stored] = await Promise.all([
      options.promociones.detail(row.rfc, row.id),
      store.eventsOf([row.id]),
      store.attachmentsOf(row.id),
    ]);
    const all = events.get(row.id) ?? [];
    const atencion = atencionOf(all);
    return {
      ...own,
      rfc: row.rfc,
      typeName: typeName(row.type),
      assignee: atencion.assignee,
      conclusion: atencion.conclusion,
      attachments: own.attachments.map((a, i) => ({
        ...a,
        // What the download is saved as (the route's content-disposition says the same).
        fileName: downloadName(a.name, stored.find((x) => x.position === i + 1)?.media_type ?? ""),
        download: `/api/v1/staff/promociones/${row.id}/anexos/${i + 1}`,
      })),
      timeline: all.map((e) => {
        const data = (e.data ?? {}) as Record<string, unknown>;
        return {
          id: String(e.id),
          event: e.type,
          at: iso(e.at),
          actor: e.actor_rfc,
          ...(e.acuse_folio ? { acuse: e.acuse_folio } : {}),
          ...(typeof data.assignee === "string" ? { assignee: data.assignee } : {}),
          ...(typeof data.text === "string" ? { text: data.text } : {}),
          ...(typeof data.reason === "string" ? { reason: data.reason } : {}),
          ...(e.type === "respuesta_cancelada" && typeof data.motivo === "string"
            ? { reason: data.motivo }
            : {}),
          ...(typeof data.notificacionId === "string"
            ? { notificacionId: data.notificacionId }
            : {}),
        };
      }),
    };
  }

  return {
    /** The queue, oldest received first; `next` is the cursor after the last row. */
    async queue(query: QueueQuery) {
      const limit = query.limite ?? 50;
      const rows = await store.queue(
        filtersOf(query),
        decodeCursor(query.despuesDe, "querystring:/despuesDe"),
        limit,
      );
      const last = rows.at(-1);
      return {
        items: rows.map((r) => ({
          id: r.id,
          rfc: r.rfc,
          type: r.type,
          typeName: typeName(r.type),
          subject: r.subject,
          state: r.state,
          assignee: r.assignee,
          attachments: r.attachments,
          sentAt: iso(r.sent_at),
          receivedAt: iso(r.received_at),
        })),
        next: rows.length === limit && last ? encodeCursor(last.received_at, last.id) : null,
      };
    },

    detail,

    /** An anexo's bytes (1-based position in the signed order), for the staff to read. */
    async attachment(id: string, position: number) {
      const row = await promocion(id);
      const attachment = (await store.attachmentsOf(row.id)).find((a) => a.position === position);
      if (!attachment) throw new AppError("not_found", "Esa promoción no tiene ese anexo.");
      return {
        name: attachment.name,
        /** The name it is saved as: its extension is the one of what its bytes are. */
        fileName: downloadName(attachment.name, attachment.media_type),
        mediaType: attachment.media_type,
        bytes: await options.blobs.get(attachment.sha256),
      };
    },

    /**
     * Takes the promoción (for oneself by default) or reassigns it (`from`: who held it, as the
     * page showed). The same assignee again changes nothing; a race ends with one holder.
     */
    async take(
      id: string,
      actor: StaffActor,
      input: { assignee?: string | undefined; from?: string | null | undefined },
    ) {
      const row = await toAttend(id, actor);
      const assignee = input.assignee?.trim()
        ? parseRfc(input.assignee, { context: "certificate", pointer: "/assignee" }).value
        : actor.rfc;
      if (assignee !== actor.rfc) {
        checkNotOwn({ rfc: row.rfc, signerRfc: row.signer_rfc }, assignee, "/assignee");
        const role = await options.staffRoleOf(assignee);
        if (!role || !ATENCION_ROLES.includes(role)) {
          throw new PromocionAtencionError(
            "promocion_atencion_invalid",
            `${assignee} no es personal activo con rol ${ATENCION_ROLES.join(" o ")}: no puede atender promociones.`,
            { pointer: "/assignee" },
          );
        }
      }
      const from = input.from?.trim() ? input.from.trim().toUpperCase() : input.from;
      await decideAndAppend(row.id, actor, "en_atencion", (atencion) => {
        if (decideTake(atencion, { assignee, from: from === "" ? null : from }) === "noop") {
          return "noop";
        }
        return { assignee, ...(atencion.assignee ? { previous: atencion.assignee } : {}) };
      });
      return detail(row.id);
    },

    /** An internal note: never shown to the particular; changes no state. */
    async note(id: string, actor: StaffActor, input: { text: string }) {
      const row = await toAttend(id, actor);
      const text = cleanStaffText(input.text, "/text", "La nota interna", NOTE_MAX);
      await decideAndAppend(row.id, actor, "nota_interna", (atencion) => {
        checkPromocionTransition(atencion.state, "nota_interna");
        return { text };
      });
      return detail(row.id);
    },

    /** Closes it without an answer of its own; the reason is part of its public timeline. */
    async conclude(id: string, actor: StaffActor, input: { reason: string }) {
      const row = await toAttend(id, actor);
      const reason = cleanStaffText(input.reason, "/reason", "El motivo", REASON_MAX);
      await decideAndAppend(row.id, actor, "concluida", (atencion) => {
        checkPromocionTransition(atencion.state, "concluida");
        return { reason };
      });
      return detail(row.id);
    },

    /**
     * Answers with an act signed by the competent servant, deposited by the notifications' own
     * deposit (every check of an act applies: signature, signer's role, padrón); the
     * `respondida` event naming it is written in the deposit's transaction. The key is the
     * promoción's: the same request again answers the same act; another act is refused.
     */
    async answerWithNotificacion(
      id: string,
      actor: StaffActor,
      input: NotificacionAnswerInput,
      /** The depositor's authority, judged in the deposit's transaction (DepositHooks). */
      authority?: (tx: Db) => Promise<void>,
    ) {
      const row = await toAttend(id, actor);
      checkAnswerAddressee(row.rfc, input.rfc);
      const before = await current(row.id);
      // Refused before the deposit's slow checks; decided again under the lock.
      if (!(before.state === "respondida" && before.answer?.kind === "notificacion")) {
        checkPromocionTransition(before.state, "respondida");
      }
      const key = answerKeyOf(row.id, before.cancelledAnswers);
      let deposited: Awaited<ReturnType<NotificacionService["deposit"]>>;
      try {
        // The same answer twice, even at once (a double click), replays the act by its key.
        deposited = await options.notificaciones.deposit(
          { ...input, rfc: row.rfc, idempotencyKey: key },
          { rfc: actor.rfc, via: actor.via },
          {
            ...(authority ? { authority } : {}),
            record: (tx, act) =>
              recordAnswer(tx, row.id, actor, act.deposited_at, {
                kind: "notificacion",
                notificacionId: act.id,
                oficio: act.oficio,
                // Rule a: the particular can open it from its aviso's instant, not before.
                avisoAt: iso(act.aviso_at),
              }),
          },
        );
      } catch (error) {
        // Another answer already holds the key: say the promoción is answered (409).
        if (error instanceof ActError && error.code === "idempotency_conflict") {
          checkPromocionTransition((await current(row.id)).state, "respondida");
        }
        throw error;
      }
      if (!deposited.created) {
        // Only this deposit, with its hook, may use the key (RESERVED_KEY_PREFIX): a replayed
        // act is this promoción's answer, or the data is damaged.
        const after = await current(row.id);
        if (after.answer?.kind !== "notificacion" || after.answer.notificacionId !== deposited.id) {
          throw internalError(
            `key ${key} replayed act ${deposited.id}, not the answer of ${row.id}`,
          );
        }
      }
      return detail(row.id);
    },

    /** Answers with a comunicado to the promoción's RFC alone, when the answer only informs. */
    async answerWithComunicado(id: string, actor: StaffActor, input: ComunicadoAnswerInput) {
      const row = await toAttend(id, actor);
      checkAnswerAddressee(row.rfc, input.rfc);
      checkPromocionTransition((await current(row.id)).state, "respondida");
      await options.comunicados.compose(
        {
          title: input.title,
          body: input.body,
          audience: { kind: "rfc", rfc: row.rfc },
          sendEmail: input.sendEmail ?? false,
        },
        actor.rfc,
        {
          record: (tx, comunicado) =>
            recordAnswer(tx, row.id, actor, comunicado.published_at, {
              kind: "comunicado",
              comunicadoId: comunicado.id,
              title: comunicado.title,
            }),
        },
      );
      return detail(row.id);
    },
  };
}

export type AtencionService = ReturnType<typeof createAtencionService>;
