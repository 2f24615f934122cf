import { Buffer } from "node:buffer";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { AppError, CodedError } from "../../domain/errors.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { Db } from "../../platform/db/schema.ts";
import { loteStop } from "../../platform/lote-stop.ts";
import type { DepositHooks, DepositInput, Depositor } from "./deposit.ts";
import type { Deposited } from "./schemas.ts";

/**
 * Many deposits at once (issue 11 §1, batch): `buzon notificar --lote` and
 * POST /api/v1/notificaciones/lote. Each item goes through the one deposit of the service (the
 * same checks and idempotency as POST /api/v1/notificaciones, which is a chunk of one): the
 * batch cuts the items into chunks, each deposited with one transaction, each item's outcome
 * independent, reported in input order.
 */

/** One item's outcome, as the report and the API's `results` say it. */
export type BatchOutcome =
  | {
      index: number;
      /** The CSV line (1 is the header), when the batch came from a file. */
      line?: number;
      idempotencyKey: string;
      /** 201 deposited now, 200 deposited before with this key and content. */
      status: 200 | 201;
      outcome: "depositado" | "ya_depositado";
      id: string;
      state: Deposited["state"];
      depositedAt: string;
      avisoAt: string;
    }
  | {
      index: number;
      line?: number;
      idempotencyKey: string;
      status: number;
      outcome: "rechazado";
      code: string;
      detail: string;
    };

export interface BatchCounts {
  total: number;
  done: number;
  deposited: number;
  alreadyDeposited: number;
  refused: number;
}

export interface BatchItem {
  /** The deposit, or why it could not be formed (a file that cannot be read…). */
  input: DepositInput | CodedError;
  line?: number;
  /** The key to report when the input could not be formed. */
  idempotencyKey?: string;
}

/** A chunk's deposit: each act's answer or refusal, in input order (the service's depositMany). */
type DepositManyFn = (
  inputs: readonly (DepositInput | CodedError)[],
  depositor: Depositor,
  hooks?: DepositHooks,
) => Promise<((Deposited & { created: boolean }) | CodedError)[]>;

/** Acts per chunk: one transaction and a few statements for all of them. */
export const DEFAULT_CHUNK_SIZE = 100;

/** Chunks in flight: the signatures of one are checked while another's transaction runs. */
export const DEFAULT_BATCH_CONCURRENCY = 4;

/** A chunk closes early past this much base64 (large PDFs): bounded memory per chunk. */
const CHUNK_DOCUMENT_CHARS = 64 * 1024 * 1024;

/**
 * Deposits every item in chunks of up to `chunkSize` acts, `concurrency` chunks at a time, and
 * answers each outcome in input order. A refusal (any coded error: the deposit's own, a
 * revocation service down, a store missing) is that item's outcome; an error that is not a
 * refusal is a bug, or the database failing a chunk's transaction, and stops the batch (the
 * chunk's transaction leaves nothing of it written).
 *
 * `beforeChunk` runs before each chunk is formed: the depositor's authority judged again (a
 * session that ended, a token revoked, a role removed while the batch runs), so a refused lote
 * reads no more PDFs. `authority` judges it once more inside each of the chunk's transactions
 * (DepositHooks.authority: the row read FOR SHARE), which is what keeps an act from committing
 * after a revocation that committed first. A refusal of either stops the batch: the chunks
 * already under way finish (each still judged in its own transaction), no other chunk starts,
 * and every item not deposited answers that refusal. The items never formed are described by
 * `describe` (their key and line, without reading their PDFs) when given, else formed.
 */
export async function depositBatch<S>(
  sources: readonly S[],
  form: (source: S) => BatchItem | Promise<BatchItem>,
  depositor: Depositor,
  depositMany: DepositManyFn,
  options: {
    concurrency?: number;
    chunkSize?: number;
    statusOf: (code: string) => number;
    onProgress?: (counts: BatchCounts) => void;
    beforeChunk?: () => Promise<void>;
    authority?: (tx: Db) => Promise<void>;
    describe?: (source: S) => { line?: number; idempotencyKey?: string };
  },
): Promise<{ results: BatchOutcome[]; counts: BatchCounts }> {
  const results: BatchOutcome[] = new Array(sources.length);
  const counts: BatchCounts = {
    total: sources.length,
    done: 0,
    deposited: 0,
    alreadyDeposited: 0,
    refused: 0,
  };
  const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  let next = 0;
  const stop = loteStop();
  const keyOf = (item: BatchItem) =>
    item.input instanceof CodedError ? (item.idempotencyKey ?? "") : item.input.idempotencyKey;
  const refuse = (index: number, item: BatchItem, error: CodedError) => {
    results[index] = {
      index,
      ...(item.line === undefined ? {} : { line: item.line }),
      idempotencyKey: keyOf(item),
      status: options.statusOf(error.code),
      outcome: "rechazado",
      code: error.code,
      detail: error.detail,
    };
    counts.refused++;
    counts.done++;
  };
  const held = stop.hold(options.authority);
  const hooks: DepositHooks | undefined = held && { authority: held };
  const worker = async () => {
    for (;;) {
      if (next >= sources.length || (await stop.before(options.beforeChunk))) return;
      // Formed here, not before: only the PDFs of the chunks in flight are in memory.
      const chunk: { index: number; item: BatchItem }[] = [];
      let chars = 0;
      while (chunk.length < chunkSize && chars < CHUNK_DOCUMENT_CHARS) {
        const index = next++;
        if (index >= sources.length) break;
        const item = await form(sources[index]!);
        chunk.push({ index, item });
        if (!(item.input instanceof CodedError)) chars += item.input.document.length;
      }
      if (chunk.length === 0) return;
      const outcomes = await depositMany(
        chunk.map((c) => c.item.input),
        depositor,
        hooks,
      );
      chunk.forEach(({ index, item }, i) => {
        const done = outcomes[i]!;
        if (done instanceof CodedError) {
          refuse(index, item, done);
          return;
        }
        results[index] = {
          index,
          ...(item.line === undefined ? {} : { line: item.line }),
          idempotencyKey: keyOf(item),
          status: done.created ? 201 : 200,
          outcome: done.created ? "depositado" : "ya_depositado",
          id: done.id,
          state: done.state,
          depositedAt: done.depositedAt,
          avisoAt: done.avisoAt,
        };
        if (done.created) counts.deposited++;
        else counts.alreadyDeposited++;
        counts.done++;
      });
      options.onProgress?.({ ...counts });
    }
  };
  const chunks = Math.ceil(sources.length / chunkSize);
  const n = Math.max(1, Math.min(options.concurrency ?? DEFAULT_BATCH_CONCURRENCY, chunks));
  await Promise.all(Array.from({ length: n }, worker));
  const stopped = stop.reason;
  if (stopped) {
    // Only their key and line: described, or formed one at a time (nothing of them is kept).
    for (let index = next; index < sources.length; index++) {
      const source = sources[index]!;
      const item = options.describe
        ? { input: stopped, ...options.describe(source) }
        : await form(source);
      refuse(index, item, stopped);
    }
    options.onProgress?.({ ...counts });
  }
  return { results, counts };
}

/** The columns of a lote's CSV (the names of POST /api/v1/notificaciones). */
export const LOTE_COLUMNS = [
  "idempotencyKey",
  "rfc",
  "registroPatronal",
  "actType",
  "oficio",
  "issuingUnit",
  "documentName",
  "documento",
  "firma",
] as const;

const REQUIRED_COLUMNS = ["rfc", "actType", "oficio", "issuingUnit", "documento"] as const;

/** The CSV of a lote: the file itself, or `lote.csv` in the directory given. */
export const LOTE_FILE = "lote.csv";

function loteError(detail: string): AppError {
  return new AppError("validation", detail);
}

/**
 * The detached CMS as a file holds it: DER, or PEM («-----BEGIN PKCS7-----» / «CMS»), or the
 * base64 of the DER.
 */
function signatureBytes(file: Buffer): Buffer {
  const text = file.subarray(0, 64).toString("latin1");
  if (text.startsWith("-----BEGIN")) {
    const body = file
      .toString("latin1")
      .replace(/-----(BEGIN|END)[^-]*-----/g, "")
      .replace(/\s+/g, "");
    return Buffer.from(body, "base64");
  }
  // DER begins with a SEQUENCE (0x30); anything else printable is taken as base64.
  if (file[0] !== 0x30 && /^[A-Za-z0-9+/=\s]+$/.test(file.toString("latin1"))) {
    return Buffer.from(file.toString("latin1").replace(/\s+/g, ""), "base64");
  }
  return file;
}

/**
 * A file the lote names, relative to the CSV's directory and inside it (a lote cannot make the
 * command read /etc/shadow or ../../key). A missing or unreadable file is that row's refusal.
 */
export async function readLoteFile(
  root: string,
  name: string,
  what: string,
  maxBytes: number,
): Promise<Buffer> {
  const path = resolve(root, name);
  const inside = relative(root, path);
  if (isAbsolute(name) || inside.startsWith("..") || isAbsolute(inside)) {
    throw loteError(
      `${what} «${name}» debe estar en la carpeta del lote (ruta relativa, sin «..»).`,
    );
  }
  // The name is inside textually; a symbolic link could still lead out of the folder.
  const [realRoot, realPath] = await Promise.all([
    realpath(root).catch(() => root),
    realpath(path).catch(() => undefined),
  ]);
  if (realPath === undefined) {
    throw loteError(`No existe ${what} «${name}» en la carpeta del lote.`);
  }
  const realInside = relative(realRoot, realPath);
  if (realInside.startsWith("..") || isAbsolute(realInside)) {
    throw loteError(
      `${what} «${name}» es un enlace a un archivo fuera de la carpeta del lote: copia el archivo dentro de la carpeta.`,
    );
  }
  const info = await stat(realPath).catch(() => undefined);
  if (!info?.isFile()) throw loteError(`No existe ${what} «${name}» en la carpeta del lote.`);
  if (info.size > maxBytes) {
    throw loteError(
      `${what} «${name}» mide ${info.size.toLocaleString("es-MX")} bytes: el máximo es ${maxBytes.toLocaleString("es-MX")}.`,
    );
  }
  return readFile(realPath);
}

/**
 * Reads a lote: a CSV with a header (LOTE_COLUMNS; `idempotencyKey`, `registroPatronal`,
 * `documentName` and `firma` optional), or a directory holding `lote.csv` and the PDFs with
 * their `.pdf.p7s`. `documento` is the PDF's path relative to the CSV; `firma` defaults to
 * `<documento>.p7s`; `documentName` to the PDF's file name. The idempotency key defaults to a
 * hash of the row's fields and of both files' bytes, so running the same lote again deposits
 * nothing twice and a changed row is a new act. Rows are read lazily (loteItem, as the batch
 * reaches them); a row that cannot be formed is reported, not fatal.
 */
export async function readLote(
  path: string,
  options: { maxDocumentBytes: number },
): Promise<{ csv: string; rows: LoteRow[] }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw loteError(`No existe ${path}.`);
  const csv = info.isDirectory() ? join(path, LOTE_FILE) : path;
  const text = await readFile(csv, "utf8").catch(() => {
    throw loteError(
      info.isDirectory()
        ? `La carpeta ${path} no tiene ${LOTE_FILE} (una fila por acto: ${LOTE_COLUMNS.join(",")}).`
        : `No se pudo leer ${csv}.`,
    );
  });
  let records: string[][];
  try {
    records = parseCsv(text.replace(/^\uFEFF/, ""), {
      skip_empty_lines: true,
      relax_column_count: false,
      trim: true,
    }) as string[][];
  } catch (error) {
    throw loteError(`${csv} no es un CSV válido: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw loteError(`${csv} está vacío.`);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !(LOTE_COLUMNS as readonly string[]).includes(c));
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (unknown.length > 0 || missing.length > 0) {
    throw loteError(
      `El encabezado de ${csv} debe tener las columnas ${LOTE_COLUMNS.join(",")} (opcionales: idempotencyKey, registroPatronal, documentName, firma)${missing.length ? `; faltan: ${missing.join(", ")}` : ""}${unknown.length ? `; desconocidas: ${unknown.join(", ")}` : ""}.`,
    );
  }
  const root = dirname(resolve(csv));
  const rows = body.map((record, i): LoteRow => {
    const field = (name: (typeof LOTE_COLUMNS)[number]) => {
      const at = columns.indexOf(name);
      return at < 0 ? "" : (record[at] ?? "").trim();
    };
    return {
      line: i + 2,
      idempotencyKey: field("idempotencyKey"),
      rfc: field("rfc"),
      registroPatronal: field("registroPatronal"),
      actType: field("actType"),
      oficio: field("oficio"),
      issuingUnit: field("issuingUnit"),
      documentName: field("documentName"),
      documento: field("documento"),
      firma: field("firma"),
      root,
      maxDocumentBytes: options.maxDocumentBytes,
    };
  });
  return { csv, rows };
}

export interface LoteRow {
  line: number;
  idempotencyKey: string;
  rfc: string;
  registroPatronal: string;
  actType: string;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  documento: string;
  firma: string;
  root: string;
  maxDocumentBytes: number;
}

/** A row as the deposit takes it, its files read and its default key computed. */
export async function loteItem(row: LoteRow): Promise<BatchItem> {
  const key = row.idempotencyKey;
  try {
    if (row.documento === "") throw loteError("Falta «documento» (la ruta del PDF).");
    const pdf = await readLoteFile(row.root, row.documento, "el documento", row.maxDocumentBytes);
    const firma = row.firma || `${row.documento}.p7s`;
    const cms = signatureBytes(await readLoteFile(row.root, firma, "la firma", 1024 * 1024));
    const documentName = row.documentName || basename(row.documento);
    const idempotencyKey =
      key ||
      `lote-${sha256Hex(
        JSON.stringify([
          row.rfc,
          row.registroPatronal,
          row.actType,
          row.oficio,
          row.issuingUnit,
          documentName,
          sha256Hex(pdf),
          sha256Hex(cms),
        ]),
      )}`;
    return {
      line: row.line,
      input: {
        idempotencyKey,
        rfc: row.rfc,
        ...(row.registroPatronal ? { registroPatronal: row.registroPatronal } : {}),
        actType: row.actType,
        oficio: row.oficio,
        issuingUnit: row.issuingUnit,
        documentName,
        document: pdf.toString("base64"),
        signature: cms.toString("base64"),
      },
    };
  } catch (error) {
    if (!(error instanceof CodedError)) throw error;
    return { line: row.line, input: error, idempotencyKey: key };
  }
}

/** The report as CSV: one line per row, in the lote's order. */
export function reportCsv(results: readonly BatchOutcome[]): string {
  const cell = (value: string | number | undefined) => {
    const text = value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = ["linea,idempotencyKey,resultado,id,state,avisoAt,code,detail"];
  for (const r of results) {
    lines.push(
      [
        r.line,
        r.idempotencyKey,
        r.outcome,
        r.outcome === "rechazado" ? "" : r.id,
        r.outcome === "rechazado" ? "" : r.state,
        r.outcome === "rechazado" ? "" : r.avisoAt,
        r.outcome === "rechazado" ? r.code : "",
        r.outcome === "rechazado" ? r.detail : "",
      ]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}
