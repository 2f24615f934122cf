import { describe, expect, it } from "vitest";
import { isPagePath, validateMeansPath } from "../../../src/platform/http/page-paths.ts";
import type { MailboxView, MeansOfContact } from "../api/types.ts";
import { es } from "../i18n/es.ts";
import {
  codeFromHash,
  cooldownLeft,
  cooldownOf,
  formatPhone,
  type MeansInput,
  meansRequestOf,
  nextStepOf,
  normalizePhone,
  readCode,
  readMeansForm,
  refusalOf,
  validatedCounts,
  validateMeans,
} from "./mailbox.ts";

const t = es.contactMeans;

function means(over: Partial<MeansOfContact>): MeansOfContact {
  return {
    id: "m1",
    kind: "correo",
    value: "ana@empresa.mx",
    scope: "rfc",
    status: "validado",
    registeredAt: "2026-12-01T16:00:00Z",
    expiresAt: "2026-12-04T16:00:00Z",
    validatedAt: null,
    replaces: null,
    acuseFolio: "BI-20261201-100000000",
    acuseCodigo: "AbCd1234",
    origin: null,
    attemptsLeft: null,
    locked: false,
    resendAvailableAt: null,
    aclaracionUntil: null,
    ...over,
  };
}

function input(over: Partial<MeansInput>): MeansInput {
  return {
    scope: "rfc",
    kind: "correo",
    value: "ana@empresa.mx",
    registros: [],
    allRegistros: false,
    ...over,
  };
}

describe("the means form's own checks", () => {
  it("names every field to fix at once", () => {
    expect(validateMeans(input({ scope: "", kind: "", value: " " }))).toEqual({
      ambito: t.errors.scopeMissing,
      mecanismo: t.errors.kindMissing,
      medio: t.errors.valueMissingAny,
    });
    expect(validateMeans(input({ scope: "registros", kind: "celular", value: "" }))).toEqual({
      medio: t.errors.valueMissing.celular,
      registros: t.errors.registrosMissing,
    });
  });

  it("refuses a malformed e-mail and a phone that is not 10 digits", () => {
    for (const bad of ["ana", "ana@", "ana@empresa", "ana @empresa.mx", "a@b.c"]) {
      expect(validateMeans(input({ value: bad })), bad).toEqual({ medio: t.errors.emailInvalid });
    }
    for (const bad of ["551234567", "55123456789", "+1 555 123 4567", "55-1234-567x"]) {
      expect(validateMeans(input({ kind: "celular", value: bad })), bad).toEqual({
        medio: t.errors.phoneInvalid,
      });
    }
    expect(validateMeans(input({ kind: "celular", value: "(55) 1234-5678" }))).toEqual({});
  });

  it("refuses a duplicate, a sixth e-mail and a second phone of the RFC, not cancelled ones", () => {
    const five = [1, 2, 3, 4, 5].map((n) => means({ id: `c${n}`, value: `p${n}@empresa.mx` }));
    expect(validateMeans(input({ value: "P1@Empresa.mx " }), five)).toEqual({
      medio: t.errors.duplicate.correo,
    });
    expect(validateMeans(input({ value: "nueva@empresa.mx" }), five)).toEqual({
      medio: t.errors.tooManyEmails(5),
    });
    const cancelled = five.map((m, i) => (i === 0 ? { ...m, status: "cancelado" as const } : m));
    expect(validateMeans(input({ value: "p1@empresa.mx" }), cancelled)).toEqual({});
    const phone = [means({ kind: "celular", value: "+525512345678", status: "pendiente" })];
    expect(validateMeans(input({ kind: "celular", value: "55 8765 4321" }), phone)).toEqual({
      medio: t.errors.tooManyPhones,
    });
    // A registro patronal's means do not count against the RFC's.
    expect(
      validateMeans(input({ scope: "registros", value: "x@y.mx", registros: ["A"] }), five),
    ).toEqual({});
  });

  it("sends phones as +52 and ten digits, e-mails in lower case, and all the registros when asked", () => {
    expect(normalizePhone("+52 (55) 1234-5678")).toBe("+525512345678");
    expect(normalizePhone("525512345678")).toBe("+525512345678");
    expect(formatPhone("+525512345678")).toBe("+52 55 1234 5678");
    expect(meansRequestOf(input({ value: " Ana@Empresa.MX " }))).toEqual({
      kind: "correo",
      value: "ana@empresa.mx",
    });
    expect(
      meansRequestOf(input({ scope: "registros", allRegistros: true }), [
        "Y5410052104",
        "Y5410052112",
      ]),
    ).toEqual({
      kind: "correo",
      value: "ana@empresa.mx",
      registrosPatronales: ["Y5410052104", "Y5410052112"],
    });
    const form = new FormData();
    form.set("ambito", "registros");
    form.set("mecanismo", "celular");
    form.set("medio", "5512345678");
    form.append("registros", "A");
    form.append("registros", "B");
    expect(readMeansForm(form)).toEqual({
      scope: "registros",
      kind: "celular",
      value: "5512345678",
      registros: ["A", "B"],
      allRegistros: false,
    });
  });
});

describe("validation codes", () => {
  it("takes six digits, spaces dropped, and says what is wrong otherwise", () => {
    expect(readCode(" 123 456 ")).toEqual({ ok: true, code: "123456" });
    expect(readCode("")).toEqual({ ok: false, message: es.validateMeans.errors.codeMissing });
    expect(readCode("12345a")).toEqual({ ok: false, message: es.validateMeans.errors.codeShape });
    expect(readCode("1234567")).toEqual({ ok: false, message: es.validateMeans.errors.codeShape });
  });

  it("reads the code of the e-mail link's fragment, which the server never sees", () => {
    const path = validateMeansPath("a b", "004211");
    expect(path).toBe("/buzon/medios/a%20b/validar#codigo=004211");
    expect(isPagePath(path.split("#")[0]!)).toBe(true);
    expect(codeFromHash("#codigo=004211")).toBe("004211");
    expect(codeFromHash("#codigo=42")).toBe("");
    expect(codeFromHash("")).toBe("");
  });

  it("tells wrong, expired and locked apart by the contract's statuses", () => {
    const problem = (status: number) => ({ type: "about:blank", title: "x", status, detail: "d" });
    expect(refusalOf(problem(400))).toBe("wrong");
    expect(refusalOf(problem(410))).toBe("expired");
    expect(refusalOf(problem(429))).toBe("locked");
    expect(refusalOf(problem(500))).toBe("other");
  });

  it("counts the resend cool-down down to zero", () => {
    expect(cooldownLeft(1_000, 1_000)).toBe(60);
    expect(cooldownLeft(1_000, 1_500)).toBe(60);
    expect(cooldownLeft(1_000, 31_000)).toBe(30);
    expect(cooldownLeft(1_000, 61_000)).toBe(0);
    expect(cooldownLeft(1_000, 99_000)).toBe(0);
    expect(cooldownLeft(1_000, 11_000, 30)).toBe(20);
  });

  it("takes the cool-down from the server's two instants, not from the browser's clock", () => {
    // A demo clock moved days ahead shifts both instants alike.
    const sentAt = "2026-12-09T10:00:00.000-06:00";
    expect(cooldownOf({ sentAt, resendAvailableAt: "2026-12-09T10:01:30.000-06:00" })).toBe(90);
    expect(cooldownOf({ sentAt, resendAvailableAt: "no es fecha" })).toBe(60);
  });
});

describe("the next step of the activation", () => {
  const base: MailboxView = {
    rfc: "CACX7605101P8",
    state: "sin_medios",
    means: [],
    aclaraciones: [],
    terms: { signedVersion: null, currentVersion: "2024-1" },
    provenance: null,
    canEnter: false,
    validated: { correos: 0, celulares: 0 },
    inPadron: true,
    registrosPatronales: [],
  };
  const email = means({});
  const phone = means({ id: "m2", kind: "celular", value: "+525512345678" });

  it("goes register → validate → sign → done, and asks again for a new version", () => {
    expect(nextStepOf(base)).toBe("register");
    expect(nextStepOf({ ...base, state: "medios_pendientes", means: [email] })).toBe("register");
    const pendingPhone = { ...phone, status: "pendiente" as const };
    expect(nextStepOf({ ...base, state: "medios_pendientes", means: [email, pendingPhone] })).toBe(
      "validate",
    );
    expect(nextStepOf({ ...base, state: "medios_validados", means: [email, phone] })).toBe("sign");
    const signed = { signedVersion: "2024-1", currentVersion: "2024-1" };
    const enabled = { ...base, state: "habilitado" as const, means: [email, phone] };
    expect(nextStepOf({ ...enabled, terms: signed, canEnter: true })).toBe("done");
    const newer = { signedVersion: "2024-1", currentVersion: "2026-1" };
    expect(
      nextStepOf({ ...base, state: "medios_validados", means: [email, phone], terms: newer }),
    ).toBe("resign");
    expect(nextStepOf({ ...enabled, terms: newer, canEnter: false })).toBe("resign");
    // Enabled under the 2020 rules, which signed nothing here: nothing to do, with or without
    // means on record, until a version newer than the one in force then (the server's canEnter).
    const enabled2020 = {
      ...base,
      state: "habilitado" as const,
      provenance: "lineamientos_2020" as const,
    };
    expect(nextStepOf({ ...enabled2020, canEnter: true })).toBe("done");
    expect(
      nextStepOf({
        ...enabled2020,
        canEnter: false,
        terms: { signedVersion: null, currentVersion: "2026-1" },
      }),
    ).toBe("resign");
    expect(validatedCounts([email, phone, { ...email, id: "x", status: "cancelado" }])).toEqual({
      correo: 1,
      celular: 1,
    });
  });
});
