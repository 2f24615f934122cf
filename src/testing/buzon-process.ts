import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../platform/config.ts";

export interface BuzonProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects after `timeoutMs` or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/** Runs the real `buzon` command (bin/buzon.js) in a child process with `env` added. */
export function spawnBuzon(args: string[], env: Record<string, string>): BuzonProcess {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, "bin/buzon.js"), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  let done = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      done = true;
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    output: () => output,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const deadline = Date.now() + timeoutMs;
        const check = () => {
          const match = pattern.exec(output);
          if (match) return resolve(match);
          if (done)
            return reject(new Error(`buzon ${args[0]} terminó antes de ${pattern}:\n${output}`));
          if (Date.now() > deadline) {
            return reject(new Error(`buzon ${args[0]}: no apareció ${pattern}:\n${output}`));
          }
          setTimeout(check, 50);
        };
        check();
      });
    },
  };
}

/** `buzon serve …` started and listening: its address. */
export async function startServe(
  args: string[],
  env: Record<string, string>,
): Promise<BuzonProcess & { url: string }> {
  const proc = spawnBuzon(["serve", ...args], env);
  const match = await proc.waitFor(/Buzón IMSS en (http:\/\/\S+)/);
  return { ...proc, url: match[1]! };
}
