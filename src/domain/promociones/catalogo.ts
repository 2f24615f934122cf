import { PromocionError } from "./errors.ts";

/**
 * The types of promoción a particular files through the Buzón IMSS (Lineamientos 6.1–6.5; the
 * portal's «Promociones Electrónicas»), as data (`catalogos/promociones.json`): a new type, a
 * new attachment kind or another limit is a reviewed change of a file, not of code. Pure: the
 * feature reads the file and hands the JSON here.
 */

/**
 * Kinds of attachment, told apart by their bytes ({@link sniffKind}); a name must also carry the
 * extension of its kind ({@link checkAttachmentKind}), but it never makes the kind.
 */
export const ATTACHMENT_KINDS = ["pdf", "xml", "imagen", "zip"] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface PromocionType {
  /** Stable id (`icsoe`…): what the API and the manifest name. */
  id: string;
  name: string;
  /**
   * `promociones`: filed with POST /api/v1/promociones. `medios_de_contacto`: the activation's
   * aclaración, filed from the mailbox's means (POST /api/v1/buzon/aclaraciones) before the
   * mailbox is enabled; listed so the catalogue names every promoción the Buzón receives.
   */
  presentacion: "promociones" | "medios_de_contacto";
  /** Whether it names the notification it answers: required, or not admitted. */
  notificacion: "requerida" | "no_admitida";
  asunto: { maxLength: number };
  texto: { minLength: number; maxLength: number };
  adjuntos: {
    tipos: readonly AttachmentKind[];
    maxArchivos: number;
    maxBytesPorArchivo: number;
    maxBytesTotal: number;
  };
  nota: string | null;
}

export interface PromocionCatalogue {
  version: string;
  source: string;
  types: readonly PromocionType[];
  find(id: string): PromocionType | undefined;
  /** The type with this id, or a 422 naming the valid ones. */
  require(id: string, pointer?: string): PromocionType;
  /** The largest file and the most files any type takes: the multipart parser's backstop. */
  largest: { bytes: number; files: number };
}

const ID = /^[a-z][a-z0-9_]{1,60}$/;
const KEYS = new Set([
  "id",
  "name",
  "presentacion",
  "notificacion",
  "asunto",
  "texto",
  "adjuntos",
  "nota",
]);

function invalid(detail: string): PromocionError {
  return new PromocionError(
    "promocion_catalogue_invalid",
    `Catálogo de promociones inválido: ${detail}`,
  );
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid(`${at} debe ser un objeto.`);
  }
  return value as Record<string, unknown>;
}

function count(value: unknown, at: string, min = 0): number {
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw invalid(`${at} debe ser un entero mayor o igual a ${min}.`);
  }
  return value as number;
}

/** Validates the catalogue's JSON: every type once, each with its fields and limits. */
export function parsePromocionCatalogue(json: unknown): PromocionCatalogue {
  const doc = object(json, "el catálogo");
  if (typeof doc.version !== "string" || doc.version.trim() === "")
    throw invalid("falta «version».");
  if (typeof doc.source !== "string" || doc.source.trim() === "") throw invalid("falta «source».");
  if (!Array.isArray(doc.types) || doc.types.length === 0) {
    throw invalid("«types» debe ser una lista no vacía.");
  }
  const types: PromocionType[] = [];
  for (const [index, entry] of doc.types.entries()) {
    const at = `types[${index}]`;
    const t = object(entry, at);
    for (const key of Object.keys(t)) {
      if (!KEYS.has(key)) throw invalid(`${at} tiene un campo desconocido «${key}».`);
    }
    if (typeof t.id !== "string" || !ID.test(t.id)) {
      throw invalid(`${at}.id debe ser un identificador en minúsculas (a-z, 0-9, _).`);
    }
    if (types.some((other) => other.id === t.id))
      throw invalid(`el tipo ${t.id} aparece dos veces.`);
    if (typeof t.name !== "string" || t.name.trim() === "") throw invalid(`${at}.name falta.`);
    if (t.presentacion !== "promociones" && t.presentacion !== "medios_de_contacto") {
      throw invalid(`${at}.presentacion debe ser «promociones» o «medios_de_contacto».`);
    }
    if (t.notificacion !== "requerida" && t.notificacion !== "no_admitida") {
      throw invalid(`${at}.notificacion debe ser «requerida» o «no_admitida».`);
    }
    const asunto = object(t.asunto, `${at}.asunto`);
    const texto = object(t.texto, `${at}.texto`);
    const adjuntos = object(t.adjuntos, `${at}.adjuntos`);
    const tipos = adjuntos.tipos;
    if (
      !Array.isArray(tipos) ||
      tipos.some((k) => !(ATTACHMENT_KINDS as readonly unknown[]).includes(k)) ||
      new Set(tipos).size !== tipos.length
    ) {
      throw invalid(
        `${at}.adjuntos.tipos debe listar, sin repetir, de: ${ATTACHMENT_KINDS.join(", ")}.`,
      );
    }
    const maxArchivos = count(adjuntos.maxArchivos, `${at}.adjuntos.maxArchivos`);
    const maxBytesPorArchivo = count(
      adjuntos.maxBytesPorArchivo,
      `${at}.adjuntos.maxBytesPorArchivo`,
    );
    const maxBytesTotal = count(adjuntos.maxBytesTotal, `${at}.adjuntos.maxBytesTotal`);
    if ((maxArchivos === 0) !== (tipos.length === 0)) {
      throw invalid(
        `${at}.adjuntos: sin tipos no admite archivos, y con tipos debe admitir alguno.`,
      );
    }
    if (maxArchivos > 0 && (maxBytesPorArchivo < 1 || maxBytesTotal < maxBytesPorArchivo)) {
      throw invalid(`${at}.adjuntos: maxBytesTotal debe ser al menos maxBytesPorArchivo (> 0).`);
    }
    const minLength = count(texto.minLength, `${at}.texto.minLength`);
    const maxLength = count(texto.maxLength, `${at}.texto.maxLength`, 1);
    if (minLength > maxLength) throw invalid(`${at}.texto: minLength mayor que maxLength.`);
    const nota = t.nota ?? null;
    if (nota !== null && typeof nota !== "string") throw invalid(`${at}.nota debe ser texto.`);
    types.push({
      id: t.id,
      name: t.name.trim(),
      presentacion: t.presentacion,
      notificacion: t.notificacion,
      asunto: { maxLength: count(asunto.maxLength, `${at}.asunto.maxLength`, 1) },
      texto: { minLength, maxLength },
      adjuntos: {
        tipos: tipos as AttachmentKind[],
        maxArchivos,
        maxBytesPorArchivo,
        maxBytesTotal,
      },
      nota,
    });
  }
  const byId = new Map(types.map((t) => [t.id, t]));
  return {
    version: doc.version,
    source: doc.source,
    types,
    find: (id) => byId.get(id),
    require(id, pointer = "/type") {
      const found = byId.get(id);
      if (found) return found;
      throw new PromocionError(
        "unknown_promocion_type",
        `El tipo de promoción «${id.slice(0, 60)}» no está en el catálogo (${types.map((t) => t.id).join(", ")}).`,
        { pointer },
      );
    },
    largest: {
      bytes: Math.max(0, ...types.map((t) => t.adjuntos.maxBytesPorArchivo)),
      files: Math.max(0, ...types.map((t) => t.adjuntos.maxArchivos)),
    },
  };
}

/** What each kind is stored as (`blobs.media_type`). */
export function mediaTypeOf(kind: AttachmentKind, bytes: Uint8Array): string {
  switch (kind) {
    case "pdf":
      return "application/pdf";
    case "xml":
      return "application/xml";
    case "zip":
      return "application/zip";
    case "imagen":
      return bytes[0] === 0x89 ? "image/png" : "image/jpeg";
  }
}

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.byteLength >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

function includesAscii(bytes: Uint8Array, text: string, from: number, to: number): boolean {
  const codes = [...text].map((c) => c.charCodeAt(0));
  for (let i = Math.max(0, from); i + codes.length <= Math.min(bytes.byteLength, to); i++) {
    if (startsWith(bytes, codes, i)) return true;
  }
  return false;
}

/**
 * The attachment's kind by its bytes, or undefined when it is none of the kinds the Buzón takes:
 * a PDF starts with «%PDF-» within its first KiB and ends with «%%EOF» within its last (a
 * truncated PDF is not one), XML is text starting (after an optional BOM and blanks) with «<?xml»
 * or an element, images are PNG or JPEG by their signatures, and a ZIP starts with a local file
 * header («PK\3\4»). A name's extension never decides.
 */
export function sniffKind(bytes: Uint8Array): AttachmentKind | undefined {
  const n = bytes.byteLength;
  if (n === 0) return undefined;
  if (includesAscii(bytes, "%PDF-", 0, 1024)) {
    return includesAscii(bytes, "%%EOF", n - 1024, n) ? "pdf" : undefined;
  }
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "imagen";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "imagen";
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return "zip";
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (
    i < n &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  if (bytes[i] === 0x3c) {
    const next = bytes[i + 1] ?? 0;
    const isNameStart =
      (next >= 0x41 && next <= 0x5a) || (next >= 0x61 && next <= 0x7a) || next === 0x5f;
    if (next === 0x3f ? includesAscii(bytes, "<?xml", i, i + 5) : isNameStart) {
      return isUtf8(bytes) ? "xml" : undefined;
    }
  }
  return undefined;
}

/** sniffKind over a document that arrives in pieces (see createKindSniffer). */
export interface KindSniffer {
  update(chunk: Uint8Array): void;
  /** What sniffKind answers for all the bytes: asked once, after the last piece. */
  kind(): AttachmentKind | undefined;
  /** The first KiB (what mediaTypeOf looks at). */
  readonly head: Uint8Array;
}

const SNIFF_WINDOW = 1024;
const isBlank = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
const startsName = (b: number) =>
  (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
const XML_DECLARATION = [..."<?xml"].map((c) => c.charCodeAt(0));

/**
 * The same answer as sniffKind, from the pieces of a document as they stream, holding only its
 * first and last KiB: the PDF's, image's and ZIP's marks are there; XML's first element comes
 * after an optional BOM and blanks (followed to wherever they end, not stored), and its UTF-8 is
 * checked piece by piece only while the document may still be XML.
 */
export function createKindSniffer(): KindSniffer {
  let head = new Uint8Array(0);
  let tail = new Uint8Array(0);
  let size = 0;
  /** The first bytes while it is not yet known whether they are a BOM. */
  let opening: number[] = [];
  let bomKnown = false;
  /** Up to five bytes from the first non-blank one after the optional BOM. */
  const lead: number[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let utf8 = true;

  const feedLead = (b: number) => {
    if (lead.length === 0 && isBlank(b)) return;
    if (lead.length < 5) lead.push(b);
  };
  const settleOpening = () => {
    bomKnown = true;
    const bom = opening[0] === 0xef && opening[1] === 0xbb && opening[2] === 0xbf;
    if (!bom) for (const b of opening) feedLead(b);
    opening = [];
  };
  /** False once the lead rules XML out (its first non-blank byte, or the one after it). */
  const mayBeXml = () => {
    if (lead.length === 0) return true;
    if (lead[0] !== 0x3c) return false;
    if (lead.length === 1) return true;
    if (lead[1] === 0x3f) return lead.every((b, i) => b === XML_DECLARATION[i]);
    return startsName(lead[1] ?? 0);
  };
  const concat = (a: Uint8Array, b: Uint8Array) => {
    const joined = new Uint8Array(a.byteLength + b.byteLength);
    joined.set(a, 0);
    joined.set(b, a.byteLength);
    return joined;
  };

  return {
    get head() {
      return head;
    },
    update(chunk) {
      if (chunk.byteLength === 0) return;
      if (head.byteLength < SNIFF_WINDOW) {
        head = concat(head, chunk.subarray(0, SNIFF_WINDOW - head.byteLength));
      }
      tail =
        chunk.byteLength >= SNIFF_WINDOW
          ? new Uint8Array(chunk.subarray(chunk.byteLength - SNIFF_WINDOW))
          : concat(tail, chunk).slice(-SNIFF_WINDOW);
      size += chunk.byteLength;
      for (let i = 0; i < chunk.byteLength && lead.length < 5; i++) {
        const b = chunk[i] as number;
        if (bomKnown) feedLead(b);
        else {
          opening.push(b);
          if (opening.length === 3) settleOpening();
        }
      }
      if (utf8 && mayBeXml()) {
        try {
          decoder.decode(chunk, { stream: true });
        } catch {
          utf8 = false;
        }
      }
    },
    kind() {
      if (size === 0) return undefined;
      if (includesAscii(head, "%PDF-", 0, SNIFF_WINDOW)) {
        return includesAscii(tail, "%%EOF", 0, tail.byteLength) ? "pdf" : undefined;
      }
      if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "imagen";
      if (startsWith(head, [0xff, 0xd8, 0xff])) return "imagen";
      if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return "zip";
      if (!bomKnown) settleOpening();
      if (lead[0] !== 0x3c || !utf8) return undefined;
      const next = lead[1] ?? 0;
      const element =
        next === 0x3f
          ? lead.length === 5 && lead.every((b, i) => b === XML_DECLARATION[i])
          : startsName(next);
      if (!element) return undefined;
      try {
        // The end of the stream: an incomplete last character is not UTF-8.
        decoder.decode();
        return "xml";
      } catch {
        utf8 = false;
        return undefined;
      }
    },
  };
}

/**
 * The extensions a name may end with for each kind (case aside): an anexo's name must carry one
 * of its kind's, so what the person and the staff read in the name is what the bytes are.
 */
export const KIND_EXTENSIONS: Record<AttachmentKind, readonly string[]> = {
  pdf: ["pdf"],
  xml: ["xml"],
  // .jfif and .jpe: how Windows browsers and some cameras save JPEGs.
  imagen: ["png", "jpg", "jpeg", "jpe", "jfif"],
  zip: ["zip"],
};

const extensionOf = (name: string) => name.toLowerCase().match(/\.([a-z0-9]{1,5})$/)?.[1];

/** The kind a name's extension claims, when it claims one the Buzón knows. */
export function kindClaimedBy(name: string): AttachmentKind | undefined {
  const ext = extensionOf(name);
  return ATTACHMENT_KINDS.find((kind) => ext !== undefined && KIND_EXTENSIONS[kind].includes(ext));
}

const KIND_NAMES: Record<AttachmentKind, string> = {
  pdf: "PDF",
  xml: "XML",
  imagen: "imagen (PNG o JPEG)",
  zip: "ZIP",
};

/** «PDF (.pdf), imagen (PNG o JPEG) (.png, .jpg, .jpeg, .jpe, .jfif)»: the kinds a type takes, with names. */
function allowedOf(type: PromocionType): string {
  const kinds = type.adjuntos.tipos.map(
    (k) => `${KIND_NAMES[k]} (${KIND_EXTENSIONS[k].map((e) => `.${e}`).join(", ")})`,
  );
  return kinds.join(", ") || "ningún anexo";
}

/**
 * Refuses a name that does not end with the extension of a kind the type takes (a
 * «Comprobante.exe», an «instrucciones.html»), before any byte is signed or sent: the pointer is
 * the anexo's. Answers the kind the name claims.
 */
export function checkAttachmentName(
  type: PromocionType,
  name: string,
  pointer: string,
): AttachmentKind {
  const claimed = kindClaimedBy(name);
  if (!claimed || !type.adjuntos.tipos.includes(claimed)) {
    throw new PromocionError(
      "attachment_kind_not_allowed",
      `«${name}» no es un archivo que admita «${type.name}»: se admiten ${allowedOf(type)}, y el nombre debe terminar en la extensión de su tipo.`,
      { pointer },
    );
  }
  return claimed;
}

/**
 * Refuses an attachment whose name does not carry the extension of a kind the type takes, or
 * whose bytes are not the kind its name claims (a «.pdf» that is not a PDF, a PDF named
 * «.exe»): answers the kind its bytes are, which is then also the kind its name says.
 */
export function checkAttachmentKind(
  type: PromocionType,
  name: string,
  bytes: Uint8Array | Pick<KindSniffer, "kind">,
  pointer: string,
): AttachmentKind {
  const claimed = checkAttachmentName(type, name, pointer);
  const kind = bytes instanceof Uint8Array ? sniffKind(bytes) : bytes.kind();
  if (kind !== claimed) {
    throw new PromocionError(
      "attachment_kind_not_allowed",
      `«${name}» se llama como ${KIND_NAMES[claimed]} pero su contenido no lo es${claimed === "pdf" ? " (un PDF completo empieza con «%PDF-» y termina con «%%EOF»)" : ""}.`,
      { pointer },
    );
  }
  return kind;
}

// Format characters (bidi controls such as U+202E, zero-width ones) and controls: invisible,
// and able to make a name read as another («Comprobante\u202Efdp.exe» shows «…exe.pdf»).
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const MEDIA_TYPE_EXTENSIONS: Record<string, readonly string[]> = {
  "application/pdf": ["pdf"],
  "application/xml": ["xml"],
  "application/zip": ["zip"],
  "image/png": ["png"],
  "image/jpeg": ["jpg", "jpeg", "jpe", "jfif"],
};

/**
 * The name an anexo is downloaded as: the name signed, without invisible characters, ending with
 * the extension of what its bytes are (`mediaType`, from its kind): a name filed before names
 * were checked, «Comprobante.exe» holding a PDF, downloads as «Comprobante.exe.pdf», so no
 * program opens it as what its old name says. The signed name itself never changes.
 */
export function downloadName(name: string, mediaType: string): string {
  const visible = name.replace(HIDDEN, "").trim() || "anexo";
  const extensions = MEDIA_TYPE_EXTENSIONS[mediaType] ?? ["bin"];
  const ext = extensionOf(visible);
  return ext !== undefined && extensions.includes(ext)
    ? visible
    : `${visible}.${extensions[0] ?? "bin"}`;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
