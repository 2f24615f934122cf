import { describe, expect, it } from "vitest";
import { es } from "../i18n/es.ts";
import { clientProblem } from "./client.ts";
import { efirmaFieldOf, MAX_FILE_BYTES, SignInError, validateSignIn } from "./signIn.ts";

const t = es.signIn;

describe("the sign-in form's own checks", () => {
  it("names every field to fix at once, in the order of the form", () => {
    expect(
      validateSignIn({ rfc: "", certificate: undefined, privateKey: undefined, password: "" }),
    ).toEqual({
      rfc: t.errors.rfcMissing,
      certificado: t.errors.certificateMissing,
      llave: t.errors.privateKeyMissing,
      contrasena: t.errors.passwordMissing,
    });
  });

  it("refuses a malformed RFC and oversized files, and passes a complete form", () => {
    const big = new File([new Uint8Array(MAX_FILE_BYTES + 1)], "grande.cer");
    const small = new File([new Uint8Array(10)], "fiel.key");
    expect(
      validateSignIn({ rfc: "EKU-900317", certificate: big, privateKey: small, password: "x" }),
    ).toEqual({
      rfc: t.errors.rfcInvalid,
      certificado: t.errors.fileTooLarge(t.files.certificate),
    });
    expect(
      validateSignIn({ rfc: "eku9003173c9", certificate: small, privateKey: small, password: "x" }),
    ).toEqual({});
  });
});

describe("the field an e.firma refusal points at, in a form that signs", () => {
  const ids = { certificate: "c", privateKey: "k", password: "p" };
  const refusal = (field?: "rfc" | "certificate" | "privateKey" | "password") =>
    new SignInError(clientProblem("no"), field);

  it("is the form's own input, the certificate for another RFC, and none without a field", () => {
    expect(efirmaFieldOf(refusal("password"), ids)).toBe("p");
    expect(efirmaFieldOf(refusal("privateKey"), ids)).toBe("k");
    expect(efirmaFieldOf(refusal("certificate"), ids)).toBe("c");
    expect(efirmaFieldOf(refusal("rfc"), ids)).toBe("c");
    expect(efirmaFieldOf(refusal(), ids)).toBeUndefined();
  });
});
