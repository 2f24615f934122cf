import { createHash, type X509Certificate } from "node:crypto";
import { sealDigest } from "../../domain/evidence/seal-digest.ts";
import type { Clock } from "../../platform/clock.ts";
import { requestTimestamp } from "../../platform/crypto/tsa.ts";
import type { EvidenceStore } from "./store.ts";

/** A configured RFC 3161 time-stamping authority. */
export interface TsaSettings {
  url: string;
  /** The TSA's certificate or the CA that issued it. */
  trusted: X509Certificate[];
  timeoutMs?: number;
}

export interface EvidenceLog {
  warn(data: object, message: string): void;
}

/**
 * RFC 3161 time-stamps of the acuses' seals: right after issuance (in the background, so an
 * acuse never waits on the TSA) and in sweeps of the ones left without one. Without a TSA
 * configured, nothing is stamped.
 */
export function createTimestamper(options: {
  store: EvidenceStore;
  clock: Clock;
  tsa?: TsaSettings | undefined;
  /** Stamp each batch right after issuance (false: the worker's sweep stamps them). */
  stampOnIssue?: boolean | undefined;
  log?: EvidenceLog | undefined;
}) {
  const { store, clock, tsa } = options;
  const inFlight = new Set<Promise<unknown>>();

  async function stamp(folio: string, sealB64: string): Promise<boolean> {
    if (!tsa) return false;
    try {
      const token = await requestTimestamp({
        url: tsa.url,
        digest: sealDigest(sealB64),
        trusted: tsa.trusted,
        at: new Date(clock().epochMilliseconds),
        ...(tsa.timeoutMs === undefined ? {} : { timeoutMs: tsa.timeoutMs }),
      });
      await store.saveTimestamp({
        folio,
        token: token.token,
        genTime: token.genTime,
        tsaSerial: token.serialNumber,
      });
      return true;
    } catch (error) {
      // The acuse stands without it; the sweep retries.
      options.log?.warn(
        { folio, err: error instanceof Error ? error.message : String(error) },
        "no se obtuvo el sello de tiempo del acuse",
      );
      return false;
    }
  }

  return {
    /** TSA certificates trusted for the acuses' time-stamps, if a TSA is configured. */
    trusted(): X509Certificate[] {
      return tsa?.trusted ?? [];
    },

    /** Stamps freshly issued acuses without making anyone wait. */
    inBackground(issued: readonly { folio: string; seal: string }[]): void {
      if (!tsa || options.stampOnIssue === false || issued.length === 0) return;
      const work = Promise.all(issued.map((a) => stamp(a.folio, a.seal)));
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work));
    },

    /** Time-stamps recent acuses left without one (TSA down, restart). Returns how many. */
    async stampPending(limit = 100): Promise<number> {
      if (!tsa) return 0;
      const pending = await store.withoutTimestamp(limit);
      const done = await Promise.all(pending.map((a) => stamp(a.folio, a.seal)));
      return done.filter(Boolean).length;
    },

    /**
     * The signature time-stamp of an acuse PDF (PAdES B-T): the kept token for this signature
     * value, or a fresh one over its SHA-256, kept before it is used so every download embeds
     * the same token. Without a TSA, or with the TSA down, none: the PDF is signed without it.
     */
    async forPdfSignature(signatureValue: Uint8Array): Promise<Uint8Array | undefined> {
      const digest = createHash("sha256").update(signatureValue).digest();
      const key = digest.toString("hex");
      const kept = await store.pdfSignatureTimestamp(key);
      if (kept || !tsa) return kept;
      try {
        const token = await requestTimestamp({
          url: tsa.url,
          digest,
          trusted: tsa.trusted,
          at: new Date(clock().epochMilliseconds),
          ...(tsa.timeoutMs === undefined ? {} : { timeoutMs: tsa.timeoutMs }),
        });
        await store.savePdfSignatureTimestamp(key, token.token, token.genTime);
        // Two downloads at once may both have asked: the one kept first is the one used.
        return await store.pdfSignatureTimestamp(key);
      } catch (error) {
        options.log?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          "no se obtuvo el sello de tiempo de la firma del PDF; se firma sin él",
        );
        return undefined;
      }
    },

    /** Whether background stamps are still running. */
    busy(): boolean {
      return inFlight.size > 0;
    },

    /** Waits for the background stamps in flight. */
    async settle(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}

export type Timestamper = ReturnType<typeof createTimestamper>;
