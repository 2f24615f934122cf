import { writeFile } from "node:fs/promises";
import { AppError } from "../domain/errors.ts";
import { parseRfc } from "../domain/identifiers/rfc.ts";
import {
  type BatchCounts,
  DEFAULT_BATCH_CONCURRENCY,
  depositBatch,
  loteItem,
  readLote,
  reportCsv,
} from "../features/notificaciones/batch.ts";
import { SIGNING_ROLES } from "../features/notificaciones/deposit.ts";
import type { Db, StaffRole } from "../platform/db/schema.ts";
import { isProblemCode, PROBLEMS } from "../platform/http/errors.ts";
import { type NotificationCommandSystem, withSystem } from "./evidencia-command.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

/**
 * `buzon notificar --lote <carpeta | archivo.csv> --depositante RFC [--informe archivo.csv|.json]
 * [--concurrencia N]`: deposits every act of a lote through the service's one deposit, by
 * chunks (the checks and idempotency of POST /api/v1/notificaciones; N chunks at a time, 4 by
 * default). Progress goes to stderr;
 * the report (one line per row: the act's id, state and aviso instant, or the refusal's code and
 * Spanish reason) to the file given, else to stdout as CSV. Running it again deposits nothing
 * twice (each row's key). Exit 0 all deposited, 1 some refused, 2 the lote cannot be read.
 */
export async function notificarCommand(
  args: string[],
  parse: ArgsParser,
  given?: NotificationCommandSystem,
): Promise<number> {
  const { values, positionals } = parse(args, {
    lote: { type: "string" },
    depositante: { type: "string" },
    informe: { type: "string" },
    concurrencia: { type: "string" },
  });
  noPositionals(positionals);
  if (!values.lote) {
    throw new UsageError(
      "Indique el lote: buzon notificar --lote <carpeta | archivo.csv> --depositante RFC [--informe archivo.csv|.json].",
    );
  }
  if (!values.depositante) {
    throw new UsageError(
      "Falta --depositante RFC: la persona servidora pública (notificador o administrador) que deposita el lote.",
    );
  }
  let depositante: string;
  try {
    depositante = parseRfc(values.depositante, { context: "certificate" }).value;
  } catch {
    throw new UsageError(`--depositante: «${values.depositante}» no es un RFC.`);
  }
  const concurrency =
    values.concurrencia === undefined ? DEFAULT_BATCH_CONCURRENCY : Number(values.concurrencia);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError("--concurrencia debe ser un entero entre 1 y 64.");
  }
  const informe = values.informe;
  if (informe !== undefined && !/\.(csv|json)$/i.test(informe)) {
    throw new UsageError("--informe debe terminar en .csv o .json (el formato del informe).");
  }
  const lotePath = values.lote;

  return withSystem(given, async (system) => {
    const mayDeposit = async (within?: Db) => {
      const role = (await system.staff.roleOf(depositante, within)) as StaffRole | undefined;
      return role !== undefined && SIGNING_ROLES.includes(role);
    };
    if (!(await mayDeposit())) {
      throw new UsageError(
        `${depositante} no es personal activo con rol notificador o administrador: no puede depositar actos (buzon personal agregar --rfc … --rol notificador).`,
      );
    }
    const lote = await readLote(lotePath, { maxDocumentBytes: system.maxDocumentBytes }).catch(
      (error: unknown) => {
        if (error instanceof AppError && error.code === "validation") {
          throw new UsageError(error.detail, { cause: error });
        }
        throw error;
      },
    );
    const noLongerDepositor = () =>
      new AppError(
        "forbidden",
        `${depositante} dejó de ser personal activo con rol notificador o administrador mientras se depositaba el lote: esta fila no se depositó. Con un depositante que tenga el rol, ejecuta el lote otra vez: las filas ya depositadas no se repiten (misma clave de idempotencia).`,
      );
    const tty = process.stderr.isTTY === true;
    let last = 0;
    const { results, counts } = await depositBatch(
      lote.rows,
      loteItem,
      { rfc: depositante, via: "linea_de_comandos" },
      (inputs, depositor, hooks) => system.notificaciones.depositMany(inputs, depositor, hooks),
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
        // A lote of thousands runs for a while: one given de baja, or moved to another role,
        // meanwhile deposits no more in their name (as the API's lote re-checks its session).
        // Before each chunk (no PDF read for a refused one), and within each of its
        // transactions, the row read FOR SHARE: a baja committed first refuses the chunk, one
        // issued meanwhile waits for it.
        beforeChunk: async () => {
          if (!(await mayDeposit())) throw noLongerDepositor();
        },
        authority: async (tx) => {
          if (!(await mayDeposit(tx))) throw noLongerDepositor();
        },
        describe: (row) => ({
          line: row.line,
          ...(row.idempotencyKey ? { idempotencyKey: row.idempotencyKey } : {}),
        }),
      },
    );
    if (tty && counts.total > 0) process.stderr.write("\n");
    const report = informe?.toLowerCase().endsWith(".json")
      ? `${JSON.stringify({ lote: lote.csv, depositante, ...counts, results }, null, 2)}\n`
      : reportCsv(results);
    if (informe) {
      await writeFile(informe, report);
      process.stderr.write(`Informe: ${informe}\n`);
    } else {
      process.stdout.write(report);
    }
    process.stderr.write(`${progressLine(counts)}\n`);
    for (const r of results) {
      if (r.outcome === "rechazado") {
        process.stderr.write(`Rechazada, línea ${r.line}: ${r.code}: ${r.detail}\n`);
      }
    }
    return counts.refused > 0 ? 1 : 0;
  });
}

function progressLine(c: BatchCounts): string {
  return `Actos: ${c.done} de ${c.total}; depositados: ${c.deposited}; ya depositados antes: ${c.alreadyDeposited}; rechazados: ${c.refused}.`;
}
