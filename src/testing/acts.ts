import { Buffer } from "node:buffer";
import { randomUUID, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { openPrivateKey } from "../domain/efirma/private-key.ts";
import { rfcCheckDigit } from "../domain/identifiers/rfc.ts";
import { createPadronStore, type PadronEntry } from "../features/padron/store.ts";
import { detachedCmsOf } from "../platform/crypto/detached-cms.ts";
import type { IssuedEfirma } from "../platform/crypto/dev-ca.ts";
import type { Db } from "../platform/db/schema.ts";

/** A persona física RFC with its check digit, from a four-letter stem. */
export function fisicaRfc(stem: string): string {
  const base = `${stem}800101AB`;
  return `${base}${rfcCheckDigit(base)}`;
}

/** A small but complete PDF (its bytes vary with `text`). */
export function pdfOf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
    "latin1",
  );
}

/** What the servant's browser makes: RSA-SHA256 over the PDF's bytes, wrapped as a .p7s. */
export async function signPdf(efirma: IssuedEfirma, pdf: Buffer): Promise<string> {
  const key = openPrivateKey(await readFile(efirma.keyPath), efirma.password);
  return Buffer.from(
    detachedCmsOf(await readFile(efirma.cerPath), sign("sha256", pdf, key)),
  ).toString("base64");
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
