import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CodedError, type CodedErrorOptions } from "../../domain/errors.ts";

/**
 * PGlite is a single-process engine: two processes writing one data directory corrupt it. A
 * pid file keeps a second `buzon serve` or `buzon migrate` out while one runs; a stale file
 * from a process that died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, "buzon.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirInUseError(
          `La base de datos embebida en ${dataDir} está en uso por el proceso ${holder}; detenga ese proceso o use otro DATA_DIR.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirInUseError(`No se pudo reservar la base de datos embebida en ${dataDir}.`);
}

/** Another process holds the embedded database. */
export class DataDirInUseError extends CodedError<"data_dir_in_use"> {
  constructor(detail: string, options?: CodedErrorOptions) {
    super("data_dir_in_use", detail, options);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
