import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../config.ts";
import { refuseKeyFileOpenToOthers } from "./key-file.ts";

describe("private key files", () => {
  const keyWithMode = (mode: number) => {
    const file = join(mkdtempSync(join(tmpdir(), "buzon-key-")), "llave.pem");
    // Only the mode matters here: the content is never read as a key.
    writeFileSync(file, "contenido de prueba\n");
    chmodSync(file, mode);
    return file;
  };

  it.each([0o644, 0o640, 0o604, 0o660, 0o602])(
    "refuses a key whose group or others have access (mode %o)",
    async (mode) => {
      const file = keyWithMode(mode);
      const refusal = refuseKeyFileOpenToOthers(file, "SEAL_KEY_FILE");
      await expect(refusal).rejects.toBeInstanceOf(ConfigError);
      await expect(refusal).rejects.toThrow(
        `SEAL_KEY_FILE (${file}) tiene permisos ${mode.toString(8)}: otros usuarios pueden leer la llave. Quite los permisos de grupo y de otros (chmod 600 ${file}).`,
      );
    },
  );

  it.each([0o600, 0o400])("accepts a key only its owner can read (mode %o)", async (mode) => {
    await expect(refuseKeyFileOpenToOthers(keyWithMode(mode), "LOG_KEY_FILE")).resolves.toBe(
      undefined,
    );
  });

  it("names the variable when the file is missing", async () => {
    await expect(refuseKeyFileOpenToOthers("/no/existe.pem", "LOG_KEY_FILE")).rejects.toThrow(
      "No se pudo leer LOG_KEY_FILE: /no/existe.pem.",
    );
  });
});
