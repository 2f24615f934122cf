/**
 * The worker thread that parses a PDF with PDF.js for read-attachments.ts: PDF.js parses
 * synchronously on the thread that calls it (Node has no web worker for it, only its «fake
 * worker»), so a hostile or broken PDF could hold the event loop; here it holds only this thread,
 * which the caller terminates when the time is up. Receives `{ bytes }` as workerData and posts
 * one message back.
 */
import { parentPort, workerData } from "node:worker_threads";
import { getDocument, VerbosityLevel } from "pdfjs-dist/legacy/build/pdf.mjs";

export interface WorkerAttachment {
  name: string;
  description: string;
  content: Uint8Array;
}

export type WorkerAnswer =
  | { ok: true; files: WorkerAttachment[] }
  | { ok: false; name: string; message: string };

async function read(bytes: Uint8Array): Promise<WorkerAttachment[]> {
  const task = getDocument({
    data: bytes,
    // Errors only: PDF.js warns on the console about recoverable damage otherwise.
    verbosity: VerbosityLevel.ERRORS,
    useSystemFonts: false,
    disableFontFace: true,
    useWorkerFetch: false,
    useWasm: false,
    stopAtErrors: true,
    enableXfa: false,
  });
  try {
    const document = await task.promise;
    const attachments = await document.getAttachments();
    const files: WorkerAttachment[] = [];
    for (const [id, attachment] of attachments ?? []) {
      const content = attachment.content ?? (await document.getAttachmentContent(id));
      if (!content) continue;
      files.push({ name: attachment.filename, description: attachment.description, content });
    }
    return files;
  } finally {
    await task.destroy();
  }
}

const { bytes } = workerData as { bytes: Uint8Array };
let answer: WorkerAnswer;
try {
  answer = { ok: true, files: await read(bytes) };
} catch (error) {
  answer = {
    ok: false,
    name: error instanceof Error ? error.name : "Error",
    message: error instanceof Error ? error.message : String(error),
  };
}
parentPort?.postMessage(answer);
