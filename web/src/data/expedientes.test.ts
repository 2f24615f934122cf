import { describe, expect, it } from "vitest";
import { es } from "../i18n/es.ts";
import { composeRequestOf, COMPOSE_FIELDS as F } from "./expedientes.ts";

const t = es.expedientes.staff;

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

describe("the comunicado composer's form", () => {
  it("says every missing field at once", () => {
    const answer = composeRequestOf(form({ [F.audience]: "rfc" }));
    expect(answer).toEqual({
      ok: false,
      errors: { [F.title]: t.titleMissing, [F.body]: t.bodyMissing, [F.rfc]: t.rfcMissing },
    });
    const sub = composeRequestOf(
      form({ [F.title]: "T", [F.body]: "B", [F.audience]: "subdelegacion" }),
    );
    expect(sub.ok ? {} : sub.errors).toEqual({ [F.subdelegacion]: t.subdelegacionMissing });
  });

  it("sends the audience, the e-mail choice and a Zona Centro instant", () => {
    const answer = composeRequestOf(
      form({
        [F.title]: " Aviso ",
        [F.body]: "Texto",
        [F.audience]: "rfc",
        [F.rfc]: "eku9003173c9",
        [F.sendEmail]: "si",
        [`${F.when}-fecha`]: "07/12/2026",
        [`${F.when}-hora`]: "9:30",
      }),
    );
    expect(answer).toEqual({
      ok: true,
      body: {
        title: "Aviso",
        body: "Texto",
        audience: { kind: "rfc", rfc: "EKU9003173C9" },
        sendEmail: true,
        publishedAt: "2026-12-07T09:30:00-06:00",
      },
    });
  });

  it("publishes now without a date, and refuses half a date", () => {
    const now = composeRequestOf(form({ [F.title]: "T", [F.body]: "B", [F.audience]: "general" }));
    expect(now).toEqual({
      ok: true,
      body: { title: "T", body: "B", audience: { kind: "general" }, sendEmail: false },
    });
    const half = composeRequestOf(
      form({
        [F.title]: "T",
        [F.body]: "B",
        [F.audience]: "general",
        [`${F.when}-fecha`]: "07/12/2026",
      }),
    );
    expect(half.ok).toBe(false);
  });
});
