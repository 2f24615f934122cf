import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import {
  checkAttachmentKind,
  checkAttachmentName,
  createKindSniffer,
  downloadName,
  kindClaimedBy,
  parsePromocionCatalogue,
  sniffKind,
} from "./catalogo.ts";

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
    expect(checkAttachmentKind(cobranza, "Oficio.PDF", bytes("%PDF-1\n%%EOF"), "/f")).toBe("pdf");
    expect(
      checkAttachmentKind(cobranza, "foto.jpeg", new Uint8Array([0xff, 0xd8, 0xff]), "/f"),
    ).toBe("imagen");
  });

  it("refuses a name without the extension of a kind the type takes, whatever its bytes are", () => {
    const catalogue = parsePromocionCatalogue(shipped());
    const aclaracion = catalogue.require("aclaracion_orientacion");
    const pdf = bytes("%PDF-1.7\n%%EOF\n");
    // A PDF by its bytes, named as a program, a page or nothing: the name would decide how the
    // staff's computer opens it.
    for (const name of ["Comprobante.exe", "instrucciones.html", "sin-extension", "a.pdf.exe"]) {
      let refusal: unknown;
      try {
        checkAttachmentKind(aclaracion, name, pdf, "/files/0");
      } catch (error) {
        refusal = error;
      }
      expect(refusal, name).toMatchObject({
        code: "attachment_kind_not_allowed",
        pointer: "/files/0",
        detail: expect.stringContaining(".pdf"),
      });
      expect(() => checkAttachmentName(aclaracion, name, "/attachments/0"), name).toThrow(
        /debe terminar en la extensión de su tipo/,
      );
    }
    // The browser checks with the kind it sniffed while hashing: the same answers.
    expect(() =>
      checkAttachmentKind(aclaracion, "Comprobante.exe", { kind: () => "pdf" }, "/attachments/0"),
    ).toThrow(/no es un archivo que admita/);
    expect(checkAttachmentKind(aclaracion, "a.pdf", { kind: () => "pdf" }, "/f")).toBe("pdf");
    expect(checkAttachmentName(aclaracion, "datos.ZIP", "/f")).toBe("zip");
    expect(() =>
      checkAttachmentName(catalogue.require("servicios_cobranza"), "d.zip", "/f"),
    ).toThrow(
      /se admiten PDF \(\.pdf\), XML \(\.xml\), imagen \(PNG o JPEG\) \(\.png, \.jpg, \.jpeg, \.jpe, \.jfif\)/,
    );
    expect(kindClaimedBy("x.JPG")).toBe("imagen");
    // How Windows browsers save many JPEGs: a photo named .jfif is an image.
    expect(kindClaimedBy("foto.jfif")).toBe("imagen");
    expect(
      checkAttachmentKind(
        catalogue.require("servicios_cobranza"),
        "foto.jfif",
        new Uint8Array([0xff, 0xd8, 0xff]),
        "/f",
      ),
    ).toBe("imagen");
    expect(kindClaimedBy("x.exe")).toBeUndefined();
  });

  it("downloads an anexo under a visible name ending with the extension of what its bytes are", () => {
    expect(downloadName("Escrito de pruebas.pdf", "application/pdf")).toBe(
      "Escrito de pruebas.pdf",
    );
    expect(downloadName("foto.JPEG", "image/jpeg")).toBe("foto.JPEG");
    expect(downloadName("foto.jfif", "image/jpeg")).toBe("foto.jfif");
    expect(downloadName("cuotas.xml", "application/xml")).toBe("cuotas.xml");
    // Names filed before names were checked keep what was signed, and gain the real extension.
    expect(downloadName("Comprobante.exe", "application/pdf")).toBe("Comprobante.exe.pdf");
    expect(downloadName("instrucciones.html", "application/pdf")).toBe("instrucciones.html.pdf");
    expect(downloadName("foto.jpg", "image/png")).toBe("foto.jpg.png");
    expect(downloadName("Comprobante\u202Efdp.exe", "application/pdf")).toBe(
      "Comprobantefdp.exe.pdf",
    );
    expect(downloadName("\u200E\u2066.pdf\u2069", "application/pdf")).toBe(".pdf");
    expect(downloadName("\u202E", "application/zip")).toBe("anexo.zip");
  });

  it("the streaming sniffer answers what sniffKind answers, however the bytes are cut", () => {
    // Documents shorter than a BOM, byte by byte.
    for (const text of ["<a", "<", "a", "\uFEFF<a/>", "<?xml", "  <_/>"]) {
      const sniffer = createKindSniffer();
      for (const b of bytes(text)) sniffer.update(new Uint8Array([b]));
      expect(sniffer.kind(), text).toBe(sniffKind(bytes(text)));
    }
    const starts = [
      "%PDF-1.7\n",
      "\uFEFF  <?xml version='1.0'?>",
      "<cfdi:Comprobante>",
      "<?xm",
      "<",
      "  \n\t<a>",
      "\uFEFF",
      "\u00EF\u00BB",
      "",
    ];
    const piece = fc.oneof(
      fc.constantFrom(...starts).map(bytes),
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom(bytes("%%EOF"), bytes("%PDF-"), new Uint8Array([0xff, 0xfe, 0xe2, 0x82])),
      fc.constantFrom(
        new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        new Uint8Array([0x50, 0x4b, 0x03, 0x04]),
        new Uint8Array(1500).fill(0x20),
      ),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (parts, cuts) => {
          const whole = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
          let at = 0;
          for (const p of parts) {
            whole.set(p, at);
            at += p.byteLength;
          }
          const points = [...new Set(cuts.map((c) => c % (whole.byteLength + 1)))].sort(
            (a, b) => a - b,
          );
          const sniffer = createKindSniffer();
          let from = 0;
          for (const point of [...points, whole.byteLength]) {
            sniffer.update(whole.subarray(from, point));
            from = point;
          }
          expect(sniffer.kind()).toBe(sniffKind(whole));
          expect([...sniffer.head]).toEqual([...whole.subarray(0, 1024)]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
