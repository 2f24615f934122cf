/**
 * Reads the files attached to a PDF (its EmbeddedFiles name tree) with Mozilla's PDF.js, and
 * the acuse export (`acuse.json`) that renderAcusePdf attaches to every acuse.
 *
 * PDF.js parses on the thread that calls it, so it runs in a worker thread
 * (read-attachments-worker.ts) with bounded memory, terminated when the time is up: a hostile or
 * broken PDF cannot hold the event loop. It evaluates no code from the file (PDF.js 6 has no
 * eval path at all), loads no system fonts and logs only errors; whatever it prints anyway is
 * kept off the terminal (see `output`). The input is bounded in size before anything is parsed,
 * and so is what parsing may take: a worker's heap limit does not cover the ArrayBuffers into
 * which PDF.js inflates streams (a 500 KB «deflate bomb» grows to gigabytes). So, before any
 * parsing, every Flate stream is inflated with a ceiling on the total ({@link MAX_INFLATED_BYTES});
 * and, for any other way to grow, a watchdog reads the process's resident memory while the
 * thread works and ends it past {@link MAX_READ_MEMORY}. A stopped read is answered only once
 * its thread has exited and its memory is released.
 */
import { Buffer } from "node:buffer";
import { Worker } from "node:worker_threads";
import { inflateSync, constants as zlib } from "node:zlib";
import { CodedError } from "../../domain/errors.ts";
import {
  type AcuseExport,
  AcuseExportError,
  parseAcuseExport,
} from "../../domain/evidence/acuse-export.ts";
import { ACUSE_PDF_FILES } from "./acuse-pdf.ts";
import type { WorkerAnswer, WorkerAttachment } from "./read-attachments-worker.ts";

/** An acuse PDF is about 100 KiB; ten megabytes leaves room for long document lists. */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const PDF_READ_TIMEOUT_MS = 10_000;
/** Memory a read may add to the process before it is stopped (an acuse needs a few MiB). */
export const MAX_READ_MEMORY = 512 * 1024 * 1024;
/** What all the Flate streams of an uploaded PDF may inflate to, together. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
const WATCH_EVERY_MS = 20;

/** Why an uploaded PDF was not read (src/platform/http/errors.ts gives each its HTTP status). */
export type PdfReadErrorCode = "not_pdf" | "no_acuse_attachment" | "pdf_too_large";

export class PdfReadError extends CodedError<PdfReadErrorCode> {}

/** A file attached to the PDF: its base name, description and bytes. */
export type PdfAttachment = WorkerAttachment;

export interface ReadPdfOptions {
  /** Give up after this long (default {@link PDF_READ_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Receives whatever PDF.js printed (nothing, normally); by default it is discarded. */
  output?: (text: string) => void;
  /** Stop the read when the process grew by more than this (default {@link MAX_READ_MEMORY}). */
  maxMemoryBytes?: number;
  /** Refuse when the Flate streams inflate to more than this (default {@link MAX_INFLATED_BYTES}). */
  maxInflatedBytes?: number;
}

/**
 * Whether every zlib stream between `stream` and `endstream` inflates, all together, to at most
 * `budget` bytes. Truncated streams count what they yield (PDF.js is as tolerant); data that is
 * not zlib (images, other filters) is left to the watchdog.
 */
export function inflatesWithin(bytes: Uint8Array, budget: number): boolean {
  const pdf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let from = 0;
  for (;;) {
    const keyword = pdf.indexOf("stream", from, "latin1");
    if (keyword < 0) return true;
    from = keyword + 6;
    if (keyword >= 3 && pdf.toString("latin1", keyword - 3, keyword) === "end") continue;
    let start = from;
    if (pdf[start] === 0x0d) start++;
    if (pdf[start] === 0x0a) start++;
    const end = pdf.indexOf("endstream", start, "latin1");
    if (end < 0) return true;
    try {
      total += inflateSync(pdf.subarray(start, end), {
        finishFlush: zlib.Z_SYNC_FLUSH,
        maxOutputLength: budget - total + 1,
      }).length;
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") return false;
    }
    if (total > budget) return false;
    from = end + 9;
  }
}

const WORKER = new URL("./read-attachments-worker.ts", import.meta.url);
/** Heap for the parsing thread: ample for a 10 MiB PDF's objects, bounded for a hostile one. */
const WORKER_HEAP_MB = 256;

/** Whether the bytes start like a PDF (`%PDF-` within the first 1024 bytes, as readers allow). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  return head.includes("%PDF-", 0, "latin1");
}

/** Every attachment of the PDF, in the order of its name tree (sorted by name). */
export async function readPdfAttachments(
  bytes: Uint8Array,
  options: ReadPdfOptions = {},
): Promise<PdfAttachment[]> {
  if (bytes.byteLength > MAX_PDF_BYTES) {
    throw new PdfReadError(
      "pdf_too_large",
      `El archivo mide ${bytes.byteLength.toLocaleString("es-MX")} bytes: un acuse en PDF no pasa de ${MAX_PDF_BYTES / (1024 * 1024)} MiB.`,
    );
  }
  if (!looksLikePdf(bytes)) {
    throw new PdfReadError("not_pdf", "El archivo no es un PDF (no empieza con «%PDF-»).");
  }
  if (!inflatesWithin(bytes, options.maxInflatedBytes ?? MAX_INFLATED_BYTES)) {
    throw new PdfReadError(
      "pdf_too_large",
      "Los datos comprimidos del PDF crecen demasiado al descomprimirse: no es un acuse del Buzón IMSS.",
    );
  }
  const timeoutMs = options.timeoutMs ?? PDF_READ_TIMEOUT_MS;
  const answer = await runWorker(
    new Uint8Array(bytes),
    timeoutMs,
    options.maxMemoryBytes ?? MAX_READ_MEMORY,
    options.output,
  );
  if (!answer.ok) {
    throw new PdfReadError(
      "not_pdf",
      "El archivo no es un PDF legible: está dañado o incompleto.",
      {
        cause: new Error(`${answer.name}: ${answer.message}`),
      },
    );
  }
  return answer.files;
}

function runWorker(
  bytes: Uint8Array,
  timeoutMs: number,
  maxMemoryBytes: number,
  output: ((text: string) => void) | undefined,
): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: { bytes },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true,
      stderr: true,
    });
    const forward = (chunk: Buffer) => output?.(chunk.toString("utf8"));
    worker.stdout.on("data", forward);
    worker.stderr.on("data", forward);
    // The answer is taken when the thread has exited, so all it printed has been read.
    let answer: WorkerAnswer | undefined;
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watchdog);
      action();
    };
    // A stopped read is answered when its thread has exited (its memory released), so the
    // caller's next read does not start measuring from this one's leftovers.
    let stopped: PdfReadError | undefined;
    const stop = (error: PdfReadError) => {
      if (stopped || settled) return;
      stopped = error;
      clearTimeout(timer);
      clearInterval(watchdog);
      void worker.terminate();
    };
    const baseline = process.memoryUsage.rss();
    const watchdog = setInterval(() => {
      if (process.memoryUsage.rss() - baseline <= maxMemoryBytes) return;
      stop(
        new PdfReadError(
          "pdf_too_large",
          `Leer este PDF ocupa más de ${Math.round(maxMemoryBytes / (1024 * 1024))} MiB de memoria (sus datos comprimidos crecen demasiado al descomprimirse): no es un acuse del Buzón IMSS.`,
        ),
      );
    }, WATCH_EVERY_MS);
    const unreadable = (cause: unknown) =>
      new PdfReadError("not_pdf", "El archivo no es un PDF legible: está dañado o incompleto.", {
        cause,
      });
    const timer = setTimeout(() => {
      stop(
        new PdfReadError(
          "not_pdf",
          `No se pudo leer el PDF en ${timeoutMs / 1000} segundos: está dañado o no es un acuse.`,
        ),
      );
    }, timeoutMs);
    worker.once("message", (message: WorkerAnswer) => {
      answer = message;
    });
    worker.once("error", (error) => {
      if (!stopped) settle(() => reject(unreadable(error)));
    });
    worker.once("exit", (code) =>
      settle(() => {
        if (stopped) reject(stopped);
        else if (answer) resolve(answer);
        else reject(unreadable(new Error(`el hilo de lectura terminó con código ${code}`)));
      }),
    );
  });
}

/**
 * The acuse export attached to an acuse PDF as `acuse.json`. Throws {@link PdfReadError} when
 * the bytes are not a readable PDF or carry no such attachment, and {@link AcuseExportError}
 * when the attachment is not a well-formed export.
 */
export async function readAcuseFromPdf(
  bytes: Uint8Array,
  options: ReadPdfOptions = {},
): Promise<AcuseExport> {
  const files = await readPdfAttachments(bytes, options);
  const found = files.find((f) => f.name === ACUSE_PDF_FILES.export);
  if (!found) {
    throw new PdfReadError(
      "no_acuse_attachment",
      `El PDF no lleva adjunto el archivo ${ACUSE_PDF_FILES.export}: no es un acuse del Buzón IMSS, o se guardó o imprimió de nuevo sin sus adjuntos.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(found.content));
  } catch {
    throw new AcuseExportError(
      `El adjunto ${ACUSE_PDF_FILES.export} del PDF no es JSON válido en UTF-8.`,
    );
  }
  try {
    return parseAcuseExport(json);
  } catch (error) {
    // Said of the attachment, not of the request: a pointer would name a field of the upload.
    if (!(error instanceof AcuseExportError)) throw error;
    throw new AcuseExportError(
      `El adjunto ${ACUSE_PDF_FILES.export} del PDF no es un acuse exportado válido: ${error.detail}`,
      { cause: error },
    );
  }
}
