import { es } from "../i18n/es.ts";

/** Why an e.firma file could not be used in the browser. */
export type EfirmaErrorCode =
  | "wrong_password"
  | "not_a_key"
  | "unsupported_key"
  | "not_a_certificate"
  | "key_mismatch";

/** A refusal of the person's own e.firma files, with a Spanish message to show as it is. */
export class EfirmaBrowserError extends Error {
  readonly code: EfirmaErrorCode;

  constructor(code: EfirmaErrorCode, options?: { cause?: unknown }) {
    super(es.efirma.errors[code], options);
    this.name = "EfirmaBrowserError";
    this.code = code;
  }
}
