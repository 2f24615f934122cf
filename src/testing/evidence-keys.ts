/**
 * The keys an evidence service holds besides its store, for the tests of one file: the
 * Institute's development seal and the log's checkpoint signer; and the service options built
 * from them.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { NoteSigner } from "../domain/evidence/checkpoint.ts";
import type { EvidenceServiceOptions } from "../features/evidence/service.ts";
import { createEvidenceStore } from "../features/evidence/store.ts";
import { createDevelopmentSeal, type InstituteSeal } from "../platform/crypto/seal.ts";
import type { Db } from "../platform/db/schema.ts";
import { LOG_ORIGIN } from "./acuse-export.ts";

export interface EvidenceKeys {
  /** A development seal, made when the file's tests start. */
  readonly seal: InstituteSeal;
  /** The seal's temporary folder, for what a test writes beside it (a renewed seal, files). */
  readonly dir: string;
  /** An Ed25519 signer of the log's checkpoints, named LOG_ORIGIN. */
  readonly logSigner: NoteSigner;
  /** A store on `db`, the seal and the signer: add the clock and what the test is about. */
  serviceOn(db: Db): Pick<EvidenceServiceOptions, "store" | "seal" | "logSigner">;
}

/**
 * Makes the keys before the file's tests and removes the folder after them. Call it at the top
 * of the file: the file's own `beforeAll` runs after this one, so it can use the keys.
 */
export function evidenceKeys(): EvidenceKeys {
  const logSigner = { name: LOG_ORIGIN, privateKey: generateKeyPairSync("ed25519").privateKey };
  let made: { seal: InstituteSeal; dir: string } | undefined;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), "buzon-evidence-"));
    made = { dir, seal: await createDevelopmentSeal(join(dir, "sello")) };
  });
  afterAll(async () => {
    if (made) await rm(made.dir, { recursive: true, force: true });
  });
  const get = () => {
    if (!made) throw new Error("evidenceKeys: used before its beforeAll ran");
    return made;
  };
  return {
    get seal() {
      return get().seal;
    },
    get dir() {
      return get().dir;
    },
    logSigner,
    serviceOn: (db) => ({ store: createEvidenceStore(db), seal: get().seal, logSigner }),
  };
}
