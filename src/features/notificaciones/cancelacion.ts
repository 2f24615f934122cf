import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { AppError } from "../../domain/errors.ts";
import { AT_EVENT_RULE } from "../../domain/evidence/acuse.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { ActError } from "../../domain/notificaciones/errors.ts";
import { checkTransition } from "../../domain/notificaciones/lifecycle.ts";
import { RULES_VERSION } from "../../domain/plazos/rules.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db, StaffRole } from "../../platform/db/schema.ts";
import { withdrawPending } from "../delivery/outbox.ts";
import type { EvidenceService } from "../evidence/service.ts";
import type { Depositor } from "./deposit.ts";
import type { Cancelled } from "./schemas.ts";
import {
  appendNotificacionEvent,
  eventsOf,
  lockNotificacion,
  type NotificacionRow,
  notificacionById,
} from "./store.ts";
import { type ViewContext, viewOf } from "./views.ts";

export interface CancelacionOptions {
  db: Db;
  /** Legal time: the cancellation's instant and its acuse. */
  clock: Clock;
  evidence: Pick<EvidenceService, "issueAcuse">;
  context: () => Promise<ViewContext>;
  /** Passed by the system's wiring (a promoción this act answered goes back to atención). */
  hooks?: CancelacionHooks;
}

/** The cancellation, as another capability reads it inside the cancellation's transaction. */
export interface CancelledAct {
  notificacionId: string;
  rfc: string;
  motivo: string;
  actorRfc: string;
  via: Canceller["via"];
  at: Date;
  acuseFolio: string;
}

/**
 * What another capability writes in the cancellation's own transaction, after the `cancelada`
 * event, so both commit together or not at all (src/features/promociones: the promoción this
 * act answered). It may refuse by throwing: then nothing is cancelled.
 */
export interface CancelacionHooks {
  record?: (tx: Db, cancelled: CancelledAct) => Promise<void>;
}

/** The name the acuse gives the reason, sealed by its SHA-256 (its text is in the event). */
export const MOTIVO_DOCUMENT = "Motivo de la cancelación";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The outbox keys of an act's messages (deposit.ts: `notificacion:<id>:aviso:<means>`). */
export const actMessagesPrefix = (id: string) => `notificacion:${id}:`;

function notFound(): AppError {
  return new AppError("not_found", "No existe un acto depositado con ese identificador.");
}

/** Who cancels: the staff member (session or API token) and the role the request proved. */
export interface Canceller extends Depositor {
  role: StaffRole | undefined;
}

/**
 * Who may withdraw an act (issue 11 review): the servant who deposited it or the one who signed
 * it — they answer for it — or an administrador, who supervises the notificadores. Another
 * notificador may not: the staff have no issuing unit on record to widen the rule by, and a
 * cancellation withdraws a signed act of the Institute.
 */
function authorizeCancellation(row: NotificacionRow, actor: Canceller): void {
  if (actor.role === "administrador") return;
  if (actor.rfc === row.deposited_by || actor.rfc === row.signer_rfc) return;
  throw new ActError(
    "cancellation_not_authorized",
    `Solo quien depositó este acto (${row.deposited_by}), quien lo firmó (${row.signer_rfc}) o una persona con rol administrador puede cancelarlo.`,
  );
}

/**
 * The Institute withdraws an act before it is notified — by its depositor, its signer or an
 * administrador — (issue 11 §2; anchors-mission §8: a
 * cancellation with its trail): the lifecycle decides whether it may (not once notified, nor
 * once published on the estrados — a correction is then a new act that names it in
 * `replaces`), a `cancelacion_notificacion` acuse names the act's document and seals the reason,
 * and in its transaction, under the act's lock, the `cancelada` event is appended and the
 * act's avisos not yet sent are withdrawn from the outbox (those sent stay on record).
 */
export function createCancelacion(options: CancelacionOptions) {
  const { db } = options;

  async function decide(executor: Db, row: NotificacionRow, ctx: ViewContext) {
    const events = (await eventsOf(executor, [row.id])).get(row.id) ?? [];
    const view = viewOf(row, events, ctx);
    // The domain's Spanish refusal: «… emite un nuevo acto que lo sustituya».
    checkTransition(view.projection, "cancelada");
  }

  return async function cancel(id: string, actor: Canceller, motivo: string): Promise<Cancelled> {
    const reason = motivo.trim();
    if (reason.length === 0) {
      const detail = "Escribe el motivo de la cancelación.";
      throw new AppError("validation", detail, { errors: [{ pointer: "/motivo", detail }] });
    }
    if (!UUID.test(id)) throw notFound();
    const row = await notificacionById(db, id);
    if (!row) throw notFound();
    // The act never changes (append-only): who deposited and signed it is decided once.
    authorizeCancellation(row, actor);
    const base = await options.context();
    const eventAt = options.clock().round({ smallestUnit: "millisecond", roundingMode: "floor" });
    const ctx = { ...base, now: eventAt };
    await decide(db, row, ctx);
    const motivoBytes = Buffer.from(reason, "utf8");
    const issued = await options.evidence.issueAcuse(
      {
        kind: "cancelacion_notificacion",
        parties: { rfc: row.rfc, actorRfc: actor.rfc, capacity: "servidor_publico" },
        eventAt,
        countsAt: eventAt,
        rule: AT_EVENT_RULE,
        calendarVersion: ctx.imss.version,
        rulesVersion: RULES_VERSION,
        documents: [
          { name: row.document_name, sha256: row.document_sha256, bytes: row.document_bytes },
          {
            name: MOTIVO_DOCUMENT,
            sha256: createHash("sha256").update(motivoBytes).digest("hex"),
            bytes: motivoBytes.length,
          },
        ],
      },
      {
        record: async (tx, sealed) => {
          // Decided again under the act's lock: an opening that won the race makes it notified.
          const locked = await lockNotificacion(tx, row.id);
          if (!locked) throw notFound();
          await decide(tx, locked, ctx);
          const written = await appendNotificacionEvent(tx, {
            notificacionId: row.id,
            type: "cancelada",
            at: eventAt,
            recordedAt: eventAt,
            acuseFolio: sealed.folio,
            actorRfc: actor.rfc,
            data: { motivo: reason, via: actor.via },
          });
          if (!written) {
            throw new AppError("conflict", "El acto ya estaba cancelado.");
          }
          await withdrawPending(
            tx,
            { rfc: row.rfc, keyPrefix: actMessagesPrefix(row.id) },
            "el Instituto canceló el acto antes de enviarse el aviso",
            new Date(eventAt.epochMilliseconds),
          );
          await options.hooks?.record?.(tx, {
            notificacionId: row.id,
            rfc: row.rfc,
            motivo: reason,
            actorRfc: actor.rfc,
            via: actor.via,
            at: new Date(eventAt.epochMilliseconds),
            acuseFolio: sealed.folio,
          });
        },
      },
    );
    return {
      state: "cancelada",
      acuse: { folio: issued.folio, codigo: verificationCodeOf(issued.seal) },
    };
  };
}

export type Cancel = ReturnType<typeof createCancelacion>;
