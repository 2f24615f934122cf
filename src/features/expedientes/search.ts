/**
 * The search words of «Mis expedientes», normalised as migration 0032's `expediente_texto`
 * normalises the rows (case and Spanish accents folded, only letters and digits): each word is
 * matched as the start of a word of the row's `busqueda`, or of its type's name (the names are
 * data, in the catalogues, so they are matched here rather than copied into every row).
 */

import { createHash } from "node:crypto";
import { internalError } from "../../domain/errors.ts";

/** Words beyond these are ignored: a search narrows enough with eight. */
export const MAX_WORDS = 8;

/** Lower case, accents folded, letters and digits only, split into words (the first MAX_WORDS). */
export function searchWords(text: string | undefined): string[] {
  return [...new Set(wordsOf(text ?? ""))].slice(0, MAX_WORDS);
}

function wordsOf(text: string): string[] {
  const folded = text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
  return folded === "" ? [] : folded.split(" ");
}

/** The `to_tsquery('simple', …)` text of one word: a prefix match (`word:*`). */
export function prefixQuery(word: string): string {
  if (!/^[a-z0-9]+$/.test(word)) throw internalError(`search word not normalised: ${word}`);
  return `${word}:*`;
}

/**
 * The key migration 0034's `expediente_clave` writes before every word of a row of this RFC:
 * the first 12 hex digits of its MD5, digits spelled as the letters g–p (one token with the
 * word). A search asks for `key + word`, so the index reads only this person's entries.
 */
export function rfcKey(rfc: string): string {
  return createHash("md5")
    .update(rfc, "utf8")
    .digest("hex")
    .slice(0, 12)
    .replace(/[0-9]/g, (digit) => "ghijklmnop"[Number(digit)] ?? "");
}

/** Each catalogue's names split into words once: the catalogues live as long as the process. */
const namesOf = new WeakMap<readonly { id: string; name: string }[], [string, string[]][]>();

/** The ids of the types whose name has a word starting with `word`. */
export function typesMatching(
  word: string,
  types: readonly { id: string; name: string }[],
): string[] {
  let names = namesOf.get(types);
  if (!names) {
    names = types.map((t) => [t.id, wordsOf(t.name)]);
    namesOf.set(types, names);
  }
  return names.filter(([, words]) => words.some((w) => w.startsWith(word))).map(([id]) => id);
}
