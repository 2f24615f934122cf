import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { vi } from "vitest";
import { run } from "../cli/main.ts";
import { PACKAGE_ROOT } from "../platform/config.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `buzon <args>` inside the test process: the same `run` the binary calls (so the same
 * exit codes and Spanish messages), without paying a Node start and a module load per call.
 * The environment is the test's plus `env`, for the duration of the call only.
 */
export async function buzonInProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    const { stdout, stderr } = await capturingOutput(() => run(args));
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.exitCode = previousExitCode;
    vi.unstubAllEnvs();
  }
}

/** What `fn` writes to stdout and stderr while it runs (it throws what `fn` throws). */
export async function capturingOutput<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const capture = (sink: (text: string) => void) =>
    ((chunk: string | Uint8Array) => {
      sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stdout.write;
  const out = vi.spyOn(process.stdout, "write").mockImplementation(
    capture((text) => {
      stdout += text;
    }),
  );
  const err = vi.spyOn(process.stderr, "write").mockImplementation(
    capture((text) => {
      stderr += text;
    }),
  );
  try {
    const value = await fn();
    return { value, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const runFile = promisify(execFile);

/** Runs the real `bin/buzon.js` in a child process, as a user or a script would (slower). */
export async function buzonProcess(
  args: string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await runFile(
      process.execPath,
      [join(PACKAGE_ROOT, "bin/buzon.js"), ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
