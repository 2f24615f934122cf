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

/**
 * Checks what a promoción says against its type (catalogos/promociones.json): the subject one
 * line, the text within its lengths, the notification required or not admitted, and the anexos'
 * names (one line, ending with the extension of a kind the type takes), hashes, sizes and count
 * within the type's limits. Answers the normalized values.
 */
export function checkPromocionContent(
  type: PromocionType,
  input: { subject: string; text: string; notificacionId?: string | null | undefined },
  attachments: readonly AttachmentInput[],
  options: { draft?: boolean } = {},
): { subject: string; text: string; attachments: ManifestAttachment[] } {
  if (type.presentacion === "medios_de_contacto") {
    throw new PromocionError(
      "promocion_type_elsewhere",
      `«${type.name}» se presenta desde «Medios de contacto» de tu Buzón IMSS (POST /api/v1/buzon/aclaraciones), no como promoción firmada.`,
      { pointer: "/type" },
    );
  }
  const subject =
    options.draft && input.subject.trim() === ""
      ? ""
      : checkLine(input.subject, "El asunto", "/subject", type.asunto.maxLength);
  const text = normalizeText(input.text);
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
  const notificacion = input.notificacionId ?? null;
  if (type.notificacion === "requerida" && notificacion === null && !options.draft) {
    throw invalid(
      `«${type.name}» debe nombrar la notificación del requerimiento que contesta.`,
      "/notificacionId",
    );
  }
  if (type.notificacion === "no_admitida" && notificacion !== null) {
    throw invalid(`«${type.name}» no contesta una notificación.`, "/notificacionId");
  }
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
  return { subject, text, attachments: clean };
}
