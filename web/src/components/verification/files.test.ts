import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  bytesToBase64,
  bytesToHex,
  formatBytes,
  looksLikePdf,
  sha256Hex,
  signatureToBase64,
} from "./files.ts";

const ascii = (text: string) => new TextEncoder().encode(text);

describe("SHA-256 of a file in the browser", () => {
  it("equals node:crypto's, in lower-case hexadecimal", async () => {
    for (const bytes of [new Uint8Array(0), ascii("abc"), randomBytes(300_001)]) {
      const expected = createHash("sha256").update(bytes).digest("hex");
      expect(await sha256Hex(new Blob([bytes]))).toBe(expected);
    }
    expect(await sha256Hex(new Blob([ascii("abc")]))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("reads the file in pieces: several blob parts and a file of some MiB, each piece seen once and in order", async () => {
    const parts = [randomBytes(70_000), randomBytes(3 * 1024 * 1024 + 7), ascii("fin")];
    const whole = Buffer.concat(parts);
    const pieces: Uint8Array[] = [];
    const hash = await sha256Hex(new Blob(parts), (chunk) => pieces.push(chunk.slice()));
    expect(hash).toBe(createHash("sha256").update(whole).digest("hex"));
    // More than one piece: the file was never read whole (Blob.stream() yields at most 64 KiB).
    expect(pieces.length).toBeGreaterThan(1);
    expect(Math.max(...pieces.map((p) => p.byteLength))).toBeLessThan(whole.byteLength);
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
  });

  it("writes every byte as two hexadecimal digits", () => {
    expect(bytesToHex(new Uint8Array([0, 1, 15, 16, 171, 255]))).toBe("00010f10abff");
  });
});

describe("base64", () => {
  it("matches Buffer for small and large inputs", () => {
    for (const size of [0, 1, 2, 3, 0x8000, 0x8001, 100_000]) {
      const bytes = randomBytes(size);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
    }
  });
});

describe("a first look at a PDF", () => {
  it("finds the %PDF- header at the start or within the first 1024 bytes", () => {
    expect(looksLikePdf(ascii("%PDF-1.7\n%âãÏÓ"))).toBe(true);
    expect(looksLikePdf(ascii(`${" ".repeat(1000)}%PDF-1.4`))).toBe(true);
    expect(looksLikePdf(ascii(`${" ".repeat(1020)}%PDF-1.4`))).toBe(false);
    expect(looksLikePdf(ascii("PK\u0003\u0004 a zip"))).toBe(false);
    expect(looksLikePdf(new Uint8Array(0))).toBe(false);
  });
});

describe("signature file to base64 DER", () => {
  const der = new Uint8Array([0x30, 0x82, 0x01, 0x00, 0x06, 0x09, 0x2a, 0x86]);
  const derB64 = Buffer.from(der).toString("base64");

  it("encodes a DER .p7s as it is", () => {
    expect(signatureToBase64(der)).toBe(derB64);
  });

  it("takes the base64 inside a PEM armour, or a bare base64 text", () => {
    const pem = `-----BEGIN PKCS7-----\n${derB64.slice(0, 4)}\n${derB64.slice(4)}\n-----END PKCS7-----\n`;
    expect(signatureToBase64(ascii(pem))).toBe(derB64);
    expect(signatureToBase64(ascii(`-----BEGIN CMS-----\r\n${derB64}\r\n-----END CMS-----`))).toBe(
      derB64,
    );
    expect(signatureToBase64(ascii(`${derB64}\n`))).toBe(derB64);
  });

  it("refuses what cannot be a CMS", () => {
    expect(signatureToBase64(new Uint8Array(0))).toBeUndefined();
    expect(signatureToBase64(ascii("%PDF-1.7"))).toBeUndefined();
    expect(signatureToBase64(ascii("hola mundo"))).toBeUndefined();
    expect(signatureToBase64(new Uint8Array([0xff, 0xfe, 0x00]))).toBeUndefined();
    expect(
      signatureToBase64(ascii("-----BEGIN CERTIFICATE-----\n$$$\n-----END CERTIFICATE-----")),
    ).toBeUndefined();
  });
});

describe("file sizes in Spanish", () => {
  it("uses bytes, KiB, MiB and GiB with the es-MX decimal point", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(1023)).toBe("1,023 bytes");
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(10 * 1024 * 1024)).toBe("10 MiB");
    expect(formatBytes(10 * 1024 * 1024 + 1)).toBe("10 MiB");
    expect(formatBytes(15.25 * 1024 * 1024)).toBe("15.3 MiB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3 GiB");
  });

  it("rounds up a size over a limit so it never reads as the limit itself", () => {
    expect(formatBytes(10 * 1024 * 1024 + 1, "up")).toBe("10.1 MiB");
    expect(formatBytes(10 * 1024 * 1024, "up")).toBe("10 MiB");
    expect(formatBytes(1024 * 1024 + 1, "up")).toBe("1.1 MiB");
  });
});
