import { CodedError } from "../domain/errors.ts";
import type { Db } from "./db/schema.ts";

/**
 * What stops a lote (notificaciones, documentos): the first refusal of its author's authority,
 * judged before each chunk (`before`) or inside its transaction (`hold`). Workers share it, so
 * one refusal stops them all; the chunks already written stay, and the rest are refused with it.
 */
export function loteStop() {
  let reason: CodedError | undefined;
  return {
    /** The refusal that stopped the lote, or undefined while it runs. */
    get reason(): CodedError | undefined {
      return reason;
    },
    /** The transaction's authority hook, its refusal kept as the lote's (and thrown on). */
    hold(authority?: (tx: Db) => Promise<void>): ((tx: Db) => Promise<void>) | undefined {
      return (
        authority &&
        (async (tx) => {
          try {
            await authority(tx);
          } catch (error) {
            if (error instanceof CodedError) reason ??= error;
            throw error;
          }
        })
      );
    },
    /** Runs the check before a chunk; true when the lote is to stop (by it or another worker's). */
    async before(check?: () => Promise<void>): Promise<boolean> {
      if (reason) return true;
      if (!check) return false;
      try {
        await check();
      } catch (error) {
        if (!(error instanceof CodedError)) throw error;
        reason ??= error;
      }
      // Another worker's check may have refused while this one's was answered.
      return reason !== undefined;
    },
  };
}
