import { Buffer } from "node:buffer";
import { generateKeyPairSync, hash, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CheckpointError,
  type CheckpointErrorCode,
  ed25519KeyId,
  formatVerifierKey,
  openCheckpoint,
  parseCheckpointBody,
  parseSignedNote,
  parseVerifierKey,
  signCheckpoint,
  verifierKeyOf,
} from "./checkpoint.ts";
import { emptyRoot, leafHash, MemoryTree } from "./merkle.ts";

const NAME = "buzon.imss.gob.mx/log";

function keys(name = NAME) {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const verifier = formatVerifierKey(verifierKeyOf(name, publicKey));
  return { signer: { name, privateKey }, verifier, publicKey };
}

function rootOfThree(): Uint8Array {
  const tree = new MemoryTree();
  for (const s of ["a", "b", "c"]) tree.append(leafHash(Buffer.from(s)));
  return tree.subtreeHash(0, 3);
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** The same bytes with the unused low bits of the last character set: not canonical base64. */
function looseBase64(canonical: string): string {
  expect(canonical.endsWith("=") && !canonical.endsWith("==")).toBe(true);
  const last = ALPHABET[ALPHABET.indexOf(canonical.at(-2) as string) | 1] as string;
  const loose = `${canonical.slice(0, -2)}${last}=`;
  expect(loose).not.toBe(canonical);
  expect(Buffer.from(loose, "base64").equals(Buffer.from(canonical, "base64"))).toBe(true);
  return loose;
}

function expectCode(fn: () => unknown, code: CheckpointErrorCode): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).code).toBe(code);
    expect((error as Error).message).toMatch(/[a-záéíóúñ]/);
    return;
  }
  throw new Error(`se esperaba el rechazo ${code}`);
}

describe("signed checkpoints (c2sp.org/tlog-checkpoint, c2sp.org/signed-note)", () => {
  const { signer, verifier } = keys();
  const root = rootOfThree();

  it("formats the note exactly as the spec and round-trips", () => {
    const note = signCheckpoint({ origin: NAME, size: 3, root }, signer);
    const [body, sigLine, ...rest] = note.split("\n\n");
    expect(rest).toEqual([]);
    expect(body).toBe(`${NAME}\n3\n${Buffer.from(root).toString("base64")}`);
    expect(sigLine).toMatch(new RegExp(`^\u2014 ${NAME} [A-Za-z0-9+/]{91}=\n$`));
    const cp = openCheckpoint(note, verifier);
    expect(cp.origin).toBe(NAME);
    expect(cp.size).toBe(3);
    expect(Buffer.from(cp.root).equals(Buffer.from(root))).toBe(true);
    expect(cp.extensions).toEqual([]);
  });

  it("round-trips extension lines, size 0 and sizes above 2^32", () => {
    const ext = openCheckpoint(
      signCheckpoint({ origin: NAME, size: 3, root, extensions: ["uno", "dos dos"] }, signer),
      verifier,
    );
    expect(ext.extensions).toEqual(["uno", "dos dos"]);
    expect(
      openCheckpoint(signCheckpoint({ origin: NAME, size: 0, root: emptyRoot() }, signer), verifier)
        .size,
    ).toBe(0);
    const big = 2 ** 53 - 1;
    expect(
      openCheckpoint(signCheckpoint({ origin: NAME, size: big, root }, signer), verifier).size,
    ).toBe(big);
  });

  it("computes the key ID as SHA-256(name || 0x0A || 0x01 || key)[:4] and the verifier string", () => {
    // A key whose ID has a hex letter, so that its upper-case spelling differs (an ID of eight
    // digits, 2 % of random keys, made the upper-case refusal below fail now and then).
    let key = verifierKeyOf(NAME, keys().publicKey);
    while (!/[a-f]/.test(Buffer.from(key.keyId).toString("hex"))) {
      key = verifierKeyOf(NAME, keys().publicKey);
    }
    const expected = hash(
      "sha256",
      Buffer.concat([Buffer.from(NAME), Buffer.of(0x0a, 0x01), Buffer.from(key.publicKey)]),
      "buffer",
    ).subarray(0, 4);
    expect(Buffer.from(key.keyId).equals(expected)).toBe(true);
    const text = formatVerifierKey(key);
    expect(text).toBe(
      `${NAME}+${expected.toString("hex")}+${Buffer.concat([Buffer.of(1), Buffer.from(key.publicKey)]).toString("base64")}`,
    );
    expect(parseVerifierKey(text)).toEqual(key);
    // Same key, other name: other ID; a string with a wrong ID is refused.
    expect(Buffer.from(ed25519KeyId("otro.example", key.publicKey)).equals(expected)).toBe(false);
    const id = expected.toString("hex");
    const k = text.slice(`${NAME}+${id}+`.length);
    expect(parseVerifierKey(`${NAME}+${id}+${k}`)).toEqual(key);
    expectCode(() => parseVerifierKey(`${NAME}+00000000+${k}`), "malformed_key");
    expectCode(() => parseVerifierKey(`${NAME}+${id.toUpperCase()}+${k}`), "malformed_key");
    expectCode(() => parseVerifierKey(`${NAME}+${id}`), "malformed_key");
    expectCode(() => parseVerifierKey(`a b+${id}+${k}`), "malformed_key");
    expectCode(() => parseVerifierKey(`${NAME}+${id}+${k.slice(0, -4)}`), "malformed_key");
  });

  it("verifies a note signed by hand per the spec (Ed25519 over the text, key ID prefix)", () => {
    const { signer: s, verifier: v } = keys();
    const text = `${NAME}\n3\n${Buffer.from(root).toString("base64")}\n`;
    const key = parseVerifierKey(v);
    const sig = sign(null, Buffer.from(text), s.privateKey);
    const note = `${text}\n\u2014 ${NAME} ${Buffer.concat([key.keyId, sig]).toString("base64")}\n`;
    expect(openCheckpoint(note, v).size).toBe(3);
  });

  describe("tampering is rejected", () => {
    const note = signCheckpoint({ origin: NAME, size: 3, root, extensions: ["ext"] }, signer);
    const rootB64 = Buffer.from(root).toString("base64");

    it("size, root, extension, origin", () => {
      expectCode(() => openCheckpoint(note.replace("\n3\n", "\n4\n"), verifier), "bad_signature");
      const otherRoot = Buffer.from(root);
      otherRoot[0] = (otherRoot[0] ?? 0) ^ 1;
      expectCode(
        () => openCheckpoint(note.replace(rootB64, otherRoot.toString("base64")), verifier),
        "bad_signature",
      );
      expectCode(() => openCheckpoint(note.replace("ext\n", "exu\n"), verifier), "bad_signature");
      expectCode(() => openCheckpoint(note.replace("ext\n", ""), verifier), "bad_signature");
      expectCode(
        () => openCheckpoint(note.replace(`${NAME}\n3`, `${NAME}x\n3`), verifier),
        "bad_signature",
      );
    });

    it("signature bytes", () => {
      const line = note.split("\n\n")[1] as string;
      const raw = Buffer.from(line.split(" ")[2] as string, "base64");
      raw[10] = (raw[10] ?? 0) ^ 0x80;
      const forged = note.replace(line, `\u2014 ${NAME} ${raw.toString("base64")}\n`);
      expectCode(() => openCheckpoint(forged, verifier), "bad_signature");
      // A truncated signature from the trusted key is a failed signature, not an unknown one.
      const short = note.replace(
        line,
        `\u2014 ${NAME} ${raw.subarray(0, 40).toString("base64")}\n`,
      );
      expectCode(() => openCheckpoint(short, verifier), "bad_signature");
    });

    it("key name or key ID: the trusted key did not sign it", () => {
      expectCode(
        () => openCheckpoint(note.replace(`\u2014 ${NAME} `, `\u2014 ${NAME}2 `), verifier),
        "unknown_key",
      );
      expectCode(() => openCheckpoint(note, keys().verifier), "unknown_key");
    });

    it("ignores signatures from other keys and verifies ours among them", () => {
      const other = keys("testigo.example");
      const cosigned = signCheckpoint(
        { origin: NAME, size: 3, root, extensions: ["ext"] },
        other.signer,
      );
      const both = `${note}${cosigned.split("\n\n")[1]}`;
      expect(openCheckpoint(both, verifier).size).toBe(3);
      expectCode(() => openCheckpoint(both, other.verifier), "bad_origin");
      expect(openCheckpoint(both, other.verifier, { origin: NAME }).size).toBe(3);
    });

    it("a checkpoint of another origin, even signed by the key", () => {
      const foreign = signCheckpoint({ origin: "otro.example/log", size: 3, root }, signer);
      expectCode(() => openCheckpoint(foreign, verifier), "bad_origin");
    });
  });

  describe("parsing is strict", () => {
    const note = signCheckpoint({ origin: NAME, size: 3, root }, signer);

    it("refuses framing errors before looking at signatures", () => {
      expectCode(() => openCheckpoint(note.slice(0, -1), verifier), "malformed_note");
      expectCode(() => openCheckpoint(note.replaceAll("\n", "\r\n"), verifier), "malformed_note");
      expectCode(() => openCheckpoint(`${note}\n`, verifier), "malformed_note");
      expectCode(() => openCheckpoint(note.replace("\n\n", "\n"), verifier), "malformed_note");
      expectCode(() => openCheckpoint(note.replace("\u2014 ", "- "), verifier), "malformed_note");
      expectCode(
        () => openCheckpoint(note.replace("\u2014 ", "\u2014  "), verifier),
        "malformed_note",
      );
      expectCode(() => openCheckpoint(`${note}\t`, verifier), "malformed_note");
      // A non-canonical base64 signature (padding bits set) is refused.
      const line = note.split("\n\n")[1] as string;
      const b64 = line.trimEnd().split(" ")[2] as string;
      expectCode(
        () => openCheckpoint(note.replace(b64, looseBase64(b64)), verifier),
        "malformed_note",
      );
    });

    it("an extra blank line inside the body is not accepted", () => {
      expect(() => openCheckpoint(note.replace("\n3\n", "\n\n3\n"), verifier)).toThrow(
        CheckpointError,
      );
    });

    it("parses the body strictly: canonical decimal and base64, no empty lines", () => {
      const b64 = Buffer.from(root).toString("base64");
      expect(parseCheckpointBody(`o\n3\n${b64}\n`).size).toBe(3);
      expectCode(() => parseCheckpointBody(`o\n03\n${b64}\n`), "bad_size");
      expectCode(() => parseCheckpointBody(`o\n+3\n${b64}\n`), "bad_size");
      expectCode(() => parseCheckpointBody(`o\n3 \n${b64}\n`), "bad_size");
      expectCode(() => parseCheckpointBody(`o\n${2 ** 53}\n${b64}\n`), "bad_size");
      expectCode(() => parseCheckpointBody(`o\n3\n${b64.slice(0, -1)}\n`), "bad_root");
      expectCode(() => parseCheckpointBody(`o\n3\n${looseBase64(b64)}\n`), "bad_root");
      expectCode(
        () => parseCheckpointBody(`o\n3\n${Buffer.from(root).toString("base64url")}\n`),
        "bad_root",
      );
      expectCode(() => parseCheckpointBody(`\n3\n${b64}\n`), "bad_origin");
      expectCode(() => parseCheckpointBody(`o\n3\n${b64}`), "malformed_checkpoint");
      expectCode(() => parseCheckpointBody(`o\n3\n`), "malformed_checkpoint");
      expectCode(() => parseCheckpointBody(`o\n3\n${b64}\n\next\n`), "malformed_checkpoint");
    });

    it("refuses to sign what it could not parse back", () => {
      expectCode(() => signCheckpoint({ origin: "", size: 3, root }, signer), "bad_origin");
      expectCode(() => signCheckpoint({ origin: "a\nb", size: 3, root }, signer), "bad_origin");
      expectCode(() => signCheckpoint({ origin: NAME, size: -1, root }, signer), "bad_size");
      expectCode(() => signCheckpoint({ origin: NAME, size: 1.5, root }, signer), "bad_size");
      expectCode(
        () => signCheckpoint({ origin: NAME, size: 3, root: root.subarray(1) }, signer),
        "bad_root",
      );
      expectCode(
        () => signCheckpoint({ origin: NAME, size: 3, root, extensions: [""] }, signer),
        "malformed_checkpoint",
      );
      const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
      expectCode(
        () => signCheckpoint({ origin: NAME, size: 3, root }, { name: NAME, privateKey: rsa }),
        "malformed_key",
      );
      expectCode(
        () => signCheckpoint({ origin: NAME, size: 3, root }, { ...signer, name: "con espacio" }),
        "malformed_key",
      );
    });

    it("splits text and signatures at the last blank line", () => {
      const parsed = parseSignedNote(note);
      expect(parsed.text).toBe(note.split("\n\n")[0]?.concat("\n"));
      expect(parsed.signatures).toHaveLength(1);
      expect(parsed.signatures[0]?.name).toBe(NAME);
    });
  });
});
