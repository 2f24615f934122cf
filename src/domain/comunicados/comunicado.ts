import { CodedError } from "../errors.ts";
import { parseRfc } from "../identifiers/rfc.ts";

/**
 * «Mis comunicados» (Lineamientos, «Mis expedientes»; issue 12 §3): announcements the Institute
 * sends — to everyone, to a segment (the RFCs with a registro patronal in a subdelegación) or to
 * one RFC. No legal clock runs on them: they inform. A comunicado is one row whatever its
 * audience; who sees it is decided when someone reads (audienceIncludes), so a comunicado to a
 * million RFCs is not a million copies. Pure rules; the store and the routes are in
 * src/features/comunicados.
 */

export type ComunicadoErrorCode =
  /** Title, body, audience or instant do not fit (the detail says which). */
  | "comunicado_invalid"
  /** The subdelegación is not in catalogos/subdelegaciones.json. */
  | "unknown_subdelegacion"
  /** The subdelegaciones' catalogue itself is not valid (a start-up refusal). */
  | "subdelegaciones_catalogue_invalid";

export class ComunicadoError extends CodedError<ComunicadoErrorCode> {}

export type Audience =
  | { kind: "general" }
  | { kind: "subdelegacion"; subdelegacion: string }
  | { kind: "rfc"; rfc: string };

export const AUDIENCE_KINDS = ["general", "subdelegacion", "rfc"] as const;

/**
 * A subdelegación and the claves that open its registros patronales: the registro patronal's
 * first three characters are the clave of the municipio/subdelegación where it was registered
 * (docs/adr/0019-comunicados-por-segmento.md). The catalogue is data the Institute keeps.
 */
export interface Subdelegacion {
  id: string;
  name: string;
  claves: readonly string[];
}

const CLAVE = /^[A-Z][0-9]{2}$/;
const SUB_ID = /^[0-9A-Za-z_-]{1,20}$/;

export function parseSubdelegaciones(json: unknown): readonly Subdelegacion[] {
  const invalid = (detail: string) =>
    new ComunicadoError(
      "subdelegaciones_catalogue_invalid",
      `Catálogo de subdelegaciones: ${detail}`,
    );
  const list = (json as { subdelegaciones?: unknown } | null)?.subdelegaciones;
  if (!Array.isArray(list)) throw invalid("falta la lista «subdelegaciones».");
  const ids = new Set<string>();
  return list.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    if (typeof s?.id !== "string" || !SUB_ID.test(s.id)) throw invalid(`[${i}].id inválido.`);
    if (ids.has(s.id)) throw invalid(`[${i}].id «${s.id}» repetido.`);
    ids.add(s.id);
    if (typeof s.name !== "string" || s.name.trim() === "") throw invalid(`[${i}].name vacío.`);
    if (
      !Array.isArray(s.claves) ||
      s.claves.length === 0 ||
      !s.claves.every((c) => typeof c === "string" && CLAVE.test(c))
    ) {
      throw invalid(`[${i}].claves: una o más claves de una letra y dos dígitos (p. ej. «B55»).`);
    }
    return { id: s.id, name: s.name, claves: [...new Set(s.claves as string[])].sort() };
  });
}

/** The clave a registro patronal opens with (its first three characters). */
export function claveOf(registroPatronal: string): string {
  return registroPatronal.slice(0, 3);
}

/**
 * Whether a comunicado reaches an RFC: general reaches everyone, one RFC only that RFC, and a
 * subdelegación every RFC holding (in the padrón, now) a registro patronal with one of its claves.
 * The SQL of the feature's store says the same; this is the rule its tests are held to.
 */
export function audienceIncludes(
  audience: Audience,
  claves: readonly string[],
  reader: { rfc: string; registrosPatronales: readonly string[] },
): boolean {
  switch (audience.kind) {
    case "general":
      return true;
    case "rfc":
      return audience.rfc === reader.rfc;
    case "subdelegacion":
      return reader.registrosPatronales.some((r) => claves.includes(claveOf(r)));
  }
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 20_000;
/** How far ahead a comunicado may be scheduled. */
export const MAX_SCHEDULE_DAYS = 366;
/** A publication instant this much in the past is a mistake (a clock or a form), not a backdate. */
const PAST_TOLERANCE_MS = 5 * 60 * 1000;

export interface ComunicadoInput {
  title: string;
  body: string;
  audience: { kind: string; subdelegacion?: string | undefined; rfc?: string | undefined };
  sendEmail?: boolean | undefined;
  /** ISO 8601 with offset; absent: now. */
  publishedAt?: string | undefined;
}

export interface CheckedComunicado {
  title: string;
  body: string;
  audience: Audience;
  /** The subdelegación's claves, fixed at composition (empty for other audiences). */
  claves: string[];
  sendEmail: boolean;
  publishedAt: Temporal.Instant;
}

function invalid(detail: string, pointer: string): ComunicadoError {
  return new ComunicadoError("comunicado_invalid", detail, { pointer });
}

// Control characters other than tab and line breaks have no place in a text people read.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Checks a comunicado as staff compose it, at `now`: a title of one line, a body, an audience
 * that exists, an instant from now on (scheduled within a year). The text is normalized (NFC,
 * `\n` line ends) so what is previewed is what is published.
 */
export function checkComunicado(
  input: ComunicadoInput,
  context: { now: Temporal.Instant; subdelegaciones: readonly Subdelegacion[] },
): CheckedComunicado {
  const title = input.title.normalize("NFC").trim();
  if (title === "") throw invalid("Escribe el título del comunicado.", "/title");
  if (/[\r\n]/.test(title) || CONTROL.test(title)) {
    throw invalid("El título es una sola línea, sin caracteres de control.", "/title");
  }
  if (title.length > MAX_TITLE_LENGTH) {
    throw invalid(`El título admite hasta ${MAX_TITLE_LENGTH} caracteres.`, "/title");
  }
  const body = input.body.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (body === "") throw invalid("Escribe el texto del comunicado.", "/body");
  if (CONTROL.test(body)) throw invalid("El texto tiene caracteres de control.", "/body");
  if (body.length > MAX_BODY_LENGTH) {
    throw invalid(`El texto admite hasta ${MAX_BODY_LENGTH} caracteres.`, "/body");
  }

  let audience: Audience;
  let claves: string[] = [];
  switch (input.audience.kind) {
    case "general":
      audience = { kind: "general" };
      break;
    case "rfc": {
      const text = input.audience.rfc ?? "";
      try {
        audience = { kind: "rfc", rfc: parseRfc(text, { context: "form" }).value };
      } catch {
        throw invalid(`«${text}» no es un RFC válido.`, "/audience/rfc");
      }
      break;
    }
    case "subdelegacion": {
      const id = input.audience.subdelegacion ?? "";
      const found = context.subdelegaciones.find((s) => s.id === id);
      if (!found) {
        throw new ComunicadoError(
          "unknown_subdelegacion",
          `«${id}» no es una subdelegación del catálogo.`,
          { pointer: "/audience/subdelegacion" },
        );
      }
      audience = { kind: "subdelegacion", subdelegacion: found.id };
      claves = [...found.claves];
      break;
    }
    default:
      throw invalid(`El destinatario debe ser ${AUDIENCE_KINDS.join(", ")}.`, "/audience/kind");
  }

  let publishedAt = context.now;
  if (input.publishedAt !== undefined && input.publishedAt !== "") {
    try {
      publishedAt = Temporal.Instant.from(input.publishedAt);
    } catch {
      throw invalid(
        "La fecha de publicación debe ser ISO 8601 con zona (p. ej. 2026-12-07T09:00:00-06:00).",
        "/publishedAt",
      );
    }
    if (publishedAt.epochMilliseconds < context.now.epochMilliseconds - PAST_TOLERANCE_MS) {
      throw invalid(
        "La fecha de publicación ya pasó: un comunicado no se antedata.",
        "/publishedAt",
      );
    }
    if (
      publishedAt.epochMilliseconds >
      context.now.epochMilliseconds + MAX_SCHEDULE_DAYS * 86_400_000
    ) {
      throw invalid(
        `Un comunicado se programa a lo más ${MAX_SCHEDULE_DAYS} días adelante.`,
        "/publishedAt",
      );
    }
    // Never before the moment it is composed: a scheduled instant a little behind is now.
    if (Temporal.Instant.compare(publishedAt, context.now) < 0) publishedAt = context.now;
  }
  return { title, body, audience, claves, sendEmail: input.sendEmail === true, publishedAt };
}
