import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { AppError } from "../domain/errors.ts";
import type { EvidencePackager } from "../features/notificaciones/evidence-zip.ts";
import type { NotificacionService } from "../features/notificaciones/service.ts";
import { loadConfig } from "../platform/config.ts";
import { databaseTargetOf, openDatabase } from "../platform/db/database.ts";
import type { Db } from "../platform/db/schema.ts";
import { loggerOptions } from "../platform/log.ts";
import { buildSystem } from "../system.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/** The parts of the system the notification commands use. */
export interface NotificationCommandSystem {
  notificaciones: NotificacionService;
  evidencePackages: EvidencePackager;
  /** `within`: a transaction writing in the person's name; the row read FOR SHARE in it. */
  staff: { roleOf(rfc: string, within?: Db): Promise<string | undefined> };
  /** NOTIFICACION_MAX_BYTES. */
  maxDocumentBytes: number;
}

/**
 * Runs `work` with the configured system (DATABASE_URL / DATA_DIR, the blob store, the seal and
 * log key, as `buzon serve` composes them) without serving HTTP or running jobs, or with the
 * one given (the tests). The system's log goes to stderr, errors only: its start-up warnings
 * (no SMTP, no SMS gateway) are the server's business, not this command's.
 */
export async function withSystem<T>(
  given: NotificationCommandSystem | undefined,
  work: (system: NotificationCommandSystem) => Promise<T>,
): Promise<T> {
  if (given) return work(given);
  const config = loadConfig();
  const database = openDatabase(databaseTargetOf(config));
  let system: Awaited<ReturnType<typeof buildSystem>>;
  try {
    system = await buildSystem({
      config,
      database,
      logger: loggerOptions({ logLevel: "error" }, process.stderr),
      worker: false,
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  try {
    return await work({ ...system, maxDocumentBytes: config.notificacionMaxBytes });
  } finally {
    // Closing the app waits for acuses in flight and closes the database.
    await system.app.close();
  }
}

/**
 * `buzon evidencia <folio | id del acto> [--salida archivo.zip]`: the evidence package of an act
 * (docs/notificaciones.md): a ZIP with the signed document, its CMS, every acuse, the timeline,
 * the aviso's addresses and outcomes, the calendars, the log's checkpoint and proofs and a
 * LEEME.txt. Exit 0 written, 1 no such act, 2 bad usage (or a file already there: never
 * overwritten).
 */
export async function evidenciaCommand(
  args: string[],
  parse: ArgsParser,
  given?: NotificationCommandSystem,
): Promise<number> {
  const { values, positionals } = parse(args, { salida: { type: "string" } });
  const [reference, ...extra] = positionals;
  if (reference === undefined) {
    throw new UsageError(
      "Indique el folio de un acuse del acto o su identificador: buzon evidencia <folio | id> [--salida archivo.zip].",
    );
  }
  if (extra.length > 0) throw new UsageError(`Argumento inesperado: «${extra[0]}».`);
  return withSystem(given, async (system) => {
    let zip: Awaited<ReturnType<EvidencePackager["packageOf"]>>;
    try {
      zip = await system.evidencePackages.packageOf(reference, {
        via: "linea_de_comandos",
        by: `linea de comandos (${process.env.USER ?? "desconocido"})`,
      });
    } catch (error) {
      if (error instanceof AppError && error.code === "not_found") {
        process.stderr.write(`${error.detail}\n`);
        return 1;
      }
      throw error;
    }
    const out = values.salida ?? zip.fileName;
    try {
      await writeFile(out, zip.bytes, { flag: "wx" });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new UsageError(
        code === "EEXIST"
          ? `${out} ya existe: no se sobrescribe. Indique otro con --salida.`
          : `No se pudo escribir ${out}.`,
        { cause: error },
      );
    }
    const sha256 = createHash("sha256").update(zip.bytes).digest("hex");
    process.stdout.write(
      `Paquete de evidencia del acto ${zip.actId}: ${out} (${zip.bytes.byteLength.toLocaleString("es-MX")} bytes, ${zip.entries.length} archivos)\nSHA-256 ${sha256}\nVea LEEME.txt dentro del paquete para verificar cada archivo.\n`,
    );
    return 0;
  });
}
