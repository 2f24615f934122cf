import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { RuleId } from "../domain/plazos/rules.ts";
import type { BuzonSystem } from "../system.ts";

// The enabled 2020 mailbox (a demo e.firma too): its acuses are those of a mailbox in use, and
// the company whoever signs in as to try the activation (EKU9003173C9) starts with none.
const DEMO_RFC = "XOJO740919U44";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Demo acuses for the demo padrón's persona física enabled under the 2020 rules, issued once into
 * the demo database so «Verificación de documentos» has something real to verify: the contact
 * means registered, the terms signed, and a promoción received under the plazos engine's rule.
 * Returns the promoción's acuse (its folio and seal give the verification address).
 */
export async function ensureDemoAcuses(
  system: BuzonSystem,
): Promise<{ folio: string; seal: string }> {
  const existing = await system.evidence.latestAcuseOf(DEMO_RFC);
  if (existing) return existing;
  const now = Temporal.Now.instant().round({ smallestUnit: "millisecond", roundingMode: "floor" });
  const parties = {
    rfc: DEMO_RFC,
    actorRfc: DEMO_RFC,
    capacity: "titular",
  } as const;
  const promocion = await system.plazos.promocion({ enviada: now.toString() });
  const base = { calendarVersion: promocion.calendarVersion, rulesVersion: promocion.rulesVersion };
  await system.evidence.issueAcuse({
    ...base,
    kind: "registro_medios_contacto",
    parties,
    eventAt: now.subtract({ seconds: 30 }),
    countsAt: now.subtract({ seconds: 30 }),
    rule: "momento_del_evento",
    documents: [],
  });
  const terms = "Términos y Condiciones de uso del Buzón IMSS (demostración), versión 1.";
  await system.evidence.issueAcuse({
    ...base,
    kind: "firma_terminos",
    parties,
    eventAt: now.subtract({ seconds: 20 }),
    countsAt: now.subtract({ seconds: 20 }),
    rule: "momento_del_evento",
    documents: [
      {
        name: "Términos y Condiciones del Buzón IMSS v1.pdf",
        sha256: sha256(terms),
        bytes: Buffer.byteLength(terms),
      },
    ],
  });
  const escrito = "Escrito de aclaración de la cédula de determinación (demostración).";
  const issued = await system.evidence.issueAcuse({
    ...base,
    kind: "promocion",
    parties,
    eventAt: now,
    countsAt: Temporal.Instant.from(promocion.receivedAt),
    rule: "recepcion_promocion" satisfies RuleId,
    documents: [
      {
        name: "Escrito de aclaración.pdf",
        sha256: sha256(escrito),
        bytes: Buffer.byteLength(escrito),
      },
    ],
  });
  await system.evidence.publishCheckpoint();
  return issued;
}
