import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import { parsePromocionCatalogue } from "./catalogo.ts";
import { checkPromocionContent, promocionContentErrors } from "./content.ts";

const catalogue = parsePromocionCatalogue(
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "catalogos/promociones.json"), "utf8")),
);
const text = { subject: "Aclaración", text: "Solicito la aclaración de las cuotas." };
const anexo = (name: string) => ({ name, sha256: "a".repeat(64), size: 10 });

/** The refusal checkPromocionContent throws, as the server and the browser answer it. */
function refusal(type: string, names: string[], options: { draft?: boolean } = {}) {
  try {
    checkPromocionContent(catalogue.require(type), text, names.map(anexo), options);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("contenido de una promoción: los nombres de sus anexos", () => {
  it("takes names ending with the extension of a kind the type takes, in any case", () => {
    expect(
      refusal("aclaracion_orientacion", ["Escrito.pdf", "cuotas.XML", "foto.jpeg", "datos.zip"]),
    ).toBeUndefined();
  });

  it("refuses, before anything is signed, a name that is not a kind the type takes (drafts too)", () => {
    for (const [type, name] of [
      ["aclaracion_orientacion", "Comprobante.exe"],
      ["aclaracion_orientacion", "instrucciones.html"],
      ["aclaracion_orientacion", "sin extension"],
      ["servicios_cobranza", "datos.zip"],
    ] as const) {
      for (const draft of [false, true]) {
        expect(refusal(type, ["bueno.pdf", name], { draft }), name).toMatchObject({
          code: "attachment_kind_not_allowed",
          pointer: "/attachments/1",
          detail: expect.stringMatching(/no es un archivo que admita.*\.pdf/),
        });
      }
    }
  });

  it("refuses a name with bidi or other invisible format characters", () => {
    for (const name of ["Comprobante\u202Efdp.exe", "Comprobante\u202Efdp.pdf", "a\u2066b.pdf"]) {
      expect(refusal("aclaracion_orientacion", [name]), name).toMatchObject({
        code: "promocion_invalid",
        pointer: "/attachments/0/name",
      });
    }
  });
});

describe("contenido de una promoción: cada parte que no cabe, a la vez", () => {
  it("names each part's first refusal in the form's order; the server's is the first of them", () => {
    const type = catalogue.require("aclaracion_orientacion");
    const input = { subject: "", text: "", notificacionId: "9f0c2a1e-7b3d-4e5f-8a6b-1c2d3e4f5a6b" };
    const attachments = [anexo("virus.exe"), anexo("otro.exe")];
    const errors = promocionContentErrors(type, input, attachments);
    expect(errors.map((e) => e.pointer)).toEqual([
      "/subject",
      "/text",
      "/notificacionId",
      "/attachments/0",
    ]);
    expect(() => checkPromocionContent(type, input, attachments)).toThrow(errors[0]?.detail);
    expect(promocionContentErrors(type, text, [anexo("bueno.pdf")])).toEqual([]);
  });
});
