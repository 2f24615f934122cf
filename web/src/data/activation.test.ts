import { describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../api/signIn.ts";
import { es } from "../i18n/es.ts";
import { validateTermsSigning } from "./activation.ts";

describe("signing the Terms", () => {
  it("names every field to fix at once: acceptance, files and password", () => {
    expect(
      validateTermsSigning({
        accepted: false,
        certificate: undefined,
        privateKey: undefined,
        password: "",
      }),
    ).toEqual({
      acepto: es.activation.errors.notAccepted,
      certificado: es.signIn.errors.certificateMissing,
      llave: es.signIn.errors.privateKeyMissing,
      contrasena: es.signIn.errors.passwordMissing,
    });
    const big = new File([new Uint8Array(MAX_FILE_BYTES + 1)], "x.key");
    const small = new File([new Uint8Array(10)], "x.cer");
    expect(
      validateTermsSigning({ accepted: true, certificate: small, privateKey: big, password: "p" }),
    ).toEqual({
      llave: es.signIn.errors.fileTooLarge(es.signIn.files.privateKey),
    });
    expect(
      validateTermsSigning({
        accepted: true,
        certificate: small,
        privateKey: small,
        password: "p",
      }),
    ).toEqual({});
  });
});
