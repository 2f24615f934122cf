import { describe, expect, it } from "vitest";
import {
  checkLine,
  type Manifest,
  manifestText,
  normalizeText,
  parseManifest,
  readManifest,
} from "./manifest.ts";

const manifest: Manifest = {
  rfc: "EKU9003173C9",
  type: {
    id: "icsoe",
    name: "Informativa de Contratos de Servicios u Obras Especializados (ICSOE)",
  },
  subject: "ICSOE del tercer cuatrimestre",
  textSha256: "a".repeat(64),
  textBytes: 120,
  notificacionId: null,
  attachments: [
    { name: "contratos; 2026 (1).xml", sha256: "b".repeat(64), size: 2048 },
    { name: "anexo.pdf", sha256: "c".repeat(64), size: 10 },
  ],
  at: Temporal.Instant.from("2026-12-15T23:59:59.999-06:00"),
  challengeId: "0f0e4d2c-1b2a-4c3d-8e9f-0a1b2c3d4e5f",
  nonce: "abc_DEF-123",
};

describe("manifiesto de una promoción", () => {
  it("is the canonical text, line by line, every anexo in order, ending with a newline", () => {
    expect(manifestText(manifest)).toBe(
      [
        "Buzón IMSS — Promoción electrónica",
        "Versión del manifiesto: 1",
        "RFC: EKU9003173C9",
        "Tipo: icsoe (Informativa de Contratos de Servicios u Obras Especializados (ICSOE))",
        "Asunto: ICSOE del tercer cuatrimestre",
        `SHA-256 del escrito: ${"a".repeat(64)}`,
        "Bytes del escrito: 120",
        "Notificación que contesta: ninguna",
        "Anexos: 2",
        `Anexo 1: 2048 bytes; SHA-256 ${"b".repeat(64)}; contratos; 2026 (1).xml`,
        `Anexo 2: 10 bytes; SHA-256 ${"c".repeat(64)}; anexo.pdf`,
        "Instante: 2026-12-15T23:59:59.999-06:00",
        "Desafío: 0f0e4d2c-1b2a-4c3d-8e9f-0a1b2c3d4e5f",
        "Nonce: abc_DEF-123",
        "",
      ].join("\n"),
    );
  });

  it("reads back exactly what it writes, and nothing else", () => {
    const text = manifestText(manifest);
    expect(parseManifest(text)).toEqual(manifest);
    const answer = { ...manifest, notificacionId: "11111111-2222-4333-8444-555555555555" };
    expect(parseManifest(manifestText(answer))).toEqual(answer);
    expect(parseManifest(text.replace("Anexos: 2", "Anexos: 1"))).toBeUndefined();
    expect(parseManifest(text.replace("Anexo 2:", "Anexo 3:"))).toBeUndefined();
    expect(parseManifest(`${text}extra\n`)).toBeUndefined();
    expect(parseManifest(text.slice(0, -1))).toBeUndefined();
  });

  it("reads its lines without Temporal (the browser checks what it signs with it), the instant as written", () => {
    const text = manifestText(manifest);
    const saved = globalThis.Temporal;
    let lines: ReturnType<typeof readManifest>;
    try {
      Reflect.deleteProperty(globalThis, "Temporal");
      lines = readManifest(text);
    } finally {
      globalThis.Temporal = saved;
    }
    expect(lines).toEqual({ ...manifest, at: "2026-12-15T23:59:59.999-06:00" });
    expect(readManifest(text.replace(/(Instante: [^\n]+)/, "$1 y algo más"))).toBeUndefined();
    expect(readManifest(`${text}extra\n`)).toBeUndefined();
  });

  it("changes with any byte of what it names: another order is another manifest", () => {
    const swapped = { ...manifest, attachments: [...manifest.attachments].reverse() };
    expect(manifestText(swapped)).not.toBe(manifestText(manifest));
  });

  it("holds subjects and names to one line without control characters; the escrito to NFC and \\n", () => {
    expect(checkLine("  Asunto  ", "El asunto", "/subject", 10)).toBe("Asunto");
    expect(() => checkLine("dos\nlíneas", "El asunto", "/subject", 100)).toThrow(/una línea/);
    expect(() => checkLine("a\u2028b", "El asunto", "/subject", 100)).toThrow(/una línea/);
    // Format characters (Cf): bidi controls would show «Comprobante\u202Efdp.exe» as
    // «Comprobanteexe.pdf»: refused, naming the invisible character.
    for (const hidden of ["\u202E", "\u202A", "\u200E", "\u200F", "\u2066", "\u2069", "\u061C"]) {
      const code = hidden.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0");
      expect(
        () => checkLine(`Comprobante${hidden}fdp.exe`, "El nombre", "/attachments/0/name", 200),
        code,
      ).toThrow(new RegExp(`invisibles de formato.*Contiene el carácter U\\+${code}\\.`));
    }
    // The invisible marks pasted text carries (a soft hyphen from Word, a zero-width space or
    // word joiner from a web page, a BOM) are removed, not refused; joiners stay (emoji).
    for (const pasted of ["\u00AD", "\u200B", "\u2060", "\uFEFF"]) {
      expect(checkLine(`Pago${pasted} de cuotas`, "El asunto", "/subject", 200)).toBe(
        "Pago de cuotas",
      );
    }
    expect(checkLine("Equipo 👩‍💼 de nómina", "El asunto", "/subject", 200)).toBe(
      "Equipo 👩‍💼 de nómina",
    );
    expect(() => checkLine("", "El asunto", "/subject", 100)).toThrow();
    expect(() => checkLine("x".repeat(11), "El asunto", "/subject", 10)).toThrow();
    expect(normalizeText("Cafe\u0301\r\nlínea\rfin")).toBe("Café\nlínea\nfin");
  });
});
