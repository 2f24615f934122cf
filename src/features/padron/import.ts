import { createHash, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { AppError } from "../../domain/errors.ts";
import {
  PADRON_COLUMNS,
  type PadronColumn,
  type PadronRecord,
  type PadronRowResult,
  readPadronRow,
  samePadronRecord,
} from "../../domain/padron/entry.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/schema.ts";
import { transactional } from "../../platform/db/unit-of-work.ts";
import {
  createPadronStore,
  type PadronImportRecord,
  type StoredRefusal,
  toPadronEntry,
  toPadronRecord,
} from "./store.ts";

/** Rows written per transaction: big enough for throughput, small enough to hold locks briefly. */
export const IMPORT_BATCH_ROWS = 1000;

/** The report keeps this many refusals; past it, they are only counted (a wrong file, surely). */
export const MAX_REPORTED_REFUSALS = 10_000;

export interface ImportCounts {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  refused: number;
}

export interface ImportReport extends ImportCounts {
  id: string;
  fileName: string;
  sha256: string;
  refusals: StoredRefusal[];
  /** Refusals counted but not listed (past MAX_REPORTED_REFUSALS). */
  refusalsNotListed: number;
  warnings: { line: number; rfc: string; warning: string }[];
}

export interface ImportOptions {
  fileName: string;
  /** Who imports, as the record names them (never a token). */
  actor: string;
  /** Called after each batch commits. */
  onProgress?: (counts: ImportCounts) => void;
}

interface PendingRow {
  line: number;
  record: PadronRecord;
}

/**
 * Imports a padrón CSV (docs/padron.md) from a stream: parsed as it arrives, written in
 * batches of IMPORT_BATCH_ROWS, each batch in one transaction. Idempotent: a row equal to its
 * entry changes nothing, a changed row updates it; RFCs absent from the file are left alone.
 * Every refused row goes to the report with its line and a Spanish reason; the others are
 * imported. A file that is not CSV at all (bad quoting, wrong header) stops the import there:
 * batches already committed stay, and the import's record says how far it went.
 */
export function createPadronImporter(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const now = () => new Date(clock().epochMilliseconds);
  const inTransaction = transactional(db, createPadronStore);

  return async function importPadron(
    source: Readable,
    options: ImportOptions,
  ): Promise<ImportReport> {
    const id = randomUUID();
    const hash = createHash("sha256");
    const counts: ImportCounts = { rowsRead: 0, inserted: 0, updated: 0, unchanged: 0, refused: 0 };
    const refusals: StoredRefusal[] = [];
    const warnings: ImportReport["warnings"] = [];
    let refusalsNotListed = 0;
    const refuse = (line: number, rfc: string | undefined, code: string, reason: string) => {
      counts.refused++;
      if (refusals.length < MAX_REPORTED_REFUSALS) {
        refusals.push({ line, rfc: rfc ?? null, code, reason });
      } else {
        refusalsNotListed++;
      }
    };
    // Where in the file each RFC and registro patronal first appeared.
    const rfcLines = new Map<string, number>();
    const registroOwners = new Map<string, string>();

    await createPadronStore(db).beginImport({
      id,
      fileName: options.fileName,
      sha256: "0".repeat(64),
      actor: options.actor,
      startedAt: now(),
    });

    const writeBatch = async (batch: PendingRow[]) => {
      if (batch.length === 0) return;
      await inTransaction(async (store) => {
        const existing = await store.byRfcs(batch.map((r) => r.record.rfc));
        const holders = await store.holdersOf(batch.flatMap((r) => r.record.registrosPatronales));
        // A registro that a row of this batch releases can be taken by another row of it: the
        // write releases before it takes, in this transaction.
        const listedNow = new Map(batch.map((r) => [r.record.rfc, r.record.registrosPatronales]));
        const toWrite: PadronRecord[] = [];
        let inserted = 0;
        let updated = 0;
        let unchanged = 0;
        for (const { line, record } of batch) {
          const taken = record.registrosPatronales.find((r) => {
            const holder = holders.get(r);
            if (holder === undefined || holder === record.rfc) return false;
            const holderNow = listedNow.get(holder);
            return holderNow === undefined || holderNow.includes(r);
          });
          if (taken) {
            refuse(
              line,
              record.rfc,
              "registro_of_another_rfc",
              `El registro patronal «${taken}» pertenece en el padrón al RFC «${holders.get(taken)}». Para pasarlo a «${record.rfc}», importe antes la fila de «${holders.get(taken)}» sin ese registro.`,
            );
            continue;
          }
          const before = existing.get(record.rfc);
          if (before === undefined) inserted++;
          else if (samePadronRecord(toPadronRecord(before), record)) {
            unchanged++;
            continue;
          } else updated++;
          toWrite.push(record);
        }
        await store.write(toWrite.map(toPadronEntry), id, now());
        counts.inserted += inserted;
        counts.updated += updated;
        counts.unchanged += unchanged;
      });
      options.onProgress?.({ ...counts });
    };

    const parser = parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
    source.on("data", (chunk: Buffer | string) => hash.update(chunk));
    source.on("error", (error) => parser.destroy(error));
    source.pipe(parser);

    let batch: PendingRow[] = [];
    let header = true;
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: string[];
        info: { lines: number };
      }>) {
        const line = info.lines;
        if (header) {
          checkHeader(record);
          header = false;
          continue;
        }
        counts.rowsRead++;
        const result = readRecord(record);
        if (!result.ok) {
          refuse(line, result.rfc, result.refusal.code, result.refusal.reason);
          continue;
        }
        const { entry } = result;
        const firstLine = rfcLines.get(entry.rfc);
        if (firstLine !== undefined) {
          refuse(
            line,
            entry.rfc,
            "duplicate_rfc",
            `El RFC «${entry.rfc}» ya apareció en la línea ${firstLine}; cada RFC va en una sola fila.`,
          );
          continue;
        }
        const repeated = entry.registrosPatronales.find((r) => registroOwners.has(r));
        if (repeated) {
          refuse(
            line,
            entry.rfc,
            "registro_of_another_rfc",
            `El registro patronal «${repeated}» ya aparece en este archivo para el RFC «${registroOwners.get(repeated)}».`,
          );
          continue;
        }
        rfcLines.set(entry.rfc, line);
        for (const r of entry.registrosPatronales) registroOwners.set(r, entry.rfc);
        for (const warning of result.warnings) warnings.push({ line, rfc: entry.rfc, warning });
        batch.push({ line, record: entry });
        if (batch.length >= IMPORT_BATCH_ROWS) {
          await writeBatch(batch);
          batch = [];
        }
      }
      if (header) {
        throw new AppError("validation", "El archivo está vacío: falta el encabezado.", {
          pointer: "archivo",
        });
      }
      await writeBatch(batch);
    } catch (error) {
      source.unpipe(parser);
      source.resume();
      await finish();
      if (error instanceof CsvError) {
        throw new AppError(
          "validation",
          `El archivo no es un CSV válido cerca de la línea ${error.lines ?? "?"}: revise las comillas. Se importaron las filas anteriores a ese punto.`,
          { pointer: "archivo", internal: error.message },
        );
      }
      throw error;
    }
    const sha256 = hash.digest("hex");
    await finish(sha256);
    return {
      id,
      fileName: options.fileName,
      sha256,
      ...counts,
      refusals,
      refusalsNotListed,
      warnings,
    };

    async function finish(sha256?: string) {
      const record: Omit<PadronImportRecord, "id" | "fileName" | "actor" | "startedAt"> = {
        sha256: sha256 ?? "0".repeat(64),
        finishedAt: now(),
        ...counts,
        refusals,
      };
      await createPadronStore(db).finishImport(id, record);
    }
  };
}

export type PadronImporter = ReturnType<typeof createPadronImporter>;

function checkHeader(record: string[]) {
  const names = record.map((c) => c.trim().toLowerCase());
  if (names.length !== PADRON_COLUMNS.length || names.some((n, i) => n !== PADRON_COLUMNS[i])) {
    throw new AppError(
      "validation",
      `La primera línea debe ser el encabezado «${PADRON_COLUMNS.join(",")}»; dice «${record.join(",").slice(0, 120)}».`,
      { pointer: "archivo" },
    );
  }
}

function readRecord(record: string[]): PadronRowResult {
  if (record.length !== PADRON_COLUMNS.length) {
    return {
      ok: false,
      rfc: record[0]?.trim().toUpperCase() || undefined,
      refusal: {
        code: "malformed_row",
        reason: `La fila tiene ${record.length} columnas; deben ser ${PADRON_COLUMNS.length} (${PADRON_COLUMNS.join(", ")}).`,
      },
    };
  }
  const cells = Object.fromEntries(PADRON_COLUMNS.map((c, i) => [c, record[i]!])) as Record<
    PadronColumn,
    string
  >;
  return readPadronRow(cells);
}
