import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatVerifierKey, verifierKeyOf } from "../../domain/evidence/checkpoint.ts";
import { createDevelopmentLogSigner, LogKeyError, loadLogSigner } from "./log-key.ts";

describe("log signing key", () => {
  it("is generated once (0600) and loaded on later starts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "buzon-log-key-")), "sub", "log-key.pem");
    const first = await createDevelopmentLogSigner(file, "buzon-imss.invalid/log");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = await createDevelopmentLogSigner(file, "buzon-imss.invalid/log");
    const key = (s: typeof first) => formatVerifierKey(verifierKeyOf(s.name, s.privateKey));
    expect(key(again)).toBe(key(first));
    expect(again.name).toBe("buzon-imss.invalid/log");
  });

  it("refuses missing files and keys that are not Ed25519, in Spanish", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-log-key-"));
    await expect(loadLogSigner(join(dir, "no-existe.pem"), "o")).rejects.toThrow(LogKeyError);
    writeFileSync(join(dir, "basura.pem"), "no es PEM");
    await expect(loadLogSigner(join(dir, "basura.pem"), "o")).rejects.toThrow(/PKCS#8/);
  });
});
