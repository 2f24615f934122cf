import { checkAttachmentName, type PromocionType } from "./catalogo.ts";
import { PromocionError } from "./errors.ts";
import { checkLine, type ManifestAttachment, normalizeText } from "./manifest.ts";

/**
 * What a promoción says, checked against its type (catalogos/promociones.json). Pure and free of
 * node-only imports: the server refuses with it and the web app checks the same rules before
 * anything is signed or sent, so both say the same thing in the same words.
 */

export interface AttachmentInput {
  name: string;
  sha256: string;
  size: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

function invalid(detail: string, pointer: string): PromocionError {
  return new PromocionError("promocion_invalid", detail, { pointer });
}

type ContentInput = { subject: string; text: string; notificacionId?: string | null | undefined };
type ContentOptions = { draft?: boolean };

/**
 * Checks what a promoción says against its type (catalogos/promociones.json): the subject one
 * line, the text within its lengths, the notification required or not admitted, and the anexos'
 * names (one line, ending with the extension of a kind the type takes), hashes, sizes and count
 * within the type's limits. Answers the normalized values; refuses with the first part that
 * does not fit, in the form's order (promocionContentErrors names every one).
 */
export function checkPromocionContent(
  type: PromocionType,
  input: ContentInput,
  attachments: readonly AttachmentInput[],
  options: ContentOptions = {},
): { subject: string; text: string; attachments: ManifestAttachment[] } {
  checkPresentacion(type);
  const subject = checkSubject(type, input.subject, options);
  const text = checkText(type, input.text, options);
  checkNotificacion(type, input.notificacionId, options);
  return { subject, text, attachments: checkAttachments(type, attachments) };
}

/**
 * Every part of the promoción that does not fit its type, each with its own refusal (the first
 * of that part), in the form's order: a form shows them all at once, each at its field, while
 * the server answers the first (checkPromocionContent) with the same words.
 */
export function promocionContentErrors(
  type: PromocionType,
  input: ContentInput,
  attachments: readonly AttachmentInput[],
  options: ContentOptions = {},
): PromocionError[] {
  const parts = [
    () => checkPresentacion(type),
    () => checkSubject(type, input.subject, options),
    () => checkText(type, input.text, options),
    () => checkNotificacion(type, input.notificacionId, options),
    () => checkAttachments(type, attachments),
  ];
  const errors: PromocionError[] = [];
  for (const part of parts) {
    try {
      part();
    } catch (error) {
      if (!(error instanceof PromocionError)) throw error;
      errors.push(error);
    }
  }
  return errors;
}

function checkPresentacion(type: PromocionType): void {
  if (type.presentacion === "medios_de_contacto") {
    throw new PromocionError(
      "promocion_type_elsewhere",
      `«${type.name}» se presenta desde «Medios de contacto» de tu Buzón IMSS (POST /api/v1/buzon/aclaraciones), no como promoción firmada.`,
      { pointer: "/type" },
    );
  }
}

function checkSubject(type: PromocionType, subject: string, options: ContentOptions): string {
  return options.draft && subject.trim() === ""
    ? ""
    : checkLine(subject, "El asunto", "/subject", type.asunto.maxLength);
}

function checkText(type: PromocionType, input: string, options: ContentOptions): string {
  const text = normalizeText(input);
  const length = [...text].length;
  if (
    length > type.texto.maxLength ||
    (!options.draft && text.trim().length < type.texto.minLength)
  ) {
    throw invalid(
      `El escrito debe tener de ${Math.max(1, type.texto.minLength)} a ${type.texto.maxLength.toLocaleString("es-MX")} caracteres (tiene ${length.toLocaleString("es-MX")}).`,
      "/text",
    );
  }
  return text;
}

function checkNotificacion(
  type: PromocionType,
  notificacionId: string | null | undefined,
  options: ContentOptions,
): void {
  const notificacion = notificacionId ?? null;
  if (type.notificacion === "requerida" && notificacion === null && !options.draft) {
    throw invalid(
      `«${type.name}» debe nombrar la notificación del requerimiento que contesta.`,
      "/notificacionId",
    );
  }
  if (type.notificacion === "no_admitida" && notificacion !== null) {
    throw invalid(`«${type.name}» no contesta una notificación.`, "/notificacionId");
  }
}

function checkAttachments(
  type: PromocionType,
  attachments: readonly AttachmentInput[],
): ManifestAttachment[] {
  const { maxArchivos, maxBytesPorArchivo, maxBytesTotal } = type.adjuntos;
  if (attachments.length > maxArchivos) {
    throw new PromocionError(
      "attachment_count",
      maxArchivos === 0
        ? `«${type.name}» no admite anexos.`
        : `«${type.name}» admite hasta ${maxArchivos} anexos; enviaste ${attachments.length}.`,
      { pointer: "/attachments" },
    );
  }
  let total = 0;
  const clean = attachments.map((a, i) => {
    const pointer = `/attachments/${i}`;
    const name = checkLine(a.name, `El nombre del anexo ${i + 1}`, `${pointer}/name`, 200);
    // The extension of a kind the type takes, before anything is signed: the bytes must then
    // be that kind when they arrive (checkAttachmentKind).
    checkAttachmentName(type, name, pointer);
    if (!HEX64.test(a.sha256)) {
      throw invalid(
        `La huella SHA-256 del anexo ${i + 1} debe tener 64 dígitos hexadecimales en minúsculas.`,
        `${pointer}/sha256`,
      );
    }
    if (!Number.isSafeInteger(a.size) || a.size < 1) {
      throw invalid(`El anexo ${i + 1} está vacío o su tamaño no es válido.`, `${pointer}/size`);
    }
    if (a.size > maxBytesPorArchivo) {
      throw new PromocionError(
        "attachment_too_large",
        `«${name}» mide ${a.size.toLocaleString("es-MX")} bytes: «${type.name}» admite hasta ${maxBytesPorArchivo.toLocaleString("es-MX")} bytes por archivo.`,
        { pointer: `${pointer}/size` },
      );
    }
    total += a.size;
    return { name, sha256: a.sha256, size: a.size };
  });
  if (total > maxBytesTotal) {
    throw new PromocionError(
      "attachment_too_large",
      `Los anexos suman ${total.toLocaleString("es-MX")} bytes: «${type.name}» admite hasta ${maxBytesTotal.toLocaleString("es-MX")} bytes en total.`,
      { pointer: "/attachments" },
    );
  }
  return clean;
}
