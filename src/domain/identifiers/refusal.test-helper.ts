import { expect } from "vitest";
import { DomainError, type DomainErrorCode } from "../errors.ts";

/** Runs `fn`, expecting a DomainError with `code`; returns it for checks on the message. */
export function refusal(code: DomainErrorCode, fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.code).toBe(code);
    return e;
  }
  throw new Error(`expected a ${code} refusal`);
}
