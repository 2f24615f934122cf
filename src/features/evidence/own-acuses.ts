import { Buffer } from "node:buffer";
import { AppError } from "../../domain/errors.ts";
import type { AcuseKind } from "../../domain/evidence/acuse.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseFolio } from "../../domain/evidence/folio.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import { KIND_LABELS } from "../../platform/pdf/acuse-pdf.ts";
import type { EvidenceStore } from "./store.ts";

/** Acuses per page of «Mis acuses» unless asked otherwise. */
export const OWN_ACUSES_PAGE = 20;

const CURSOR_PREFIX = "v1:";
const BASE64URL = /^[A-Za-z0-9_-]{1,200}$/;

/** The opaque `despues` of the next page: the last folio listed, versioned, base64url. */
export function encodeCursor(folio: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${folio}`, "utf8").toString("base64url");
}

/** The folio a cursor stands for; anything not made by encodeCursor is a 400 invalid_cursor. */
export function decodeCursor(cursor: string): string {
  const refuse = () =>
    new AppError(
      "invalid_cursor",
      "El cursor de paginación («despues») no es válido: usa tal cual el valor «siguiente» de la página anterior.",
      { pointer: "/despues" },
    );
  if (!BASE64URL.test(cursor)) throw refuse();
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (
    !text.startsWith(CURSOR_PREFIX) ||
    encodeCursor(text.slice(CURSOR_PREFIX.length)) !== cursor
  ) {
    throw refuse();
  }
  const folio = text.slice(CURSOR_PREFIX.length);
  try {
    parseFolio(folio);
  } catch {
    throw refuse();
  }
  return folio;
}

/**
 * «Mis acuses»: the acuses of one buzón (its RFC as the party), newest issued first, read from
 * the acuses themselves, so every kind any feature issues (means, Terms, aclaraciones, later
 * notifications) is listed without that feature's tables. Keyset pages by folio.
 */
export async function listOwnAcuses(
  store: EvidenceStore,
  rfc: string,
  options: { despues?: string | undefined; limite?: number | undefined },
) {
  const before = options.despues === undefined ? undefined : decodeCursor(options.despues);
  const limit = options.limite ?? OWN_ACUSES_PAGE;
  // One more than asked tells whether there is a next page without counting.
  const rows = await store.pageByRfc(rfc, { before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    acuses: page.map((row) => ({
      folio: row.folio,
      codigo: verificationCodeOf(row.seal),
      kind: row.kind,
      kindLabel: KIND_LABELS[row.kind as AcuseKind] ?? row.kind,
      eventAt: formatInstant(Temporal.Instant.fromEpochMilliseconds(row.eventAt.getTime())),
      countsAt: formatInstant(Temporal.Instant.fromEpochMilliseconds(row.countsAt.getTime())),
    })),
    siguiente: rows.length > limit && last ? encodeCursor(last.folio) : null,
  };
}

export type OwnAcusesPage = Awaited<ReturnType<typeof listOwnAcuses>>;
