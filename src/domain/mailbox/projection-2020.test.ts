import { describe, expect, it } from "vitest";
import { carriesPadronEmail } from "./means.ts";
import {
  canEnterMailbox,
  type MailboxEvent,
  type MailboxEventData,
  projectMailbox,
} from "./projection.ts";

/** A mailbox enabled under the 2020 rules (Lineamientos 5.4): what it has, and what it signed. */

const RFC = "XOJO740919U44";
const t0 = Temporal.Instant.from("2026-12-01T16:00:00Z");
const ev = (hours: number, data: MailboxEventData): MailboxEvent =>
  ({ ...data, rfc: RFC, at: t0.add({ hours }), acuseFolio: null }) as MailboxEvent;
const enabled2020 = (hours: number, email?: string) =>
  ev(hours, {
    type: "habilitacion_2020",
    data: {
      enabledAt: "2021-03-15T06:00:00Z",
      termsVersion: "1",
      ...(email ? { emailOnFile: { meansId: "p1", value: email } } : {}),
    },
  });

describe("a mailbox enabled under the 2020 rules", () => {
  it("signed nothing here, yet enters under the Terms in force when it was enabled", () => {
    const mailbox = projectMailbox(RFC, [enabled2020(0)]);
    expect(mailbox).toMatchObject({
      state: "habilitado",
      provenance: "lineamientos_2020",
      termsVersion: "1",
      signedTermsVersion: null,
      means: [],
    });
    expect(canEnterMailbox(mailbox, "1")).toBe(true);
    expect(canEnterMailbox(mailbox, "2")).toBe(false);
    const signed = projectMailbox(RFC, [
      enabled2020(0),
      ev(1, { type: "terminos_firmados", data: { version: "2", sha256: "a".repeat(64) } }),
    ]);
    expect(signed).toMatchObject({ termsVersion: "2", signedTermsVersion: "2" });
    expect(canEnterMailbox(signed, "2")).toBe(true);
  });

  it("carries the padrón's e-mail as a validated means of the RFC, from the enablement", () => {
    const mailbox = projectMailbox(RFC, [enabled2020(0, "oscar.xochitl@example.com")]);
    expect(mailbox.means).toEqual([
      {
        id: "p1",
        kind: "correo",
        value: "oscar.xochitl@example.com",
        scope: "rfc",
        status: "validado",
        registeredAt: t0,
        expiresAt: t0,
        validatedAt: t0,
        replaces: null,
        origin: "padron_2020",
      },
    ]);
    // Removable like any other (5.4 holds its obligation met): it stays enabled.
    const removed = projectMailbox(RFC, [
      enabled2020(0, "oscar.xochitl@example.com"),
      ev(1, { type: "medio_eliminado", data: { meansId: "p1" } }),
    ]);
    expect(removed.state).toBe("habilitado");
    expect(removed.means[0]?.status).toBe("eliminado");
  });

  it("does not carry an e-mail the mailbox already has live, nor a sixth", () => {
    const registered = (hours: number, id: string, value: string) =>
      ev(hours, {
        type: "medio_registrado",
        data: {
          meansId: id,
          kind: "correo",
          value,
          scope: "rfc",
          expiresAt: t0.add({ hours: hours + 72 }).toString(),
        },
      });
    const one = projectMailbox(RFC, [registered(0, "m1", "oscar.xochitl@example.com")]);
    expect(carriesPadronEmail(one, "oscar.xochitl@example.com")).toBe(false);
    expect(carriesPadronEmail(one, "otro@example.com")).toBe(true);
    const five = projectMailbox(
      RFC,
      [1, 2, 3, 4, 5].map((n) => registered(0, `m${n}`, `c${n}@example.com`)),
    );
    expect(carriesPadronEmail(five, "oscar.xochitl@example.com")).toBe(false);
  });
});
