import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import { checkAttachmentKind, parsePromocionCatalogue, sniffKind } from "./catalogo.ts";

const shipped = () =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, "catalogos/promociones.json"), "utf8"));

const bytes = (text: string) => new TextEncoder().encode(text);

describe("catálogo de promociones", () => {
  it("reads the shipped file: the five types, the activation's aclaración filed elsewhere", () => {
    const catalogue = parsePromocionCatalogue(shipped());
    expect(catalogue.types.map((t) => t.id)).toEqual([
      "aclaracion_orientacion",
      "icsoe",
      "servicios_cobranza",
      "respuesta_requerimiento",
      "aclaracion_medios_contacto",
    ]);
    expect(catalogue.require("respuesta_requerimiento").notificacion).toBe("requerida");
    expect(catalogue.require("aclaracion_medios_contacto").presentacion).toBe("medios_de_contacto");
    expect(catalogue.largest).toEqual({ bytes: 20 * 1024 * 1024, files: 20 });
    expect(() => catalogue.require("queja")).toThrow(/no está en el catálogo/);
  });

  it("refuses unknown fields, unknown kinds, repeated ids and inconsistent limits", () => {
    const base = shipped();
    const variants: [string, (doc: ReturnType<typeof shipped>) => void][] = [
      ["campo desconocido", (d) => (d.types[0].extra = 1)],
      ["tipos", (d) => (d.types[0].adjuntos.tipos = ["exe"])],
      ["aparece dos veces", (d) => d.types.push(d.types[0])],
      ["maxBytesTotal", (d) => (d.types[0].adjuntos.maxBytesTotal = 1)],
      ["sin tipos", (d) => (d.types[0].adjuntos.tipos = [])],
      ["presentacion", (d) => (d.types[0].presentacion = "correo")],
      ["minLength", (d) => (d.types[0].texto.minLength = 10 ** 9)],
    ];
    for (const [message, change] of variants) {
      const doc = structuredClone(base);
      change(doc);
      expect(() => parsePromocionCatalogue(doc), message).toThrow(
        /Catálogo de promociones inválido/,
      );
    }
  });

  it("tells kinds by their bytes, never by their names", () => {
    expect(sniffKind(bytes("%PDF-1.7\n...\n%%EOF\n"))).toBe("pdf");
    expect(sniffKind(bytes("%PDF-1.7\n... truncado"))).toBeUndefined();
    expect(sniffKind(bytes('\uFEFF  <?xml version="1.0"?><a/>'))).toBe("xml");
    expect(sniffKind(bytes("<cfdi:Comprobante/>"))).toBe("xml");
    expect(sniffKind(bytes("<<not xml"))).toBeUndefined();
    expect(sniffKind(new Uint8Array([0x3c, 0x61, 0xff, 0xfe]))).toBeUndefined();
    expect(sniffKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      "imagen",
    );
    expect(sniffKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("imagen");
    expect(sniffKind(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBe("zip");
    expect(sniffKind(bytes("MZ ejecutable"))).toBeUndefined();
    expect(sniffKind(new Uint8Array())).toBeUndefined();
  });

  it("refuses a kind the type does not take and a name that claims another kind", () => {
    const catalogue = parsePromocionCatalogue(shipped());
    const cobranza = catalogue.require("servicios_cobranza");
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]);
    expect(() => checkAttachmentKind(cobranza, "datos.zip", zip, "/files/0")).toThrow(
      /no es un archivo que admita/,
    );
    expect(() => checkAttachmentKind(cobranza, "oficio.pdf", bytes("hola"), "/files/0")).toThrow(
      /se llama como PDF pero su contenido no lo es/,
    );
    expect(checkAttachmentKind(cobranza, "sin-extension", bytes("%PDF-1\n%%EOF"), "/f")).toBe(
      "pdf",
    );
  });
});
