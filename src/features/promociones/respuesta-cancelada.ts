import { isAnsweredBy } from "../../domain/promociones/atencion.ts";
import { checkPromocionTransition } from "../../domain/promociones/lifecycle.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { CancelledAct } from "../notificaciones/cancelacion.ts";
import { atencionOf } from "./atencion.ts";
import { createPromocionStore } from "./store.ts";

/**
 * When the act that answered a promoción is cancelled (before it was notified), the promoción
 * goes back to atención with whoever attended it, to be answered again: a cancelled act answers
 * nothing. Runs inside the cancellation's transaction (CancelacionHooks.record, passed by the
 * system's wiring), under the promoción's lock, so the act's `cancelada` and the promoción's
 * `respuesta_cancelada` commit together. An act that answers no promoción changes none.
 */
export async function reopenAnsweredBy(tx: Db, cancelled: CancelledAct): Promise<void> {
  const store = createPromocionStore(tx);
  const id = await store.answeredBy(cancelled.notificacionId);
  if (id === undefined) return;
  await store.lock(id);
  const atencion = atencionOf((await store.eventsOf([id])).get(id) ?? []);
  if (!isAnsweredBy(atencion, cancelled.notificacionId)) return;
  checkPromocionTransition(atencion.state, "respuesta_cancelada");
  await store.appendEvent({
    promocionId: id,
    type: "respuesta_cancelada",
    at: cancelled.at,
    recordedAt: cancelled.at,
    actorRfc: cancelled.actorRfc,
    data: {
      notificacionId: cancelled.notificacionId,
      motivo: cancelled.motivo,
      // The cancellation's acuse is the act's evidence; the promoción's event only names it.
      cancelacionAcuse: cancelled.acuseFolio,
      via: cancelled.via,
    },
  });
}
