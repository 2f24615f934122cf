import type {
  Acuse,
  AcuseDocument,
  AcuseKind,
  AcuseRule,
  Capacity,
} from "../../domain/evidence/acuse.ts";
import type { StoredAcuseRow } from "./store.ts";

/** What a caller gives to issue an acuse: everything but the folio, which issuance assigns. */
export type AcuseInput = Omit<Acuse, "folio">;

/** An issued acuse: the model, its cadena original, the Institute's seal and its log leaf. */
export interface IssuedAcuse extends Acuse {
  cadenaOriginal: string;
  /** Base64 RSA-SHA256 over the UTF-8 cadena original. */
  seal: string;
  sealCertificateNumber: string;
  leafIndex: number;
  createdAt: Date;
}

/** The domain model of a stored acuse row. */
export function toIssued(row: StoredAcuseRow): IssuedAcuse {
  return {
    folio: row.folio,
    kind: row.kind as AcuseKind,
    parties: {
      rfc: row.rfc,
      actorRfc: row.actorRfc,
      capacity: row.capacity as Capacity,
    },
    eventAt: Temporal.Instant.fromEpochMilliseconds(row.eventAt.getTime()),
    countsAt: Temporal.Instant.fromEpochMilliseconds(row.countsAt.getTime()),
    rule: row.rule as AcuseRule,
    calendarVersion: row.calendarVersion,
    rulesVersion: row.rulesVersion,
    documents: row.documents as AcuseDocument[],
    ...(row.habilitacion === null ? {} : { habilitacion: row.habilitacion }),
    cadenaOriginal: row.cadenaOriginal,
    seal: row.seal,
    sealCertificateNumber: row.sealCertificateNumber,
    leafIndex: row.leafIndex,
    createdAt: row.createdAt,
  };
}
