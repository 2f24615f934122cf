import { stat } from "node:fs/promises";
import { ConfigError } from "../config.ts";

/**
 * Refuses a private key file that its group or other users may read or write: whoever reads the
 * seal's key can seal acuses, whoever reads the log key can sign checkpoints. Like ssh with an
 * identity file, the server will not start on one.
 */
export async function refuseKeyFileOpenToOthers(file: string, variable: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch {
    throw new ConfigError(`No se pudo leer ${variable}: ${file}.`);
  }
  if ((mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(3, "0");
    throw new ConfigError(
      `${variable} (${file}) tiene permisos ${octal}: otros usuarios pueden leer la llave. Quite los permisos de grupo y de otros (chmod 600 ${file}).`,
    );
  }
}
