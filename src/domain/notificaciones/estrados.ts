/**
 * What the public estrados electrónicos show of an act (CFF art. 139; Lineamientos 7.8): pure,
 * so the listing, the document download and their tests agree on the same rules.
 */
import { CodedError } from "../errors.ts";
import { atLocalTime } from "../time/zona-centro.ts";

/** Refusals of the public estrados. Their HTTP statuses are in src/platform/http/errors.ts. */
export type EstradosErrorCode =
  /** The document is asked for after its ten days of publication. */
  "publicacion_concluida";

export class EstradosError extends CodedError<EstradosErrorCode> {}

/**
 * The Institute's RFC: the actor of what the system does by itself on the estrados (its acuses
 * are the Institute's, with capacity `sistema`).
 */
export const INSTITUTE_RFC = "IMS421231I45";

/**
 * Natural days an act stays listed after its notification date, flagged as ended and without
 * its document: whoever looks after the ten days learns it was notified and from when the
 * terms to challenge it run (15 business days for the recurso de inconformidad fit in them).
 */
export const LISTED_DAYS_AFTER_NOTIFICATION = 30;

/**
 * The RFC as the listing shows it: the letters of the name and the homoclave, never the date
 * (of birth for a persona física, of constitution for a moral), which is the personal datum an
 * RFC discloses. `XOJO740919U44` → `XOJO******U44`; `EKU9003173C9` → `EKU******3C9`. Enough,
 * with the name, to tell two homonyms apart and for the addressee to recognise the act.
 */
export function maskRfc(rfc: string): string {
  const letters = rfc.length === 13 ? 4 : 3;
  return `${rfc.slice(0, letters)}${"*".repeat(6)}${rfc.slice(letters + 6)}`;
}

/** 00:00 Zona Centro of the day after the tenth: the document leaves the page (CFF 139). */
export function publicationEndsAt(lastPublicationDay: Temporal.PlainDate): Temporal.Instant {
  return atLocalTime(lastPublicationDay.add({ days: 1 }), Temporal.PlainTime.from("00:00"));
}

export type EstradosStatus = "en_publicacion" | "concluida";

/**
 * Where a publication stands at `now`: during its ten days the document is on the page; after
 * them it is `concluida` (the act is notified on the eleventh day) and only its data stay.
 */
export function estradosStatus(
  publishedAt: Temporal.Instant,
  endsAt: Temporal.Instant,
  now: Temporal.Instant,
): EstradosStatus | "por_publicar" {
  if (Temporal.Instant.compare(now, publishedAt) < 0) return "por_publicar";
  return Temporal.Instant.compare(now, endsAt) < 0 ? "en_publicacion" : "concluida";
}

/** The last date (Zona Centro) an act notified on `notifiedOn` is listed. */
export function listedUntil(notifiedOn: Temporal.PlainDate): Temporal.PlainDate {
  return notifiedOn.add({ days: LISTED_DAYS_AFTER_NOTIFICATION });
}
