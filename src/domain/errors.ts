/**
 * One error model for the whole system (docs/adr/0005-errores-y-unidad-de-trabajo.md). Every
 * refusal is a {@link CodedError}: a stable `code` from a typed union of its module, for
 * programs; a Spanish `detail`, for people; optionally where in the input the problem is; and
 * apart from both, an internal message for the logs. Each module declares its own union and a
 * class that only names it (`class EfirmaError extends CodedError<EfirmaErrorCode> {}`), as
 * sigstore-js does with `BaseError<Code>`. The HTTP layer maps codes to statuses in one table
 * (src/platform/http/errors.ts); nothing here knows about HTTP.
 */

/** A place in the input and what is wrong there (problem+json `errors`). */
export interface FieldProblem {
  /** JSON pointer or parameter name. */
  pointer: string;
  detail: string;
}

export interface CodedErrorOptions {
  /** Where in the input the problem is (a JSON pointer, a field or an option name). */
  pointer?: string | undefined;
  /** Several field problems at once; when absent, the pointer (if any) makes the only one. */
  errors?: FieldProblem[] | undefined;
  /**
   * What happened in the developer's terms, for the logs (Documenso keeps it apart from the
   * user's message the same way). It becomes `message`; it never reaches a response.
   */
  internal?: string | undefined;
  cause?: unknown;
}

export class CodedError<C extends string = string> extends Error {
  readonly code: C;
  /** Spanish, for the person who asked: what is wrong and, when possible, what to do. */
  readonly detail: string;
  readonly pointer: string | undefined;
  /** The field problems to show: the explicit list, else one at the pointer, else none. */
  readonly errors: FieldProblem[] | undefined;

  constructor(code: C, detail: string, options: CodedErrorOptions = {}) {
    super(
      options.internal ?? detail,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.code = code;
    this.detail = detail;
    this.pointer = options.pointer;
    this.errors =
      options.errors ??
      (options.pointer === undefined ? undefined : [{ pointer: options.pointer, detail }]);
  }
}

/** Calendars, business days and plazos. */
export type CalendarErrorCode =
  | "invalid_instant"
  | "invalid_date"
  | "calendar_invalid"
  | "calendar_exhausted"
  | "opened_before_aviso"
  | "out_of_range";

/** RFC, CURP, NSS, registro patronal and e-mail address. */
export type IdentifierErrorCode =
  | "invalid_rfc"
  | "invalid_curp"
  | "invalid_nss"
  | "invalid_registro_patronal"
  | "invalid_email";

export type DomainErrorCode = CalendarErrorCode | IdentifierErrorCode;

/** Refusals raised by the pure rules of time and identifiers. */
export class DomainError extends CodedError<DomainErrorCode> {}

/**
 * Refusals of a use case that are not a rule of one module: the input as a whole, who asks,
 * what exists, what the system can do now. Stable: clients branch on them.
 */
export type AppErrorCode =
  | "validation"
  | "invalid_cursor"
  | "not_found"
  | "unauthorized"
  | "forbidden"
  | "csrf"
  | "rate_limited"
  | "conflict"
  | "admin_disabled"
  | "unavailable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "internal";

export class AppError extends CodedError<AppErrorCode> {}

/**
 * An invariant of our own that does not hold (a bug or damaged data, not the caller's input):
 * the person gets the generic internal refusal; the log gets what broke.
 */
export function internalError(internal: string, options: { cause?: unknown } = {}): AppError {
  return new AppError(
    "internal",
    "Ocurrió un error interno. Si persiste, repórtalo con el número de solicitud.",
    { internal, cause: options.cause },
  );
}
