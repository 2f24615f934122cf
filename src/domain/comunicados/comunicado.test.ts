import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { audienceIncludes, checkComunicado, claveOf, parseSubdelegaciones } from "./comunicado.ts";

const subdelegaciones = parseSubdelegaciones(
  JSON.parse(
    readFileSync(new URL("../../../catalogos/subdelegaciones.json", import.meta.url), "utf8"),
  ),
);
const NOW = Temporal.Instant.from("2026-12-07T10:00:00-06:00");
const context = { now: NOW, subdelegaciones };
const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "aceptado";
};

describe("audiencia de un comunicado", () => {
  const reader = { rfc: "EKU9003173C9", registrosPatronales: ["B5510768108", "Y5412345109"] };
  it("reaches everyone, one RFC, or the holders of a registro with one of the segment's claves", () => {
    expect(audienceIncludes({ kind: "general" }, [], reader)).toBe(true);
    expect(audienceIncludes({ kind: "rfc", rfc: "EKU9003173C9" }, [], reader)).toBe(true);
    expect(audienceIncludes({ kind: "rfc", rfc: "CACX7605101P8" }, [], reader)).toBe(false);
    const s = { kind: "subdelegacion", subdelegacion: "09" } as const;
    expect(audienceIncludes(s, ["Y54"], reader)).toBe(true);
    expect(audienceIncludes(s, ["E34"], reader)).toBe(false);
    expect(audienceIncludes(s, ["B55"], { rfc: "X", registrosPatronales: [] })).toBe(false);
    expect(claveOf("B5510768108")).toBe("B55");
  });
});

describe("redacción de un comunicado", () => {
  it("normalizes and fixes the segment's claves at composition", () => {
    const c = checkComunicado(
      {
        title: "  Aviso  ",
        body: "Línea 1\r\nLínea 2",
        audience: { kind: "subdelegacion", subdelegacion: "09" },
      },
      context,
    );
    expect(c).toMatchObject({ title: "Aviso", body: "Línea 1\nLínea 2", claves: ["B55", "Y54"] });
    expect(c.publishedAt.equals(NOW)).toBe(true);
    expect(c.sendEmail).toBe(false);
  });

  it("schedules forward, not back nor beyond a year", () => {
    const base = { title: "T", body: "B", audience: { kind: "general" } };
    const later = NOW.add({ hours: 3 });
    expect(
      checkComunicado({ ...base, publishedAt: later.toString() }, context).publishedAt.equals(
        later,
      ),
    ).toBe(true);
    // A minute behind (the form's clock) is now.
    expect(
      checkComunicado(
        { ...base, publishedAt: NOW.subtract({ minutes: 1 }).toString() },
        context,
      ).publishedAt.equals(NOW),
    ).toBe(true);
    expect(
      code(() =>
        checkComunicado({ ...base, publishedAt: NOW.subtract({ hours: 1 }).toString() }, context),
      ),
    ).toBe("comunicado_invalid");
    expect(
      code(() =>
        checkComunicado({ ...base, publishedAt: NOW.add({ hours: 24 * 400 }).toString() }, context),
      ),
    ).toBe("comunicado_invalid");
    expect(code(() => checkComunicado({ ...base, publishedAt: "mañana" }, context))).toBe(
      "comunicado_invalid",
    );
  });

  it("refuses empty or multi-line titles, control characters, unknown audiences", () => {
    const ok = { title: "T", body: "B", audience: { kind: "general" } };
    expect(code(() => checkComunicado({ ...ok, title: "" }, context))).toBe("comunicado_invalid");
    expect(code(() => checkComunicado({ ...ok, title: "a\nb" }, context))).toBe(
      "comunicado_invalid",
    );
    expect(code(() => checkComunicado({ ...ok, body: "a\u0007" }, context))).toBe(
      "comunicado_invalid",
    );
    expect(code(() => checkComunicado({ ...ok, body: "x".repeat(20_001) }, context))).toBe(
      "comunicado_invalid",
    );
    expect(code(() => checkComunicado({ ...ok, audience: { kind: "todos" } }, context))).toBe(
      "comunicado_invalid",
    );
    expect(
      code(() => checkComunicado({ ...ok, audience: { kind: "rfc", rfc: "X" } }, context)),
    ).toBe("comunicado_invalid");
    expect(
      code(() =>
        checkComunicado(
          { ...ok, audience: { kind: "subdelegacion", subdelegacion: "77" } },
          context,
        ),
      ),
    ).toBe("unknown_subdelegacion");
  });

  it("refuses a broken catalogue of subdelegaciones", () => {
    for (const json of [
      {},
      { subdelegaciones: [{ id: "1", name: "n", claves: [] }] },
      { subdelegaciones: [{ id: "1", name: "n", claves: ["B5"] }] },
      {
        subdelegaciones: [
          { id: "1", name: "n", claves: ["B55"] },
          { id: "1", name: "m", claves: ["C12"] },
        ],
      },
    ]) {
      expect(code(() => parseSubdelegaciones(json))).toBe("subdelegaciones_catalogue_invalid");
    }
  });
});
