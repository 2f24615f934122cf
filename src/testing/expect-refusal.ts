import { expect } from "vitest";

/** Runs `fn`, expecting it to throw an `ErrorClass` with `code`; returns it for checks on the message. */
export function expectRefusal<E extends Error & { code: string }>(
  ErrorClass: new (...args: never[]) => E,
  code: E["code"],
  fn: () => unknown,
): E {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ErrorClass);
    expect((error as E).code).toBe(code);
    return error as E;
  }
  throw new Error(`expected a ${code} refusal`);
}
