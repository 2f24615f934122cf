import { describe, expect, it } from "vitest";
import { expectRefusal as expectCoded } from "../../testing/expect-refusal.ts";
import { MailboxError, type MailboxErrorCode } from "./errors.ts";
import {
  type CodeState,
  checkAclaracion,
  checkCodeAttempt,
  checkRegistration,
  checkRegistrationRate,
  checkRemoval,
  checkResend,
  MAX_CODE_SENDS,
  MAX_FAILED_ATTEMPTS,
  MAX_REGISTRATIONS_PER_DAY,
  normalizePhone,
  wrongCodeRefusal,
} from "./means.ts";
import { type MailboxEvent, type MailboxEventData, projectMailbox } from "./projection.ts";

/** `fn` refuses with `code`; its detail contains `detail` and it points at `pointer`. */
function expectRefusal(
  fn: () => unknown,
  code: MailboxErrorCode,
  expected: { detail?: string; pointer?: string } = {},
): void {
  const error = expectCoded(MailboxError, code, fn);
  if (expected.detail !== undefined) expect(error.detail).toContain(expected.detail);
  if (expected.pointer !== undefined) expect(error.pointer).toBe(expected.pointer);
}

const RFC = "AAA010101AAA";
const RP = "Y5412345108";
const t0 = Temporal.Instant.from("2026-12-01T16:00:00Z");

function ev(data: MailboxEventData, hours = 0): MailboxEvent {
  return { ...data, rfc: RFC, at: t0.add({ hours }), acuseFolio: null } as MailboxEvent;
}
function reg(
  id: string,
  kind: "correo" | "celular",
  value: string,
  scope = "rfc",
  replaces?: string,
) {
  return ev({
    type: "medio_registrado",
    data: {
      meansId: id,
      kind,
      value,
      scope,
      expiresAt: t0.add({ hours: 72 }).toString(),
      ...(replaces ? { replaces } : {}),
    },
  });
}
const val = (id: string) => ev({ type: "medio_validado", data: { meansId: id } }, 1);

describe("mobile phones", () => {
  it.each([
    ["5512345678", "+525512345678"],
    ["55 1234 5678", "+525512345678"],
    ["(55) 1234-5678", "+525512345678"],
    ["+52 55 1234 5678", "+525512345678"],
    ["52 5512345678", "+525512345678"],
    ["+521 55 1234 5678", "+525512345678"],
    ["33.1234.5678", "+523312345678"],
  ])("reads %j as %s", (text, stored) => {
    expect(normalizePhone(text)).toBe(stored);
  });

  it.each([
    "",
    "12345",
    "551234567",
    "55123456789",
    "0512345678",
    "1512345678",
    "+1 555 123 4567",
    "044 55 1234 5678",
    "15512345678",
    "55-1234-567a",
  ])("refuses %j", (text) => {
    expectRefusal(() => normalizePhone(text, "telefono"), "invalid_phone", {
      pointer: "telefono",
    });
  });
});

describe("registration", () => {
  const five = projectMailbox(
    RFC,
    [1, 2, 3, 4, 5].map((i) => reg(`e${i}`, "correo", `c${i}@ejemplo.mx`)),
  );

  it("allows up to five e-mails and one phone per scope", () => {
    expect(() =>
      checkRegistration(five, { kind: "celular", value: "+525512345678", scopes: ["rfc"] }),
    ).not.toThrow();
    expectRefusal(
      () => checkRegistration(five, { kind: "correo", value: "c6@ejemplo.mx", scopes: ["rfc"] }),
      "means_limit",
      { detail: "ya tiene 5 correos", pointer: "/value" },
    );
    // The registros patronales have their own five.
    expect(() =>
      checkRegistration(five, { kind: "correo", value: "c6@ejemplo.mx", scopes: [RP] }),
    ).not.toThrow();
    const phone = projectMailbox(RFC, [reg("p1", "celular", "+525512345678")]);
    expectRefusal(
      () => checkRegistration(phone, { kind: "celular", value: "+523312345678", scopes: ["rfc"] }),
      "means_limit",
      { detail: "un teléfono celular" },
    );
  });

  it("frees the place of a cancelled or removed means", () => {
    const mailbox = projectMailbox(RFC, [
      reg("p1", "celular", "+525512345678"),
      ev({ type: "medio_cancelado", data: { meansId: "p1", reason: "vencido" } }, 72),
    ]);
    expect(() =>
      checkRegistration(mailbox, { kind: "celular", value: "+525512345678", scopes: ["rfc"] }),
    ).not.toThrow();
  });

  it("refuses duplicates in any of the scopes", () => {
    const mailbox = projectMailbox(RFC, [reg("e1", "correo", "ana@ejemplo.mx", RP)]);
    expectRefusal(
      () =>
        checkRegistration(mailbox, {
          kind: "correo",
          value: "ana@ejemplo.mx",
          scopes: ["Z1111111111", RP],
        }),
      "duplicate_means",
      { detail: `registro patronal ${RP}`, pointer: "/value" },
    );
    expect(() =>
      checkRegistration(mailbox, { kind: "correo", value: "ana@ejemplo.mx", scopes: ["rfc"] }),
    ).not.toThrow();
  });

  it("lets a change replace the only phone, once, without counting twice", () => {
    const mailbox = projectMailbox(RFC, [reg("p1", "celular", "+525512345678"), val("p1")]);
    const change = {
      kind: "celular" as const,
      value: "+523312345678",
      scopes: ["rfc"],
      replaces: "p1",
    };
    expect(() => checkRegistration(mailbox, change)).not.toThrow();
    const pending = projectMailbox(RFC, [
      reg("p1", "celular", "+525512345678"),
      val("p1"),
      reg("p2", "celular", "+523312345678", "rfc", "p1"),
    ]);
    expectRefusal(
      () => checkRegistration(pending, { ...change, value: "+528112345678" }),
      "duplicate_means",
      { detail: "cambio pendiente" },
    );
    // Without naming the change, a second phone is still one too many.
    expectRefusal(
      () =>
        checkRegistration(pending, { kind: "celular", value: "+528112345678", scopes: ["rfc"] }),
      "means_limit",
    );
    for (const bad of [
      { ...change, replaces: "nadie" },
      { ...change, kind: "correo" as const, value: "x@ejemplo.mx" },
      { ...change, scopes: [RP] },
    ]) {
      expectRefusal(() => checkRegistration(mailbox, bad), "means_not_pending", {
        pointer: "/replaces",
      });
    }
  });
});

describe("removal", () => {
  const enabled = [
    reg("e1", "correo", "ana@ejemplo.mx"),
    reg("p1", "celular", "+525512345678"),
    val("e1"),
    val("p1"),
    ev({ type: "terminos_firmados", data: { version: "1", sha256: "a".repeat(64) } }, 2),
  ];

  it("refuses to leave an enabled mailbox without a validated e-mail or phone", () => {
    const mailbox = projectMailbox(RFC, enabled);
    const phone = mailbox.means.find((m) => m.id === "p1")!;
    expectRefusal(() => checkRemoval(mailbox, phone, t0), "removal_disables_mailbox", {
      detail: "único teléfono celular",
    });
    const email = mailbox.means.find((m) => m.id === "e1")!;
    expectRefusal(() => checkRemoval(mailbox, email, t0), "removal_disables_mailbox", {
      detail: "único correo",
    });
  });

  it("allows it when another validated one remains, or the mailbox is not enabled", () => {
    const mailbox = projectMailbox(RFC, [
      ...enabled,
      reg("e2", "correo", "b@ejemplo.mx"),
      ev({ type: "medio_validado", data: { meansId: "e2" } }, 3),
    ]);
    expect(() => checkRemoval(mailbox, mailbox.means[0]!, t0)).not.toThrow();
    const notEnabled = projectMailbox(RFC, enabled.slice(0, 4));
    expect(() => checkRemoval(notEnabled, notEnabled.means[0]!, t0)).not.toThrow();
  });
});

describe("validation codes", () => {
  const pending: CodeState = {
    status: "pendiente",
    expiresAt: t0.add({ hours: 72 }),
    failedAttempts: 0,
    locked: false,
    codeSentAt: t0,
    codeSends: 1,
  };

  it("may be tried while pending, unlocked and within 72 hours", () => {
    expect(() => checkCodeAttempt(pending, t0.add({ hours: 71 }))).not.toThrow();
    expectRefusal(() => checkCodeAttempt(pending, t0.add({ hours: 72 })), "code_expired");
    expectRefusal(() => checkCodeAttempt({ ...pending, status: "cancelado" }, t0), "code_expired");
    expectRefusal(
      () => checkCodeAttempt({ ...pending, status: "validado" }, t0),
      "means_not_pending",
      { detail: "ya está validado" },
    );
    expectRefusal(
      () => checkCodeAttempt({ ...pending, status: "eliminado" }, t0),
      "means_not_pending",
    );
    expectRefusal(() => checkCodeAttempt({ ...pending, locked: true }, t0), "code_locked");
    expectRefusal(
      () => checkCodeAttempt({ ...pending, failedAttempts: MAX_FAILED_ATTEMPTS }, t0),
      "code_locked",
    );
  });

  it("counts down the attempts, then locks", () => {
    expect(wrongCodeRefusal(1)).toMatchObject({ code: "wrong_code" });
    expect(wrongCodeRefusal(1).detail).toContain("quedan 4 intentos");
    expect(wrongCodeRefusal(MAX_FAILED_ATTEMPTS - 1).detail).toContain("queda 1 intento");
    expect(wrongCodeRefusal(MAX_FAILED_ATTEMPTS)).toMatchObject({ code: "code_locked" });
  });

  it("sends a new code only after the cool-down and up to the limit", () => {
    expectRefusal(() => checkResend(pending, t0.add({ seconds: 59 })), "resend_too_soon", {
      detail: "Espera 1 segundo ",
    });
    expectRefusal(() => checkResend(pending, t0.add({ seconds: 1 })), "resend_too_soon", {
      detail: "Espera 59 segundos",
    });
    expect(() => checkResend(pending, t0.add({ seconds: 60 }))).not.toThrow();
    expect(() => checkResend({ ...pending, locked: true }, t0.add({ hours: 1 }))).not.toThrow();
    expectRefusal(
      () => checkResend({ ...pending, codeSends: MAX_CODE_SENDS }, t0.add({ hours: 1 })),
      "resend_too_soon",
      { detail: "regístralo de nuevo" },
    );
    expectRefusal(() => checkResend(pending, t0.add({ hours: 73 })), "code_expired");
    expect(() => checkResend({ ...pending, codeSentAt: null }, t0)).not.toThrow();
  });
});

describe("aclaraciones", () => {
  const mailbox = projectMailbox(RFC, [
    reg("e1", "correo", "ana@ejemplo.mx"),
    reg("p1", "celular", "+525512345678"),
  ]);
  const email = mailbox.means[0]!;

  it("are for a pending e-mail, within 24 hours of its registration", () => {
    expect(() => checkAclaracion(email, t0.add({ hours: 23 }))).not.toThrow();
    expectRefusal(() => checkAclaracion(email, t0.add({ hours: 24 })), "aclaracion_not_allowed", {
      detail: "24 horas",
    });
    expectRefusal(() => checkAclaracion(mailbox.means[1]!, t0), "aclaracion_not_allowed", {
      detail: "Reenviar código",
    });
    expectRefusal(
      () => checkAclaracion({ ...email, status: "validado" }, t0),
      "aclaracion_not_allowed",
    );
  });
});

describe("registration rate", () => {
  it("allows a day's registrations up to the limit", () => {
    expect(() => checkRegistrationRate(MAX_REGISTRATIONS_PER_DAY - 1)).not.toThrow();
    expectRefusal(
      () => checkRegistrationRate(MAX_REGISTRATIONS_PER_DAY),
      "too_many_registrations",
      {
        detail: "24 horas",
      },
    );
  });
});
