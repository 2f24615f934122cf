/**
 * The folio's shape (folio.ts), for route schemas, the web form and the database check (0004):
 * `BI-20250203-100717151`, with `-0001`, `-0002`… for further acuses of the same millisecond.
 * Kept apart so the web app can import it without the time engine.
 */
export const FOLIO_PATTERN = "^[A-Z]{1,8}-[0-9]{8}-[0-9]{9}(-[0-9]{4})?$";
