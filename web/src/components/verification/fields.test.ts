import { describe, expect, it } from "vitest";
import {
  codeFromQuery,
  folioFormErrors,
  isFolio,
  isVerificationCode,
  normalizeCode,
  normalizeFolio,
} from "./fields.ts";

describe("folio of an acuse", () => {
  it("takes the folio as printed, in any case, with stray spaces", () => {
    expect(normalizeFolio(" bi-20250203-100717151 ")).toBe("BI-20250203-100717151");
    expect(normalizeFolio("BI- 20250203-100717151")).toBe("BI-20250203-100717151");
    expect(isFolio("BI-20250203-100717151")).toBe(true);
    expect(isFolio("IMSSBUZN-20250203-000000001")).toBe(true);
  });

  it("refuses anything that is not prefix-date-sequence", () => {
    expect(isFolio("")).toBe(false);
    expect(isFolio("BI-2025023-100717151")).toBe(false);
    expect(isFolio("BI-20250203-10071715")).toBe(false);
    expect(isFolio("ABCDEFGHI-20250203-100717151")).toBe(false);
    expect(isFolio("bi-20250203-100717151")).toBe(false);
    expect(isFolio("BI_20250203_100717151")).toBe(false);
  });
});

describe("verification code", () => {
  it("keeps the case and the base64 characters + and /", () => {
    expect(normalizeCode(" AbC1+/x9 ")).toBe("AbC1+/x9");
    expect(isVerificationCode("AbC1+/x9")).toBe(true);
    expect(isVerificationCode("abc1+/x9")).toBe(true);
  });

  it("refuses codes of another length or with other characters", () => {
    expect(isVerificationCode("AbC1+/x")).toBe(false);
    expect(isVerificationCode("AbC1+/x9Z")).toBe(false);
    expect(isVerificationCode("AbC1-_x9")).toBe(false);
    expect(isVerificationCode("AbC1=/x9")).toBe(false);
  });

  it("reads a + left unencoded in the QR address back as +", () => {
    // ?codigo=AbC1+/x9 is form-decoded as "AbC1 /x9".
    expect(codeFromQuery(new URLSearchParams("codigo=AbC1+/x9").get("codigo"))).toBe("AbC1+/x9");
    expect(codeFromQuery(new URLSearchParams("codigo=%2BbC1%2B%2Fx9").get("codigo"))).toBe(
      "+bC1+/x9",
    );
    expect(codeFromQuery(new URLSearchParams("codigo=+bC1x9/+").get("codigo"))).toBe("+bC1x9/+");
    expect(codeFromQuery(null)).toBe("");
  });
});

describe("folio form", () => {
  const messages = {
    folioMissing: "falta folio",
    folioInvalid: "folio mal",
    codeMissing: "falta código",
    codeInvalid: "código mal",
  };

  it("names every field to fix at once", () => {
    expect(folioFormErrors("", "", messages)).toEqual({
      folio: "falta folio",
      code: "falta código",
    });
    expect(folioFormErrors("BI-1", "AbC1+/x9", messages)).toEqual({ folio: "folio mal" });
    expect(folioFormErrors("BI-1", "AbC1", messages)).toEqual({
      folio: "folio mal",
      code: "código mal",
    });
    expect(folioFormErrors("BI-20250203-100717151", "", messages)).toEqual({
      code: "falta código",
    });
    expect(folioFormErrors("BI-20250203-100717151", "AbC1+/x9", messages)).toEqual({});
  });
});
