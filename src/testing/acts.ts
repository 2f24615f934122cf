import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { rfcCheckDigit } from "../domain/identifiers/rfc.ts";
import { createPadronStore, type PadronEntry } from "../features/padron/store.ts";
import type { Db } from "../platform/db/schema.ts";

/** A persona física RFC with its check digit, from a four-letter stem. */
export function fisicaRfc(stem: string): string {
  const base = `${stem}800101AB`;
  return `${base}${rfcCheckDigit(base)}`;
}

/** A small but complete PDF (its bytes vary with `text`; `pad` more bytes make it larger). */
export function pdfOf(text: string, pad = 0): Buffer {
  const padding = pad > 0 ? `% ${"x".repeat(pad)}\n` : "";
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\n${padding}trailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    "latin1",
  );
}

/** Writes `entries` to the padrón as one import at `at`. */
export async function seedPadron(db: Db, entries: PadronEntry[], at: Date): Promise<void> {
  const padron = createPadronStore(db);
  const importId = randomUUID();
  await padron.beginImport({
    id: importId,
    fileName: "padron-pruebas.csv",
    sha256: "0".repeat(64),
    actor: "pruebas",
    startedAt: at,
  });
  await padron.write(entries, importId, at);
}
