import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { AppError, CodedError } from "../../domain/errors.ts";
import type { Db } from "../../platform/db/schema.ts";
import { loteStop } from "../../platform/lote-stop.ts";
import { readLoteFile } from "../notificaciones/batch.ts";
import type { Published, Publisher, PublishInput } from "./service.ts";

/**
 * Publishing many documents at once (issue 12 §2): `buzon documentos publicar --lote` and
 * POST /api/v1/staff/documentos/lote. Each item goes through the service's one publish (the
 * same checks and idempotency); a lote is a loop with bounded concurrency, each item's outcome
 * independent, reported in input order: published, already published, or refused with its code
 * and Spanish reason.
 */

export type LoteOutcome =
  | {
      index: number;
      /** The CSV line (1 is the header), when the lote came from a file. */
      line?: number;
      status: 200 | 201;
      outcome: "publicado" | "ya_publicado";
      id: string;
      sha256: string;
      publishedAt: string;
    }
  | {
      index: number;
      line?: number;
      status: number;
      outcome: "rechazado";
      code: string;
      detail: string;
    };

export interface LoteCounts {
  total: number;
  done: number;
  published: number;
  alreadyPublished: number;
  refused: number;
}

export interface LoteItem {
  input: PublishInput | CodedError;
  line?: number;
}

export const DEFAULT_LOTE_CONCURRENCY = 4;

/**
 * Publishes every item, `concurrency` at a time; a refusal (any coded error) is that item's
 * outcome, anything else is a bug and stops the lote.
 *
 * `beforePublish` runs before each publication: the publisher's authority judged again (a
 * session that ended, a token revoked, a role removed while the lote runs), before its PDF is
 * read. `authority` judges it once more inside the publication's transaction (the row read FOR
 * SHARE: no document commits after a revocation that committed first). A refusal of either
 * stops the lote: the publications under way finish (each judged in its own transaction), no
 * other starts, and every item not published answers that refusal. The items never formed are
 * described by `describe` (their line, without reading their PDFs) when given, else formed.
 */
export async function publishLote<S>(
  sources: readonly S[],
  form: (source: S) => LoteItem | Promise<LoteItem>,
  publish: (
    input: PublishInput,
    publisher: Publisher,
    hooks?: { authority?: (tx: Db) => Promise<void> },
  ) => Promise<Published>,
  publisher: Publisher,
  options: {
    concurrency?: number;
    statusOf: (code: string) => number;
    onProgress?: (counts: LoteCounts) => void;
    beforePublish?: () => Promise<void>;
    authority?: (tx: Db) => Promise<void>;
    describe?: (source: S) => { line?: number };
  },
): Promise<{ results: LoteOutcome[]; counts: LoteCounts }> {
  const results: LoteOutcome[] = new Array(sources.length);
  const counts: LoteCounts = {
    total: sources.length,
    done: 0,
    published: 0,
    alreadyPublished: 0,
    refused: 0,
  };
  let next = 0;
  const stop = loteStop();
  const refuse = (index: number, item: LoteItem, error: CodedError) => {
    results[index] = {
      index,
      ...(item.line === undefined ? {} : { line: item.line }),
      status: options.statusOf(error.code),
      outcome: "rechazado",
      code: error.code,
      detail: error.detail,
    };
    counts.refused++;
  };
  const held = stop.hold(options.authority);
  const hooks = held && { authority: held };
  const worker = async () => {
    for (;;) {
      if (next >= sources.length || (await stop.before(options.beforePublish))) return;
      const index = next++;
      if (index >= sources.length) return;
      // Formed here, not before: one PDF in memory per publication in flight.
      const item = await form(sources[index]!);
      const at = item.line === undefined ? {} : { line: item.line };
      try {
        if (item.input instanceof CodedError) throw item.input;
        const done = await publish(item.input, publisher, hooks);
        results[index] = {
          index,
          ...at,
          status: done.created ? 201 : 200,
          outcome: done.created ? "publicado" : "ya_publicado",
          id: done.id,
          sha256: done.sha256,
          publishedAt: done.publishedAt,
        };
        if (done.created) counts.published++;
        else counts.alreadyPublished++;
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        refuse(index, item, error);
      }
      counts.done++;
      options.onProgress?.({ ...counts });
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? DEFAULT_LOTE_CONCURRENCY, sources.length));
  await Promise.all(Array.from({ length: n }, worker));
  const stopped = stop.reason;
  if (stopped) {
    // Only their line: described, or formed one at a time (nothing of them is kept).
    for (let index = next; index < sources.length; index++) {
      const source = sources[index]!;
      const item = options.describe
        ? { input: stopped, ...options.describe(source) }
        : await form(source);
      refuse(index, item, stopped);
      counts.done++;
    }
    options.onProgress?.({ ...counts });
  }
  return { results, counts };
}

/** The columns of a lote's CSV. `registroPatronal` and `fileName` may be empty or absent. */
export const DOCUMENTO_LOTE_COLUMNS = [
  "rfc",
  "kind",
  "period",
  "registroPatronal",
  "archivo",
  "fileName",
] as const;
const REQUIRED = ["rfc", "kind", "period", "archivo"] as const;
export const DOCUMENTO_LOTE_FILE = "lote.csv";

export interface DocumentoLoteRow {
  line: number;
  rfc: string;
  kind: string;
  period: string;
  registroPatronal: string;
  archivo: string;
  fileName: string;
  root: string;
  maxBytes: number;
  /** The number of cells, when it is not the header's. */
  malformed?: number;
  /** A PDF of a folder without lote.csv whose name does not say whose it is. */
  unnamed?: boolean;
}

function loteError(detail: string): AppError {
  return new AppError("validation", detail);
}

/**
 * Reads a lote: a CSV with a header (DOCUMENTO_LOTE_COLUMNS), or a directory holding `lote.csv`
 * and the PDFs it names (`archivo`, relative to the CSV and inside its folder). Without
 * `lote.csv`, a directory of PDFs named `<RFC>_<kind>_<period>[_<registro>].pdf` is a lote too.
 * Files are read lazily, as the lote reaches each row; a row that cannot be formed is reported.
 */
export async function readDocumentoLote(
  path: string,
  options: { maxBytes: number },
): Promise<{ source: string; rows: DocumentoLoteRow[] }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw loteError(`No existe ${path}.`);
  if (info.isDirectory()) {
    const csv = join(path, DOCUMENTO_LOTE_FILE);
    const hasCsv = await stat(csv).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!hasCsv) return { source: path, rows: await rowsFromNames(path, options.maxBytes) };
    return { source: csv, rows: await rowsFromCsv(csv, options.maxBytes) };
  }
  return { source: path, rows: await rowsFromCsv(path, options.maxBytes) };
}

async function rowsFromCsv(csv: string, maxBytes: number): Promise<DocumentoLoteRow[]> {
  const text = await readFile(csv, "utf8").catch(() => {
    throw loteError(`No se pudo leer ${csv}.`);
  });
  let records: string[][];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ""), {
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw loteError(`${csv} no es un CSV válido: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw loteError(`${csv} está vacío.`);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !(DOCUMENTO_LOTE_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    throw loteError(
      `El encabezado de ${csv} debe tener las columnas ${DOCUMENTO_LOTE_COLUMNS.join(",")} (opcionales: registroPatronal, fileName)${missing.length ? `; faltan: ${missing.join(", ")}` : ""}${unknown.length ? `; desconocidas: ${unknown.join(", ")}` : ""}.`,
    );
  }
  const root = dirname(resolve(csv));
  return body.map((record, i) => {
    const field = (name: (typeof DOCUMENTO_LOTE_COLUMNS)[number]) => {
      const at = columns.indexOf(name);
      return at < 0 ? "" : (record[at] ?? "").trim();
    };
    return {
      // A row with another number of cells than the header is reported, not guessed at.
      line: i + 2,
      rfc: record.length === columns.length ? field("rfc") : "",
      kind: field("kind"),
      period: field("period"),
      registroPatronal: field("registroPatronal"),
      archivo: record.length === columns.length ? field("archivo") : "",
      fileName: field("fileName"),
      root,
      maxBytes,
      ...(record.length === columns.length ? {} : { malformed: record.length }),
    };
  });
}

/** `<RFC>_<kind>_<period>[_<registro>].pdf`: the name carries the row. */
const NAME =
  /^([A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3})_([a-z0-9_]+?)_(\d{4}-\d{2}(?:-\d{2})?)(?:_([A-Z]\d{10}))?\.pdf$/i;

async function rowsFromNames(dir: string, maxBytes: number): Promise<DocumentoLoteRow[]> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith(".pdf")).sort();
  if (names.length === 0) {
    throw loteError(
      `La carpeta ${dir} no tiene ${DOCUMENTO_LOTE_FILE} ni PDFs nombrados <RFC>_<tipo>_<periodo>[_<registro>].pdf.`,
    );
  }
  const root = resolve(dir);
  return names.map((name, i) => {
    const m = NAME.exec(name);
    return {
      line: i + 1,
      rfc: m?.[1]?.toUpperCase() ?? "",
      kind: m?.[2] ?? "",
      period: m?.[3] ?? "",
      registroPatronal: m?.[4]?.toUpperCase() ?? "",
      archivo: name,
      fileName: "",
      root,
      maxBytes,
      ...(m ? {} : { unnamed: true }),
    };
  });
}

/** A row as the publication takes it, its PDF read. */
export async function documentoLoteItem(row: DocumentoLoteRow): Promise<LoteItem> {
  try {
    if (row.malformed !== undefined) {
      throw loteError(`La fila tiene ${row.malformed} columnas; el encabezado, otro número.`);
    }
    if (row.unnamed) {
      throw loteError(
        `«${row.archivo}» no se llama <RFC>_<tipo>_<periodo>[_<registro>].pdf: no se sabe de quién es.`,
      );
    }
    if (row.archivo === "") throw loteError("Falta «archivo» (la ruta del PDF).");
    // One byte over the largest kind's limit: enough for the publication to say it is too big.
    const bytes = await readLoteFile(row.root, row.archivo, "el documento", row.maxBytes);
    return {
      line: row.line,
      input: {
        rfc: row.rfc,
        kind: row.kind,
        period: row.period,
        registroPatronal: row.registroPatronal || undefined,
        fileName: row.fileName || basename(row.archivo),
        document: bytes,
      },
    };
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    return { line: row.line, input: error };
  }
}

/** The report as CSV: one line per row, in the lote's order. */
export function documentoReportCsv(results: readonly LoteOutcome[]): string {
  const cell = (value: string | number | undefined) => {
    const text = value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = ["linea,resultado,id,sha256,code,detail"];
  for (const r of results) {
    lines.push(
      [
        r.line ?? r.index + 1,
        r.outcome,
        r.outcome === "rechazado" ? "" : r.id,
        r.outcome === "rechazado" ? "" : r.sha256,
        r.outcome === "rechazado" ? r.code : "",
        r.outcome === "rechazado" ? r.detail : "",
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
