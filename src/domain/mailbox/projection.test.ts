import { describe, expect, it } from "vitest";
import { AppError } from "../errors.ts";
import {
  canEnterMailbox,
  checkHabilitacion,
  habilitacionOf,
  type MailboxEvent,
  type MailboxEventData,
  needsTermsSignature,
  projectMailbox,
  visibleMeans,
} from "./projection.ts";

const RFC = "AAA010101AAA";
const t0 = Temporal.Instant.from("2026-12-01T16:00:00Z");

function at(hours: number): Temporal.Instant {
  return t0.add({ hours });
}

function ev(hours: number, data: MailboxEventData): MailboxEvent {
  return { ...data, rfc: RFC, at: at(hours), acuseFolio: null } as MailboxEvent;
}

function registered(
  hours: number,
  meansId: string,
  kind: "correo" | "celular",
  scope = "rfc",
): MailboxEvent {
  return ev(hours, {
    type: "medio_registrado",
    data: {
      meansId,
      kind,
      value: kind === "correo" ? `${meansId}@example.mx` : "+525512345678",
      scope,
      expiresAt: at(hours + 72).toString(),
    },
  });
}

const validated = (hours: number, meansId: string) =>
  ev(hours, { type: "medio_validado", data: { meansId } });
const cancelled = (hours: number, meansId: string) =>
  ev(hours, { type: "medio_cancelado", data: { meansId, reason: "vencido" } });
const removed = (hours: number, meansId: string) =>
  ev(hours, { type: "medio_eliminado", data: { meansId } });
const signed = (hours: number, version: string) =>
  ev(hours, { type: "terminos_firmados", data: { version, sha256: "a".repeat(64) } });

describe("mailbox projection", () => {
  it("starts without means", () => {
    const mailbox = projectMailbox(RFC, []);
    expect(mailbox).toMatchObject({
      rfc: RFC,
      state: "sin_medios",
      provenance: null,
      termsVersion: null,
      means: [],
      updatedAt: null,
    });
  });

  it("walks sin_medios → medios_pendientes → medios_validados → habilitado", () => {
    const history = [
      registered(0, "m1", "correo"),
      registered(1, "m2", "celular"),
      validated(2, "m1"),
      validated(3, "m2"),
      signed(4, "2026-1"),
    ];
    const states = history.map((_, i) => projectMailbox(RFC, history.slice(0, i + 1)).state);
    expect(states).toEqual([
      "medios_pendientes",
      "medios_pendientes",
      "medios_pendientes",
      "medios_validados",
      "habilitado",
    ]);
    const mailbox = projectMailbox(RFC, history);
    expect(mailbox.provenance).toBe("activacion");
    expect(mailbox.termsVersion).toBe("2026-1");
    expect(mailbox.updatedAt?.equals(at(4))).toBe(true);
    expect(mailbox.means.map((m) => [m.id, m.status])).toEqual([
      ["m1", "validado"],
      ["m2", "validado"],
    ]);
    expect(mailbox.means[0]?.validatedAt?.equals(at(2))).toBe(true);
    expect(mailbox.means[0]?.expiresAt.equals(at(72))).toBe(true);
  });

  it("is not enabled with only one kind validated, even with the Terms signed (5.2)", () => {
    const mailbox = projectMailbox(RFC, [
      registered(0, "m1", "correo"),
      registered(0, "m2", "correo"),
      validated(1, "m1"),
      validated(1, "m2"),
      signed(2, "2026-1"),
    ]);
    expect(mailbox.state).toBe("medios_pendientes");
    expect(mailbox.provenance).toBeNull();
  });

  it("counts only the RFC's own means: those of registros patronales are optional", () => {
    const mailbox = projectMailbox(RFC, [
      registered(0, "m1", "correo", "Y5412345108"),
      registered(0, "m2", "celular", "Y5412345108"),
      validated(1, "m1"),
      validated(1, "m2"),
    ]);
    expect(mailbox.state).toBe("medios_pendientes");
    const withRfc = projectMailbox(RFC, [
      ...[registered(0, "m1", "correo", "Y5412345108")],
      registered(0, "r1", "correo"),
      registered(0, "r2", "celular"),
      validated(1, "r1"),
      validated(1, "r2"),
    ]);
    expect(withRfc.state).toBe("medios_validados");
  });

  it("goes back when the last validated phone goes, and forward again once re-validated", () => {
    const base = [
      registered(0, "m1", "correo"),
      registered(0, "m2", "celular"),
      validated(1, "m1"),
      validated(1, "m2"),
    ];
    expect(projectMailbox(RFC, [...base, removed(2, "m2")]).state).toBe("medios_pendientes");
    expect(projectMailbox(RFC, [...base, removed(2, "m2"), removed(2, "m1")]).state).toBe(
      "sin_medios",
    );
    const again = projectMailbox(RFC, [
      ...base,
      signed(2, "2026-1"),
      removed(3, "m2"),
      registered(4, "m3", "celular"),
    ]);
    expect(again.state).toBe("medios_pendientes");
    // The signature stays: once the new phone is validated the mailbox is enabled again.
    expect(
      projectMailbox(RFC, [
        ...base,
        signed(2, "2026-1"),
        removed(3, "m2"),
        registered(4, "m3", "celular"),
        validated(5, "m3"),
      ]).state,
    ).toBe("habilitado");
    expect(again.means.find((m) => m.id === "m2")?.status).toBe("eliminado");
    expect(visibleMeans(again).map((m) => m.id)).toEqual(["m1", "m3"]);
  });

  it("cancels only pending means, and a cancelled one no longer counts", () => {
    const mailbox = projectMailbox(RFC, [
      registered(0, "m1", "correo"),
      validated(1, "m1"),
      cancelled(72, "m1"),
      registered(0, "m2", "celular"),
      cancelled(72, "m2"),
    ]);
    expect(mailbox.means.map((m) => m.status)).toEqual(["validado", "cancelado"]);
    expect(mailbox.state).toBe("medios_pendientes");
    const onlyCancelled = projectMailbox(RFC, [
      registered(0, "m2", "celular"),
      cancelled(72, "m2"),
    ]);
    expect(onlyCancelled.state).toBe("sin_medios");
    // A late validation of a cancelled means changes nothing.
    expect(
      projectMailbox(RFC, [
        registered(0, "m2", "celular"),
        cancelled(72, "m2"),
        validated(73, "m2"),
      ]).means[0]?.status,
    ).toBe("cancelado");
  });

  it("ignores events naming unknown means instead of failing the replay", () => {
    const mailbox = projectMailbox(RFC, [validated(0, "nadie"), removed(0, "nadie")]);
    expect(mailbox.state).toBe("sin_medios");
    expect(mailbox.means).toEqual([]);
  });

  it("projects a 2020 enablement as habilitado with its provenance, whatever the means", () => {
    const mailbox = projectMailbox(RFC, [
      ev(0, {
        type: "habilitacion_2020",
        data: { enabledAt: "2020-10-01T15:00:00Z", termsVersion: "2026-1" },
      }),
    ]);
    expect(mailbox).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
      termsVersion: "2026-1",
    });
    const resigned = projectMailbox(RFC, [
      ev(0, {
        type: "habilitacion_2020",
        data: { enabledAt: "2020-10-01T15:00:00Z", termsVersion: null },
      }),
      signed(1, "2027-1"),
      registered(2, "m1", "correo"),
    ]);
    expect(resigned).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
      termsVersion: "2027-1",
    });
  });

  it("asks for a new signature when the Terms in force are newer than the signed ones", () => {
    const mailbox = projectMailbox(RFC, [
      registered(0, "m1", "correo"),
      registered(0, "m2", "celular"),
      validated(1, "m1"),
      validated(1, "m2"),
      signed(2, "2026-1"),
    ]);
    expect(needsTermsSignature(mailbox, "2026-1")).toBe(false);
    expect(canEnterMailbox(mailbox, "2026-1")).toBe(true);
    expect(needsTermsSignature(mailbox, "2026-2")).toBe(true);
    expect(canEnterMailbox(mailbox, "2026-2")).toBe(false);
    expect(canEnterMailbox(projectMailbox(RFC, [registered(0, "m1", "correo")]), "2026-1")).toBe(
      false,
    );
    // Signing the new version makes it usable again.
    const resigned = projectMailbox(RFC, [
      registered(0, "m1", "correo"),
      registered(0, "m2", "celular"),
      validated(1, "m1"),
      validated(1, "m2"),
      signed(2, "2026-1"),
      signed(3, "2026-2"),
    ]);
    expect(canEnterMailbox(resigned, "2026-2")).toBe(true);
  });
});

describe("the habilitación an acuse of the mailbox states (ADR 0011)", () => {
  const enabled = [
    registered(0, "c", "correo"),
    registered(0, "m", "celular"),
    validated(1, "c"),
    validated(1, "m"),
    signed(2, "1"),
  ];
  const in2020 = ev(0, {
    type: "habilitacion_2020",
    data: { enabledAt: "2020-11-02T16:00:00Z", termsVersion: null },
  });

  it("is the provenance while enabled, and nothing before or after", () => {
    expect(habilitacionOf(projectMailbox(RFC, enabled.slice(0, 4)))).toBeUndefined();
    expect(habilitacionOf(projectMailbox(RFC, enabled))).toBe("activacion");
    expect(habilitacionOf(projectMailbox(RFC, [in2020]))).toBe("lineamientos_2020");
    expect(habilitacionOf(projectMailbox(RFC, [in2020, removed(3, "x")]))).toBe(
      "lineamientos_2020",
    );
    // Its last validated phone gone, it is no longer enabled: the provenance stays, unstated.
    const dropped = projectMailbox(RFC, [...enabled, removed(3, "m")]);
    expect(dropped.provenance).toBe("activacion");
    expect(habilitacionOf(dropped)).toBeUndefined();
  });

  it("refuses, as a conflict, to record an acuse that states another habilitación than the locked mailbox's", () => {
    const mailbox = projectMailbox(RFC, enabled);
    expect(() => checkHabilitacion(mailbox, { habilitacion: "activacion" })).not.toThrow();
    for (const stated of [undefined, "lineamientos_2020"]) {
      let error: unknown;
      try {
        checkHabilitacion(mailbox, { habilitacion: stated });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "conflict" });
    }
  });
});
