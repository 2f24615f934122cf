import { readFile, stat } from "node:fs/promises";
import { MAX_TERMS_BYTES } from "../domain/terms/terms.ts";
import { publishTerms } from "../features/terminos/service.ts";
import { createTermsStore } from "../features/terminos/store.ts";
import { systemClock } from "../platform/clock.ts";
import type { DatabaseHandle } from "../platform/db/database.ts";
import { readyDatabase } from "./personal-command.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/**
 * `buzon terminos publicar <archivo> --nota N | listar`: the versions of the Términos y
 * Condiciones. Publishing makes the file's exact text (UTF-8) the next version, in force at once:
 * every mailbox must sign it before it is used again. The database is the configured one unless
 * one is given (the tests give an already open one, left open).
 */
export async function termsCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { nota: { type: "string" } });
  if (sub !== "publicar" && sub !== "listar") {
    throw new UsageError("Use «terminos publicar <archivo> --nota N» o «terminos listar».");
  }
  if (sub === "listar" && (positionals.length > 0 || values.nota !== undefined)) {
    throw new UsageError("«terminos listar» no lleva argumentos.");
  }
  let text = "";
  if (sub === "publicar") {
    const [file, extra] = positionals;
    if (!file) throw new UsageError("Falta el archivo con el texto de la versión nueva.");
    if (extra !== undefined) throw new UsageError(`Argumento inesperado: «${extra}».`);
    if (!values.nota?.trim()) throw new UsageError("Falta la opción obligatoria --nota (motivo).");
    text = await readTermsFile(file);
  }
  // With the roles apart (MIGRATION_DATABASE_URL) it never migrates, like `buzon personal`.
  const database = await readyDatabase(given);
  try {
    if (sub === "listar") {
      const versions = await createTermsStore(database.db).list();
      for (const v of versions) {
        process.stdout.write(
          `${v.version}\t${v.published_at.toISOString()}\t${v.sha256}\t${v.bytes} bytes\t${v.note}\n`,
        );
      }
      if (versions.length === 0) process.stdout.write("No hay versiones publicadas.\n");
      return 0;
    }
    const published = await publishTerms(database.db, systemClock, text, {
      by: `linea de comandos (${process.env.USER ?? "desconocido"})`,
      note: values.nota?.trim() ?? "",
    });
    process.stdout.write(
      `Publicada la versión ${published.version} de los Términos y Condiciones (SHA-256 ${published.sha256}, ${published.bytes} bytes). Cada buzón deberá firmarla antes de volver a usarse.\n`,
    );
    return 0;
  } finally {
    if (!given) await database.close();
  }
}

/** The file's exact text; a byte-order mark, as some editors save, is not part of it. */
async function readTermsFile(file: string): Promise<string> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UsageError(`${file} no es un archivo.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`No existe el archivo ${file}.`);
  }
  if (size > MAX_TERMS_BYTES) {
    throw new UsageError(`${file} excede ${MAX_TERMS_BYTES / 1024} KiB.`);
  }
  try {
    // ignoreBOM false: a byte-order mark is dropped, not kept as part of the text.
    return new TextDecoder("utf-8", { fatal: true }).decode(await readFile(file));
  } catch {
    throw new UsageError(`${file} no es texto UTF-8 válido.`);
  }
}
