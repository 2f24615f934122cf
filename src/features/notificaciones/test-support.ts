import { Buffer } from "node:buffer";
import { randomUUID, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Db } from "../../platform/db/schema.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import { createPadronStore, type PadronEntry } from "../padron/store.ts";

/**
 * What the tests and benches of notifications share: small distinct PDFs, the servant's detached
 * signature over them (as the browser makes it), padrón entries and an enabled mailbox.
 */

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

/** A signer ready to sign many documents (the key opened once). */
export async function signerOf(efirma: IssuedEfirma): Promise<(pdf: Uint8Array) => Buffer> {
  const key = openPrivateKey(await readFile(efirma.keyPath), efirma.password);
  const cer = await readFile(efirma.cerPath);
  return (pdf) => Buffer.from(detachedCmsOf(cer, sign("sha256", pdf, key)));
}

/** Writes padrón entries (one import) for these RFCs. */
export async function padronWith(
  db: Db,
  entries: { rfc: string; registros?: string[] }[],
  now: Temporal.Instant,
): Promise<void> {
  const padron = createPadronStore(db);
  const importId = randomUUID();
  await padron.beginImport({
    id: importId,
    fileName: "padron-pruebas.csv",
    sha256: "0".repeat(64),
    actor: "pruebas",
    startedAt: new Date(now.epochMilliseconds),
  });
  await padron.write(
    entries.map(
      ({ rfc, registros }): PadronEntry => ({
        rfc,
        name: `PARTICULAR ${rfc}`,
        persona: rfc.length === 12 ? "moral" : "fisica",
        registrosPatronales: registros ?? [],
        emailOnFile: null,
        habilitacion2020: null,
      }),
    ),
    importId,
    new Date(now.epochMilliseconds),
  );
}

/** Validated e-mail and phone of the RFC, the Terms signed: `habilitado` (5.1–5.3). */
export async function enableMailbox(db: Db, rfc: string, now: Temporal.Instant): Promise<void> {
  for (const [kind, value] of [
    ["correo", `${rfc.toLowerCase()}@example.mx`],
    ["celular", "+525512345678"],
  ] as const) {
    const id = randomUUID();
    await db
      .insertInto("mailbox_means")
      .values({
        id,
        rfc,
        kind,
        value,
        scope: "rfc",
        status: "pendiente",
        registered_at: new Date(now.epochMilliseconds),
        expires_at: new Date(now.add({ hours: 72 }).epochMilliseconds),
        validated_at: null,
        ended_at: null,
        acuse_folio: "BI-20261201-100000000",
        code_hash: Buffer.alloc(32, 1),
        code_sent_at: null,
        locked_at: null,
      })
      .execute();
    await appendMailboxEvent(db, {
      type: "medio_registrado",
      rfc,
      at: now,
      data: {
        meansId: id,
        kind,
        value,
        scope: "rfc",
        expiresAt: now.add({ hours: 72 }).toString(),
      },
    });
    await appendMailboxEvent(db, {
      type: "medio_validado",
      rfc,
      at: now,
      data: { meansId: id },
    });
  }
  await appendMailboxEvent(db, {
    type: "terminos_firmados",
    rfc,
    at: now,
    data: { version: "1", sha256: "a".repeat(64) },
  });
}
