import { expectRefusal } from "../../testing/expect-refusal.ts";
import { DomainError, type DomainErrorCode } from "../errors.ts";

/** Runs `fn`, expecting a DomainError with `code`; returns it for checks on the message. */
export function refusal(code: DomainErrorCode, fn: () => unknown): DomainError {
  return expectRefusal(DomainError, code, fn);
}
