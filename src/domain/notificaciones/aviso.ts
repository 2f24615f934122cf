/**
 * What the aviso of an electronic notification states (Lineamientos 7.2–7.5; CFF 134-I; issue
 * 11 §3: «addressee, the instant the document was made available, each address the aviso went
 * to, the statement of the 3-day term»), as a text its acuse (`aviso_notificacion`) seals as one
 * of its documents — the mechanism of ADR 0012, as the constancia of the fourth day does. The
 * seal and the public log then cover these facts, not only the act's PDF.
 *
 * What it cannot state: whether each message was delivered. The acuse is sealed when the aviso
 * is released; the outcomes come later, append-only in `delivery_attempts` (docs/notificaciones.md).
 *
 * Canonical: UTF-8, NFC, LF line ends, one trailing LF, `Campo: valor` lines in a fixed order.
 * Pure: the caller gives every fact, including each address's digest (hashing is I/O-free but
 * lives in platform/crypto).
 */
import { formatInstant, spanishDate, spanishInstant } from "../time/zona-centro.ts";

/** The document's name in the acuse (and of the file attached to its PDF). */
export const AVISO_STATEMENT_NAME = "aviso-notificacion.txt";

/**
 * An address as anyone holding the acuse sees it (the PDF, the public verification page by
 * folio and code) and as staff see it on screen: enough to recognise it, not to harvest it. The
 * evidence ZIP carries it whole (the court needs the exact address).
 * «jperez@example.mx» → «jp***@example.mx»; «+525512345678» → «+52••••••5678».
 */
export function maskAddress(channel: "correo" | "sms", address: string): string {
  if (channel === "correo") {
    const at = address.lastIndexOf("@");
    if (at <= 0) return "***";
    const local = address.slice(0, at);
    // At most half of the local part, never all of a short one («a@…» shows nothing of it).
    return `${local.slice(0, Math.min(2, Math.floor(local.length / 2)))}***${address.slice(at)}`;
  }
  const digits = address.replace(/[^\d+]/g, "");
  if (digits.length <= 4) return "••••";
  const head = digits.startsWith("+") ? digits.slice(0, 3) : "";
  return `${head}${"•".repeat(Math.max(0, digits.length - head.length - 4))}${digits.slice(-4)}`;
}

/**
 * What an address's digest is taken over: the outbox key of its message
 * (`notificacion:<acto>:aviso:<medio>`), one space, the whole address, in UTF-8. The key's
 * means id is a random UUID shown to nobody but the addressee and staff, so the digest printed
 * beside a masked address binds the whole address the evidence ZIP lists without letting
 * whoever holds the acuse confirm a guess (a phone number has only 10^10 values).
 */
export function avisoAddressDigestInput(key: string, address: string): string {
  return `${key} ${address}`;
}

/** The statement of the three-day term, as the aviso made it (templates.ts). */
export function termStatement(
  availableAt: Temporal.Instant,
  openBy: Temporal.PlainDate,
  deemedNotifiedAt: Temporal.Instant,
): string {
  return `El documento quedó a disposición en el Buzón IMSS el ${spanishInstant(availableAt)}, momento del aviso. La persona destinataria cuenta con tres días hábiles para abrirlo con su e.firma, hasta el ${spanishDate(openBy)}; de no abrirlo, la notificación se tiene por realizada el ${spanishInstant(deemedNotifiedAt)}, cuarto día hábil (Lineamientos 7.3 a 7.5; Código Fiscal de la Federación, artículo 134, fracción I).`;
}

/** A calendar version and the rules version that computed some of the aviso's instants. */
export interface CalendarUsed {
  authority: string;
  version: string;
  rulesVersion: string;
}

/** Which act a statement speaks of: the fields the aviso's and the constancia's share. */
export interface StatedAct {
  rfc: string;
  registroPatronal: string | null;
  actId: string;
  oficio: string;
  /** «7.1 Resolución …»: the catalogue's id and name. */
  actType: string;
  issuingUnit: string;
  documentName: string;
  documentSha256: string;
}

/** The act's lines of a statement, in their fixed order. */
export function statedActFields(act: StatedAct): [string, string][] {
  return [
    ["RFC", act.rfc],
    ...(act.registroPatronal
      ? [["Registro patronal", act.registroPatronal] satisfies [string, string]]
      : []),
    ["Acto", act.actId],
    ["Oficio", act.oficio],
    ["Tipo de acto", act.actType],
    ["Unidad emisora", act.issuingUnit],
    ["Documento", act.documentName],
    ["SHA-256 del documento", act.documentSha256],
  ];
}

export interface AvisoStatementInput extends StatedAct {
  /** The instant the document was made available: the aviso's (rule a, fixed at deposit). */
  availableAt: Temporal.Instant;
  openBy: Temporal.PlainDate;
  deemedNotifiedAt: Temporal.Instant;
  /** What computed `availableAt`: the deposit's calendar and rules. */
  availableBy: CalendarUsed;
  /** What computed `openBy` and `deemedNotifiedAt`: the calendar in force when it was sealed. */
  termBy: CalendarUsed;
  /** Each message the deposit queued for the aviso, in the order it queued them. */
  addresses: readonly {
    channel: "correo" | "sms";
    address: string;
    /** SHA-256 (hex) of avisoAddressDigestInput(key, address). */
    digest: string;
  }[];
}

/**
 * Control characters and bidirectional overrides in a stored value become a space: no value can
 * forge another line, nor reorder how its own line reads.
 */
export const oneLine = (value: string) =>
  value.replace(/[\p{Cc}\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]+/gu, " ");

const CHANNELS = { correo: "correo electrónico", sms: "celular (SMS)" } as const;

/** An aviso's address as the statements name it: channel, masked address, digest. */
export function avisoAddressText(a: {
  channel: "correo" | "sms";
  address: string;
  digest: string;
}): string {
  return `${CHANNELS[a.channel]} ${maskAddress(a.channel, a.address)}; huella ${a.digest}`;
}

/** The field that says how each address's digest is taken (after the address lines). */
export const ADDRESS_DIGEST_FIELD: [string, string] = [
  "Huella de cada dirección",
  "SHA-256 de la clave del mensaje, un espacio y la dirección completa (ambas en la evidencia del aviso)",
];

/** A calendar version and its rules, as the statements name them. */
export const calendarText = (c: CalendarUsed) =>
  `${c.authority} ${c.version}, reglas ${c.rulesVersion}`;

/**
 * The canonical statement. Never throws: the job that seals it must not stall on one act's
 * stored text, so a control character in a stored value is written as a space.
 */
export function avisoStatement(input: AvisoStatementInput): string {
  const sameCalendar =
    input.availableBy.authority === input.termBy.authority &&
    input.availableBy.version === input.termBy.version &&
    input.availableBy.rulesVersion === input.termBy.rulesVersion;
  const fields: [string, string][] = [
    ...statedActFields(input),
    [
      "Disponible desde",
      `${formatInstant(input.availableAt)} (momento del aviso; Lineamientos 7.2 y 7.3)`,
    ],
    ["Plazo", termStatement(input.availableAt, input.openBy, input.deemedNotifiedAt)],
    ["Último día para abrir", `${input.openBy.toString()} (${spanishDate(input.openBy)})`],
    [
      "Notificada si no se abre",
      `${formatInstant(input.deemedNotifiedAt)} (cuarto día hábil; Lineamientos 7.5; CFF art. 134, fracción I)`,
    ],
    ...(sameCalendar
      ? [
          [
            "Calendario",
            `${calendarText(input.availableBy)} (el momento del aviso y el plazo)`,
          ] satisfies [string, string],
        ]
      : [
          [
            "Calendario del aviso",
            `${calendarText(input.availableBy)} (el momento del aviso, calculado al depositar)`,
          ] satisfies [string, string],
          [
            "Calendario del plazo",
            `${calendarText(input.termBy)} (el último día para abrir y el cuarto día hábil)`,
          ] satisfies [string, string],
        ]),
    ...(input.addresses.length === 0
      ? [["Aviso dirigido a", "ninguna dirección registrada"] satisfies [string, string]]
      : [
          ...input.addresses.map((a): [string, string] => [
            "Aviso dirigido a",
            avisoAddressText(a),
          ]),
          ADDRESS_DIGEST_FIELD,
        ]),
  ];
  const lines = [
    "Buzón IMSS — Aviso de notificación",
    ...fields.map(([k, v]) => `${k}: ${oneLine(v)}`),
  ];
  return `${lines.join("\n").normalize("NFC")}\n`;
}
