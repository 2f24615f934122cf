/**
 * Refusals raised by pure rules. Each carries a stable code for programs and a Spanish message
 * for people; the HTTP layer maps codes to statuses in one place.
 */
export type DomainErrorCode =
  | "invalid_instant"
  | "invalid_date"
  | "calendar_invalid"
  | "calendar_exhausted"
  | "opened_before_aviso"
  | "out_of_range"
  | "invalid_rfc"
  | "invalid_curp"
  | "invalid_nss"
  | "invalid_registro_patronal";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Where in the input the problem is (a JSON path or an option name), when known. */
  readonly pointer: string | undefined;

  constructor(code: DomainErrorCode, message: string, pointer?: string) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.pointer = pointer;
  }
}
