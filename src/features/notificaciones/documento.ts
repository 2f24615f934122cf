import type { Buffer } from "node:buffer";
import { AppError } from "../../domain/errors.ts";
import { ActError } from "../../domain/notificaciones/errors.ts";
import { downloadRecordsAccess } from "../../domain/notificaciones/lifecycle.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { AuthenticatedSession } from "../auth/service.ts";
import {
  appendNotificacionEvent,
  eventsOf,
  lockNotificacion,
  type NotificacionRow,
} from "./store.ts";
import { type ActView, type ViewContext, viewOf } from "./views.ts";

/** Who downloads: the mailbox's RFC, who signed in for it, and the session. */
export type DocumentReader = Pick<AuthenticatedSession, "id" | "rfc" | "representativeRfc">;

export interface DocumentDownloadOptions {
  db: Db;
  blobs: BlobStore;
  /** The calendars in force and the catalogue, at the legal now (the notifications service). */
  context: () => Promise<ViewContext>;
}

function notFound(): AppError {
  return new AppError("not_found", "No encontramos esa notificación en tu Buzón IMSS.");
}

/**
 * The download's authorization: only the addressee (the caller checked the RFC), only once the
 * act is available (else the same 404), and only once notified (issue 11 §6).
 */
function authorize(view: ActView): void {
  if (!view.projection.visibleToAddressee) throw notFound();
  if (view.projection.state === "cancelada") {
    throw new ActError(
      "act_cancelled",
      "El Instituto canceló este acto antes de notificarlo: su documento ya no está disponible. Si lo sustituye uno nuevo, lo verás en «Mis notificaciones».",
    );
  }
  if (view.projection.state !== "notificada") {
    throw new ActError(
      "not_yet_notified",
      view.projection.state === "pendiente"
        ? "Para descargar el documento ábrelo primero con tu e.firma en «Mis notificaciones»: al abrirlo quedas notificado y recibes tu acuse."
        : "El documento de este acto no está disponible en tu Buzón IMSS.",
    );
  }
}

/**
 * The addressee downloads the notified document (`GET …/documento`). The first access after
 * the act was notified by law (no opening, no access recorded yet) is recorded as
 * `descarga_posterior` and changes nothing (issue 11 §2; ADR 0014): decided under the act's
 * lock in the transaction that authorizes the download and reads the document, so two downloads
 * at once, or a download and the signed access, write one record each at most, and a download
 * that fails (a document whose hash no longer matches) records nothing. Every other download
 * only reads.
 */
export function createDocumentDownload(options: DocumentDownloadOptions) {
  const { db, blobs } = options;

  return async function download(
    reader: DocumentReader,
    row: NotificacionRow,
  ): Promise<{ name: string; bytes: Buffer }> {
    const base = await options.context();
    const at = base.now.round({ smallestUnit: "millisecond", roundingMode: "floor" });
    const ctx = { ...base, now: at };
    const events = (await eventsOf(db, [row.id])).get(row.id) ?? [];
    const view = viewOf(row, events, ctx);
    authorize(view);
    if (!downloadRecordsAccess(view.projection)) {
      return { name: row.document_name, bytes: await blobs.get(row.document_sha256) };
    }
    // Nothing else touches `db` inside: PGlite has one connection (unit-of-work.ts).
    return db.transaction().execute(async (tx) => {
      const locked = await lockNotificacion(tx, row.id);
      if (!locked) throw notFound();
      const again = (await eventsOf(tx, [row.id])).get(row.id) ?? [];
      const decided = viewOf(locked, again, ctx);
      authorize(decided);
      const bytes = await blobs.get(row.document_sha256);
      const { projection, computed } = decided;
      if (downloadRecordsAccess(projection) && projection.notifiedAt) {
        await appendNotificacionEvent(tx, {
          notificacionId: row.id,
          type: "descarga_posterior",
          at,
          recordedAt: at,
          actorRfc: reader.representativeRfc ?? reader.rfc,
          data: {
            notifiedAt: formatInstant(projection.notifiedAt),
            notifiedBy: "ministerio_de_ley",
            capacity: reader.representativeRfc ? "representante_legal" : "titular",
            sessionId: reader.id,
            documentSha256: row.document_sha256,
            ...(computed
              ? { openBy: computed.openBy, calendarVersion: computed.calendarVersion }
              : {}),
          },
        });
      }
      return { name: row.document_name, bytes };
    });
  };
}

export type DocumentDownload = ReturnType<typeof createDocumentDownload>;
