import { Buffer } from "node:buffer";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;

/** The label and DER body of the first PEM block, or undefined when the bytes are not PEM. */
export function readPem(
  bytes: Uint8Array,
): { label: string; der: Buffer; text: string } | undefined {
  // PEM is ASCII; a DER file starts with 0x30 and is never mistaken for it.
  if (bytes.length === 0 || bytes[0] === 0x30) return undefined;
  const text = Buffer.from(bytes).toString("latin1");
  const match = PEM_BLOCK.exec(text);
  if (!match) return undefined;
  const body = match[2]!.replace(/^[A-Za-z-]+:.*$/gm, "").replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { label: match[1]!, der: Buffer.from(body, "base64"), text: match[0] };
}

/** Every PEM block with `label` (a bundle of certificates), or undefined when not PEM. */
export function readPemBlocks(bytes: Uint8Array, label: string): Buffer[] | undefined {
  if (bytes.length === 0 || bytes[0] === 0x30) return undefined;
  const text = Buffer.from(bytes).toString("latin1");
  const blocks: Buffer[] = [];
  for (const match of text.matchAll(new RegExp(PEM_BLOCK.source, "g"))) {
    if (match[1] !== label) continue;
    const pem = readPem(Buffer.from(match[0], "latin1"));
    if (pem) blocks.push(pem.der);
  }
  return blocks.length > 0 ? blocks : undefined;
}
