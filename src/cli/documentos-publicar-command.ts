import { writeFile } from "node:fs/promises";
import { AppError } from "../domain/errors.ts";
import { parseRfc } from "../domain/identifiers/rfc.ts";
import {
  DEFAULT_LOTE_CONCURRENCY,
  documentoLoteItem,
  documentoReportCsv,
  type LoteCounts,
  publishLote,
  readDocumentoLote,
} from "../features/documentos/lote.ts";
import type { DocumentoService } from "../features/documentos/service.ts";
import { loadConfig } from "../platform/config.ts";
import { databaseTargetOf, openDatabase } from "../platform/db/database.ts";
import type { Db } from "../platform/db/schema.ts";
import { isProblemCode, PROBLEMS } from "../platform/http/errors.ts";
import { loggerOptions } from "../platform/log.ts";
import { buildSystem } from "../system.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

/** The parts of the system `buzon documentos publicar` uses. */
export interface DocumentoCommandSystem {
  documentos: DocumentoService;
  /** `within`: a transaction writing in the person's name; the row read FOR SHARE in it. */
  staff: { roleOf(rfc: string, within?: Db): Promise<string | undefined> };
}

/** Who may publish documents: as POST /api/v1/staff/documentos. */
const PUBLISHING_ROLES = ["notificador", "administrador"];

/**
 * `buzon documentos publicar --lote <carpeta | lote.csv> --publicador RFC [--informe F.csv|.json]
 * [--concurrencia N]`: publishes every document of a lote through the service's one publish (its
 * checks and idempotency). Progress to stderr; the report (one line per row: the document's id
 * and SHA-256, or the refusal's code and Spanish reason) to the file given, else to stdout as
 * CSV. Running it again publishes nothing twice. Exit 0 all published (now or before), 1 some
 * refused, 2 the lote cannot be read.
 */
export async function documentosPublicarCommand(
  args: string[],
  parse: ArgsParser,
  given?: DocumentoCommandSystem,
): Promise<number> {
  const { values, positionals } = parse(args, {
    lote: { type: "string" },
    publicador: { type: "string" },
    informe: { type: "string" },
    concurrencia: { type: "string" },
  });
  noPositionals(positionals);
  if (!values.lote) {
    throw new UsageError(
      "Indique el lote: buzon documentos publicar --lote <carpeta | lote.csv> --publicador RFC [--informe archivo.csv|.json].",
    );
  }
  if (!values.publicador) {
    throw new UsageError(
      "Falta --publicador RFC: la persona servidora pública (notificador o administrador) que publica el lote.",
    );
  }
  let publicador: string;
  try {
    publicador = parseRfc(values.publicador, { context: "certificate" }).value;
  } catch {
    throw new UsageError(`--publicador: «${values.publicador}» no es un RFC.`);
  }
  const concurrency =
    values.concurrencia === undefined ? DEFAULT_LOTE_CONCURRENCY : Number(values.concurrencia);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32) {
    throw new UsageError("--concurrencia debe ser un entero entre 1 y 32.");
  }
  const informe = values.informe;
  if (informe !== undefined && !/\.(csv|json)$/i.test(informe)) {
    throw new UsageError("--informe debe terminar en .csv o .json (el formato del informe).");
  }
  const lotePath = values.lote;

  const work = async (system: DocumentoCommandSystem): Promise<number> => {
    const mayPublish = async (within?: Db) => {
      const role = await system.staff.roleOf(publicador, within);
      return role !== undefined && PUBLISHING_ROLES.includes(role);
    };
    if (!(await mayPublish())) {
      throw new UsageError(
        `${publicador} no es personal activo con rol notificador o administrador: no puede publicar documentos (buzon personal agregar --rfc … --rol notificador).`,
      );
    }
    const lote = await readDocumentoLote(lotePath, {
      maxBytes: system.documentos.catalogue().largestBytes,
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "validation") {
        throw new UsageError(error.detail, { cause: error });
      }
      throw error;
    });
    const noLongerPublisher = () =>
      new AppError(
        "forbidden",
        `${publicador} dejó de ser personal activo con rol notificador o administrador mientras se publicaba el lote: esta fila no se publicó. Con un publicador que tenga el rol, ejecuta el lote otra vez: las filas ya publicadas no se repiten.`,
      );
    const tty = process.stderr.isTTY === true;
    let last = 0;
    const { results, counts } = await publishLote(
      lote.rows,
      documentoLoteItem,
      (input, publisher, hooks) => system.documentos.publish(input, publisher, hooks),
      { by: publicador, via: "linea_de_comandos" },
      {
        concurrency,
        statusOf: (code) => (isProblemCode(code) ? PROBLEMS[code].status : 500),
        onProgress: (c) => {
          // At most a line a second off a terminal, every change on one.
          const now = performance.now();
          if (!tty && c.done !== c.total && now - last < 1000) return;
          last = now;
          process.stderr.write(`${tty ? "\r" : ""}${progressLine(c)}${tty ? "" : "\n"}`);
        },
        // A large lote runs for a while: one given de baja, or moved to another role, meanwhile
        // publishes no more in their name (as the API's lote re-checks its session).
        // Before each publication (no PDF read for a refused one), and within its transaction,
        // the row read FOR SHARE: a baja committed first refuses it, one issued meanwhile waits.
        beforePublish: async () => {
          if (!(await mayPublish())) throw noLongerPublisher();
        },
        authority: async (tx) => {
          if (!(await mayPublish(tx))) throw noLongerPublisher();
        },
        describe: (row) => ({ line: row.line }),
      },
    );
    if (tty && counts.total > 0) process.stderr.write("\n");
    const report = informe?.toLowerCase().endsWith(".json")
      ? `${JSON.stringify({ lote: lote.source, publicador, ...counts, results }, null, 2)}\n`
      : documentoReportCsv(results);
    if (informe) {
      await writeFile(informe, report);
      process.stderr.write(`Informe: ${informe}\n`);
    } else {
      process.stdout.write(report);
    }
    process.stderr.write(`${progressLine(counts)}\n`);
    for (const r of results) {
      if (r.outcome === "rechazado") {
        process.stderr.write(`Rechazado, línea ${r.line}: ${r.code}: ${r.detail}\n`);
      }
    }
    return counts.refused > 0 ? 1 : 0;
  };
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
    return await work(system);
  } finally {
    await system.app.close();
  }
}

function progressLine(c: LoteCounts): string {
  return `Documentos: ${c.done} de ${c.total}; publicados: ${c.published}; ya publicados antes: ${c.alreadyPublished}; rechazados: ${c.refused}.`;
}
