import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.ts";

/**
 * The NUL character (U+0000) and a lone surrogate (`"\ud800"`: half of a character, not text)
 * are refused wherever a request says something: PostgreSQL stores NUL in no `text` («invalid
 * byte sequence for encoding UTF8: 0x00») and neither in `jsonb` («unsupported Unicode escape
 * sequence»), so one that reaches a query is a 500 — and no legitimate field of this API holds
 * them. One check for the whole app, before any route's own validation, instead of
 * one in every schema.
 *
 * Raw uploads (a PDF, a CSV: Buffers) carry bytes, not text, and are not looked at; multipart
 * bodies are parsed by their route (its fields are checked there).
 */

type Where = "body" | "querystring" | "params";

const WHAT: Record<Where, string> = {
  body: "El campo",
  querystring: "El parámetro",
  params: "El parámetro de ruta",
};

/** What PostgreSQL cannot store in this text, if anything: a NUL, or half of a surrogate pair. */
function unreadable(text: string): "nul" | "surrogate" | undefined {
  if (text.includes("\u0000")) return "nul";
  return text.isWellFormed() ? undefined : "surrogate";
}

const WHY = {
  nul: "el carácter nulo (U+0000)",
  surrogate: "medio carácter (un sustituto UTF-16 suelto)",
} as const;

/** RFC 6901: «~» and «/» inside a key. */
const escapeKey = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");

/**
 * The JSON pointer of the first string (value or key) that is not readable text, or undefined. Iterative:
 * a body nested thousands of levels deep cannot overflow the stack.
 */
export function findNul(value: unknown): string | undefined {
  return findUnreadable(value)?.pointer;
}

/** findNul, with what is wrong there. */
function findUnreadable(value: unknown): { pointer: string; why: "nul" | "surrogate" } | undefined {
  const pending: [unknown, string][] = [[value, ""]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, pointer] = next;
    if (typeof item === "string") {
      const why = unreadable(item);
      if (why) return { pointer: pointer || "/", why };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], `${pointer}/${i}`]);
    } else if (item !== null && typeof item === "object" && !ArrayBuffer.isView(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, inner] = entries[i] as [string, unknown];
        // A key with NUL is named by the object that holds it.
        const why = unreadable(key);
        if (why) return { pointer: pointer || "/", why };
        pending.push([inner, `${pointer}/${escapeKey(key)}`]);
      }
    }
  }
  return undefined;
}

/** The preValidation hook (app.ts): a 400 `validation` naming where the NUL is. */
export async function refuseNul(request: FastifyRequest): Promise<void> {
  const places: [Where, unknown][] = [
    ["params", request.params],
    ["querystring", request.query],
    ["body", request.body],
  ];
  for (const [where, value] of places) {
    const found = findUnreadable(value);
    if (found === undefined) continue;
    const at = found.pointer;
    const field = at === "/" ? "(raíz)" : at.slice(1).replaceAll("/", ".");
    const detail = `${WHAT[where]} «${field}» contiene ${WHY[found.why]}, que no se admite.`;
    throw new AppError("validation", detail, {
      // The same form as a schema's refusal (problem.ts, translateValidation).
      pointer: `${where === "body" ? "" : `${where}:`}${at}`,
    });
  }
}
