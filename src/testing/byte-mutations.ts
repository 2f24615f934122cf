import { Buffer } from "node:buffer";
import fc from "fast-check";

/** One change to a file's bytes, for fuzzing the readers of DER structures. */
export type Mutation =
  | { op: "flip"; at: number; bit: number }
  | { op: "truncate"; at: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; count: number }
  | { op: "overwrite"; at: number; bytes: Uint8Array };

/**
 * Lists of 1–6 mutations (bit flips, truncations, insertions, deletions, overwrites), or of bit
 * flips alone. Positions lean towards the first `headerBytes`, where the DER headers and the
 * algorithm identifiers are.
 */
export function byteMutations(headerBytes: number): fc.Arbitrary<Mutation[]> {
  const position = fc.oneof(fc.integer({ min: 0, max: headerBytes }), fc.nat({ max: 1 << 16 }));
  const someBytes = fc.uint8Array({ minLength: 1, maxLength: 16 });
  const flip = fc.record({
    op: fc.constant("flip" as const),
    at: position,
    bit: fc.integer({ min: 0, max: 7 }),
  });
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    flip,
    fc.record({ op: fc.constant("truncate" as const), at: position }),
    fc.record({ op: fc.constant("insert" as const), at: position, bytes: someBytes }),
    fc.record({
      op: fc.constant("delete" as const),
      at: position,
      count: fc.integer({ min: 1, max: 16 }),
    }),
    fc.record({ op: fc.constant("overwrite" as const), at: position, bytes: someBytes }),
  );
  return fc.oneof(
    fc.array(mutation, { minLength: 1, maxLength: 6 }),
    // Bit flips alone keep the DER lengths, so parsing gets further.
    fc.array(flip, { minLength: 1, maxLength: 4 }),
  );
}

/** The bytes with the mutations applied in order (positions wrap around the current length). */
export function mutate(original: Uint8Array, list: readonly Mutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const m of list) {
    const at = m.at % (bytes.length + 1);
    switch (m.op) {
      case "flip":
        if (bytes.length > 0) bytes[at % bytes.length]! ^= 1 << m.bit;
        break;
      case "truncate":
        bytes = bytes.subarray(0, at);
        break;
      case "insert":
        bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
        break;
      case "delete":
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.count)]);
        break;
      case "overwrite":
        bytes = Buffer.concat([
          bytes.subarray(0, at),
          m.bytes,
          bytes.subarray(at + m.bytes.length),
        ]);
        break;
    }
  }
  return bytes;
}
