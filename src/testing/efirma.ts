import { Buffer } from "node:buffer";
import { sign } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPrivateKey } from "../domain/efirma/private-key.ts";
import { curpCheckDigit } from "../domain/identifiers/curp.ts";
import { PACKAGE_ROOT } from "../platform/config.ts";
import { detachedCmsOf } from "../platform/crypto/detached-cms.ts";
import {
  type DevCa,
  type IssuedEfirma,
  type IssueOptions,
  initDevCa,
  issueEfirma,
} from "../platform/crypto/dev-ca.ts";

/** One development CA per test process, in a temporary directory. */
let ca: Promise<DevCa> | undefined;

export function testDevCa(): Promise<DevCa> {
  if (!ca) {
    const dir = mkdtempSync(join(tmpdir(), "buzon-dev-ca-"));
    // It holds a CA private key: leave nothing behind.
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    ca = initDevCa(dir);
  }
  return ca;
}

/** Mints a SAT-shaped e.firma from the test CA (a persona moral by default). */
export async function issueTestEfirma(options: Partial<IssueOptions> = {}): Promise<IssuedEfirma> {
  return issueEfirma(await testDevCa(), {
    rfc: "EKU9003173C9",
    name: "ESCUELA KEMPER URGATE SA DE CV",
    representativeRfc: "VADA800927DJ3",
    representativeCurp: "VADA800927HSRSRL05",
    ...options,
  });
}

/** A persona física's identity as a certificate states it: her RFC, a CURP with its check digit. */
export function fisicaIdentity(rfc: string, name: string): IssueOptions {
  const body = `${rfc.slice(0, 10)}HDFRRN0`;
  return {
    rfc,
    name,
    curp: `${body}${curpCheckDigit(body)}`,
    representativeRfc: undefined,
    representativeCurp: undefined,
  };
}

/**
 * A persona física's e.firma from the test CA; `options` may make it another of hers (expired,
 * revoked…).
 */
export function issueFisicaEfirma(
  rfc: string,
  name: string,
  options: Partial<IssueOptions> = {},
): Promise<IssuedEfirma> {
  return issueTestEfirma({ ...fisicaIdentity(rfc, name), ...options });
}

/** The SAT's own test e.firma and CSD (../shared/fixtures/sat), read where they are. */
export const SAT_FIXTURES = join(PACKAGE_ROOT, "..", "shared", "fixtures", "sat");

export async function satFixture(kind: "fake-fiel" | "fake-csd") {
  const dir = join(SAT_FIXTURES, kind);
  return {
    cer: await readFile(join(dir, "EKU9003173C9.cer")),
    key: await readFile(join(dir, "EKU9003173C9.key")),
    password: (await readFile(join(dir, "EKU9003173C9-password.txt"), "utf8")).trim(),
  };
}

/** What the browser does: opens the key and signs the challenge text (tests only). */
export async function signLikeTheBrowser(
  efirma: IssuedEfirma,
  text: string,
): Promise<{ certificate: string; signature: string }> {
  const key = openPrivateKey(await readFile(efirma.keyPath), efirma.password);
  return {
    certificate: (await readFile(efirma.cerPath)).toString("base64"),
    signature: sign("sha256", Buffer.from(text, "utf8"), key).toString("base64"),
  };
}

/**
 * What a public servant's browser makes to sign a document (issue 11): RSA-SHA256 over the
 * document's bytes, wrapped with the certificate as a detached CMS (.p7s), base64 (tests only).
 */
export async function signDocumentLikeTheBrowser(
  efirma: IssuedEfirma,
  document: Uint8Array,
): Promise<string> {
  const key = openPrivateKey(await readFile(efirma.keyPath), efirma.password);
  const signature = sign("sha256", document, key);
  return Buffer.from(detachedCmsOf(await readFile(efirma.cerPath), signature)).toString("base64");
}
