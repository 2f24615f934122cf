import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { AppError } from "../domain/errors.ts";
import { createReminderCampaign, listNotifiablePorEstrados } from "../features/padron/campaign.ts";
import { createPadronImporter, type ImportCounts } from "../features/padron/import.ts";
import { systemClock } from "../platform/clock.ts";
import { loadConfig } from "../platform/config.ts";
import {
  type DatabaseHandle,
  databaseTargetOf,
  ensureSchemaReady,
  openDatabase,
} from "../platform/db/database.ts";
import { type ArgsParser, noPositionals, UsageError } from "./usage.ts";

/**
 * `buzon padron importar <archivo.csv>`: loads the Institute's padrón (docs/padron.md). Progress
 * goes to stderr, the report to stdout; the exit code is 0 when every row was accepted, 1 when
 * some were refused (the others are imported), 2 when the file cannot be read as a padrón.
 */
export async function padronCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "recordatorio") return reminderCommand(rest, parse, given);
  if (sub === "estrados") return estradosCommand(rest, parse, given);
  if (sub !== "importar") {
    throw new UsageError(
      "Use «buzon padron importar <archivo.csv>», «buzon padron estrados» o «buzon padron recordatorio [--campana N]».",
    );
  }
  const { positionals } = parse(rest, {});
  if (positionals.length !== 1) {
    throw new UsageError("Indique un solo archivo: «buzon padron importar <archivo.csv>».");
  }
  const file = positionals[0]!;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`No existe el archivo ${file}.`);
  const config = given ? undefined : loadConfig();
  const database = given ?? openDatabase(databaseTargetOf(config!));
  try {
    // With the roles apart it never migrates: it refuses pending migrations, like serve.
    await ensureSchemaReady(database, config?.databaseServingRole);
    const importPadron = createPadronImporter({ db: database.db, clock: systemClock });
    const tty = process.stderr.isTTY === true;
    const report = await importPadron(createReadStream(file), {
      fileName: basename(file),
      actor: `linea de comandos (${process.env.USER ?? "desconocido"})`,
      onProgress: (counts) => {
        process.stderr.write(`${tty ? "\r" : ""}${progressLine(counts)}${tty ? "" : "\n"}`);
      },
    }).catch((error: unknown) => {
      // A file that cannot be read as a padrón is bad input: exit code 2, like bad usage.
      if (error instanceof AppError && error.code === "validation") {
        throw new UsageError(error.detail, { cause: error });
      }
      throw error;
    });
    if (tty) process.stderr.write("\n");
    const out = process.stdout;
    out.write(`Importación ${report.id} de ${report.fileName} (SHA-256 ${report.sha256})\n`);
    out.write(`${progressLine(report)}\n`);
    for (const w of report.warnings) out.write(`Aviso, línea ${w.line} (${w.rfc}): ${w.warning}\n`);
    for (const r of report.refusals) {
      out.write(`Rechazada, línea ${r.line}${r.rfc ? ` (${r.rfc})` : ""}: ${r.reason}\n`);
    }
    if (report.refusalsNotListed > 0) {
      out.write(`… y ${report.refusalsNotListed} filas rechazadas más que no se listan.\n`);
    }
    return report.refused > 0 ? 1 : 0;
  } finally {
    if (!given) await database.close();
  }
}

function progressLine(c: ImportCounts): string {
  return `Filas leídas: ${c.rowsRead}; nuevas: ${c.inserted}; actualizadas: ${c.updated}; sin cambios: ${c.unchanged}; rechazadas: ${c.refused}.`;
}

/**
 * `buzon padron recordatorio [--campana N]`: the reminder campaign to the e-mails on file of
 * those not enabled (docs/padron.md). Re-running a campaign enqueues only what it lacks.
 */
async function reminderCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const { values, positionals } = parse(args, { campana: { type: "string" } });
  noPositionals(positionals);
  const config = loadConfig();
  const database = given ?? openDatabase(databaseTargetOf(config));
  try {
    await ensureSchemaReady(database, given ? undefined : config.databaseServingRole);
    const run = createReminderCampaign({
      db: database.db,
      clock: systemClock,
      publicUrl: config.publicUrl,
    });
    const report = await run({
      campaign: values.campana,
      onProgress: (p) =>
        process.stderr.write(
          `Destinatarios: ${p.recipients}; encolados: ${p.enqueued}; ya encolados antes: ${p.alreadyEnqueued}.\n`,
        ),
    }).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "validation") {
        throw new UsageError(error.detail, { cause: error });
      }
      throw error;
    });
    process.stdout.write(
      `Campaña ${report.campaign} («Cumple con tu obligación de activar el Buzón IMSS»), plazo del transitorio primero: ${report.deadline}.\n` +
        `Destinatarios: ${report.recipients}; encolados: ${report.enqueued}; ya encolados antes: ${report.alreadyEnqueued}; sin correo en registros: ${report.withoutEmail}.\n`,
    );
    return 0;
  } finally {
    if (!given) await database.close();
  }
}

/** `buzon padron estrados`: the particulars notifiable por estrados, one per line. */
async function estradosCommand(
  args: string[],
  parse: ArgsParser,
  given?: DatabaseHandle,
): Promise<number> {
  const { positionals } = parse(args, {});
  noPositionals(positionals);
  const config = given ? undefined : loadConfig();
  const database = given ?? openDatabase(databaseTargetOf(config!));
  try {
    await ensureSchemaReady(database, config?.databaseServingRole);
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const page = await listNotifiablePorEstrados(database.db, { after, limit: 5000 });
      total = page.total;
      for (const e of page.items) {
        process.stdout.write(`${e.rfc}\t${e.persona}\t${e.emailOnFile ?? "-"}\t${e.name}\n`);
      }
      if (page.items.length < 5000) break;
      after = page.items.at(-1)!.rfc;
    }
    process.stderr.write(
      `${total} particulares sin buzón habilitado: notificables por estrados (Lineamientos 7.8; CFF art. 134-III).\n`,
    );
    return 0;
  } finally {
    if (!given) await database.close();
  }
}
