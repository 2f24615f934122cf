import type { AcuseDocument } from "../domain/evidence/acuse.ts";
import { RULES_VERSION } from "../domain/plazos/rules.ts";
import type { AcuseInput } from "../features/evidence/issued.ts";

/**
 * A promoción's acuse to issue in tests and benches: EKU9003173C9's buzón, through its
 * representative, counting when it happened (`at`, by default now to the millisecond).
 */
export function promocionInput(
  documents: AcuseDocument[],
  options: { at?: Temporal.Instant; actorRfc?: string; calendarVersion?: string } = {},
): AcuseInput {
  const at =
    options.at ??
    Temporal.Now.instant().round({ smallestUnit: "millisecond", roundingMode: "floor" });
  return {
    kind: "promocion",
    parties: {
      rfc: "EKU9003173C9",
      actorRfc: options.actorRfc ?? "XOJI740919U48",
      capacity: "representante_legal",
    },
    eventAt: at,
    countsAt: at,
    rule: "momento_del_evento",
    calendarVersion: options.calendarVersion ?? "IMSS:test-1",
    rulesVersion: RULES_VERSION,
    documents,
  };
}
