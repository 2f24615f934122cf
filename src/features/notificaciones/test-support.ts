import { Buffer } from "node:buffer";
import { randomUUID, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import { openPrivateKey } from "../../domain/efirma/private-key.ts";
import { detachedCmsOf } from "../../platform/crypto/detached-cms.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import type { Db } from "../../platform/db/schema.ts";
import { fisicaRfc, pdfOf, seedPadron } from "../../testing/acts.ts";
import { appendMailboxEvent } from "../mailbox/store.ts";
import type { PadronEntry } from "../padron/store.ts";

/**
 * What the tests and benches of notifications share: small distinct PDFs, the servant's detached
 * signature over them (as the browser makes it), padrón entries and an enabled mailbox.
 */

export { fisicaRfc, pdfOf };

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
  await seedPadron(
    db,
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
    new Date(now.epochMilliseconds),
  );
}

/** Validated e-mail and phone of the RFC, the Terms signed: `habilitado` (5.1–5.3). */
export async function enableMailbox(db: Db, rfc: string, now: Temporal.Instant): Promise<void> {
  await validatedMeans(db, rfc, "correo", `${rfc.toLowerCase()}@example.mx`, now);
  await validatedMeans(db, rfc, "celular", "+525512345678", now);
  await signTerms(db, rfc, now);
}

/** A means of contact of the RFC, registered and validated at `now`; answers its id. */
export async function validatedMeans(
  db: Db,
  rfc: string,
  kind: "correo" | "celular",
  value: string,
  now: Temporal.Instant,
): Promise<string> {
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
    data: { meansId: id, kind, value, scope: "rfc", expiresAt: now.add({ hours: 72 }).toString() },
  });
  await appendMailboxEvent(db, { type: "medio_validado", rfc, at: now, data: { meansId: id } });
  return id;
}

/** The RFC's signature of the Terms (version 1) at `now`. */
export async function signTerms(db: Db, rfc: string, now: Temporal.Instant): Promise<void> {
  await appendMailboxEvent(db, {
    type: "terminos_firmados",
    rfc,
    at: now,
    data: { version: "1", sha256: "a".repeat(64) },
  });
}
