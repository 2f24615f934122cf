import { sha256 } from "@noble/hashes/sha2.js";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import type { AttachmentKind, PromocionType } from "../../../src/domain/promociones/catalogo.ts";
import {
  checkAttachmentKind,
  createKindSniffer,
} from "../../../src/domain/promociones/catalogo.ts";
import {
  checkPromocionContent,
  promocionContentErrors,
} from "../../../src/domain/promociones/content.ts";
import { PromocionError } from "../../../src/domain/promociones/errors.ts";
import { readManifest } from "../../../src/domain/promociones/manifest.ts";
import { ApiError, clientProblem, isUnauthenticated, problemOf } from "../api/client.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import {
  type Borrador,
  type BorradorRequest,
  type PromocionDetail,
  type PromocionFiled,
  type PromocionItem,
  type PromocionTypeData,
  promocionesApi,
} from "../api/promociones.ts";
import { efirmaFieldOf, openEfirma, SignInError, validateEfirmaFields } from "../api/signIn.ts";
import type { NotificacionSummary, ProblemDetails } from "../api/types.ts";
import { bytesToHex, sha256Hex } from "../components/verification/files.ts";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";
import {
  answerLost,
  filingKey,
  forgetFiling,
  pendingFiling,
  rememberFiling,
} from "./pending-filing.ts";

/**
 * «Promociones electrónicas» (issue 12 §1), the particular's side: the list and drafts, the
 * compose form checked with the server's own rules (src/domain/promociones/content.ts) against
 * the catalogue's limits, the anexos hashed here (SHA-256), the manifest signed with the e.firma
 * in this tab (the key never leaves it) and the multipart filing; then the acuse.
 */

const t = es.promociones;

let catalogueCache: Promise<PromocionTypeData[]> | undefined;

/** The types a person files here (the activation's aclaración is filed from «Medios»). */
export function promocionTypes(signal?: AbortSignal): Promise<PromocionTypeData[]> {
  catalogueCache ??= promocionesApi.catalogo(signal).then(
    (c) => c.types.filter((type) => type.presentacion === "promociones"),
    (error: unknown) => {
      catalogueCache = undefined;
      throw error;
    },
  );
  return catalogueCache;
}

/** A type's name, or its id when the catalogue does not say. */
export function typeName(id: string, types: readonly PromocionTypeData[]): string {
  return types.find((type) => type.id === id)?.name ?? id;
}

/** The catalogue's data as the domain's type (the API sends the same fields). */
function asDomainType(type: PromocionTypeData): PromocionType {
  return type as unknown as PromocionType;
}

export const NEXT_PAGE_PARAM = "antesDe";

export type PromocionesData =
  | {
      status: "loaded";
      items: PromocionItem[];
      next: string | null;
      first: boolean;
      drafts: Borrador[];
      types: PromocionTypeData[];
    }
  | { status: "refused"; problem: ProblemDetails };

/** /buzon/promociones — the person's promociones (a page at a time) and drafts. */
export async function promocionesLoader({ request }: LoaderFunctionArgs): Promise<PromocionesData> {
  await signedInSession();
  const cursor = new URL(request.url).searchParams.get(NEXT_PAGE_PARAM) ?? undefined;
  try {
    const [page, drafts, types] = await Promise.all([
      promocionesApi.lista(cursor, request.signal),
      promocionesApi.borradores(request.signal),
      promocionTypes(request.signal),
    ]);
    return {
      status: "loaded",
      items: page.items,
      next: page.next,
      first: cursor === undefined,
      drafts,
      types,
    };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export type PromocionData =
  | { status: "loaded"; detail: PromocionDetail; types: PromocionTypeData[] }
  | { status: "refused"; problem: ProblemDetails };

/** /buzon/promociones/:id — one promoción with its acuse and public timeline. */
export async function promocionLoader({
  request,
  params,
}: LoaderFunctionArgs): Promise<PromocionData> {
  await signedInSession();
  try {
    const [detail, types] = await Promise.all([
      promocionesApi.detalle(params.id ?? "", request.signal),
      promocionTypes(request.signal),
    ]);
    return { status: "loaded", detail, types };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** The compose form's inputs, by id (and name). */
export const COMPOSE_FIELDS = {
  type: "promocion-tipo",
  subject: "promocion-asunto",
  text: "promocion-escrito",
  notificacion: "promocion-notificacion",
  files: "promocion-anexos",
  certificate: "promocion-certificado",
  privateKey: "promocion-llave",
  password: "promocion-contrasena",
  draft: "borrador",
  intent: "accion",
} as const;

export const DRAFT_PARAM = "borrador";

export type ComposeData =
  | {
      status: "loaded";
      types: PromocionTypeData[];
      draft: Borrador | undefined;
      /** The acts a respuesta a requerimiento may name: the person's, already visible. */
      notificaciones: NotificacionSummary[];
    }
  | { status: "refused"; problem: ProblemDetails };

/** /buzon/promociones/nueva[?borrador=<id>] — the form, resumed from a draft when named. */
export async function composeLoader({ request }: LoaderFunctionArgs): Promise<ComposeData> {
  await signedInSession();
  const draftId = new URL(request.url).searchParams.get(DRAFT_PARAM) ?? undefined;
  try {
    const [types, draft, notificaciones] = await Promise.all([
      promocionTypes(request.signal),
      draftId ? promocionesApi.borrador(draftId, request.signal) : Promise.resolve(undefined),
      notificacionesApi.lista(request.signal).catch((error: unknown) => {
        if (isUnauthenticated(error)) throw error;
        return [] as NotificacionSummary[];
      }),
    ]);
    return { status: "loaded", types, draft, notificaciones };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

export type ComposeAnswer =
  | { status: "invalid"; errors: FieldErrors; problem?: ProblemDetails }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "draft"; draft: Borrador }
  | { status: "filed"; filed: PromocionFiled };

/** An anexo as the browser read it: its bytes' SHA-256, size and kind by content. */
export interface HashedFile {
  file: File;
  name: string;
  sha256: string;
  size: number;
  /** What its bytes are (the server's sniffKind), read in the same pass as the hash. */
  kind: AttachmentKind | undefined;
}

/**
 * Reads each chosen file here once, in pieces: its hash and its kind, never the whole file in
 * memory (an anexo may be tens of MiB, on a phone). The bytes are sent as they were hashed.
 */
export async function hashFiles(files: readonly File[]): Promise<HashedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const sniffer = createKindSniffer();
      const sha256 = await sha256Hex(file, (chunk) => sniffer.update(chunk));
      return { file, name: file.name, size: file.size, sha256, kind: sniffer.kind() };
    }),
  );
}

/** Which field a pointer of the server's (or the domain's) names. */
export function fieldOfPointer(pointer: string | undefined): string | undefined {
  if (!pointer) return undefined;
  if (pointer === "/type") return COMPOSE_FIELDS.type;
  if (pointer === "/subject") return COMPOSE_FIELDS.subject;
  if (pointer === "/text") return COMPOSE_FIELDS.text;
  if (pointer === "/notificacionId") return COMPOSE_FIELDS.notificacion;
  if (pointer.startsWith("/attachments") || pointer.startsWith("/files")) {
    return COMPOSE_FIELDS.files;
  }
  if (pointer === "/certificate" || pointer === "/signature") return COMPOSE_FIELDS.certificate;
  return undefined;
}

/**
 * A server refusal as the form shows it: at its field when it names one (with what the refusal
 * means before the server's own words), else as an alert.
 */
export function refusalOf(problem: ProblemDetails): ComposeAnswer {
  const lead = problem.code ? t.compose.refusals[problem.code] : undefined;
  const detail = lead && lead !== problem.detail ? `${lead} ${problem.detail}` : problem.detail;
  const pointer =
    problem.errors?.[0]?.pointer ??
    (problem.code === "promocion_signer_mismatch" ? "/certificate" : undefined);
  const field = fieldOfPointer(pointer);
  if (field) return { status: "invalid", errors: { [field]: detail }, problem };
  return { status: "refused", problem: { ...problem, detail } };
}

/**
 * The form's content checked with the server's rules, every field at once (its first refusal
 * each) and the anexos' kinds by their bytes too. With no type chosen, the subject and the text
 * are checked against the loosest limits of the types offered, so an empty form names all it
 * lacks; the notification and the anexos depend on the type and wait for it.
 */
export function checkContent(
  type: PromocionTypeData | undefined,
  types: readonly PromocionTypeData[],
  input: { subject: string; text: string; notificacionId: string | undefined },
  files: readonly HashedFile[],
  draft: boolean,
): FieldErrors {
  const errors: FieldErrors = {};
  const checked = type ?? loosestType(types);
  if (!type) errors[COMPOSE_FIELDS.type] = t.compose.errors.typeMissing;
  if (checked) {
    const found = promocionContentErrors(asDomainType(checked), input, files, { draft });
    for (const error of found) {
      const field = fieldOfPointer(error.pointer) ?? COMPOSE_FIELDS.type;
      if (!type && field !== COMPOSE_FIELDS.subject && field !== COMPOSE_FIELDS.text) continue;
      errors[field] ??= error.detail;
    }
  }
  if (type && !errors[COMPOSE_FIELDS.files]) {
    for (const [i, f] of files.entries()) {
      try {
        checkAttachmentKind(
          asDomainType(type),
          f.name,
          { kind: () => f.kind },
          `/attachments/${i}`,
        );
      } catch (error) {
        if (!(error instanceof PromocionError)) throw error;
        errors[COMPOSE_FIELDS.files] = error.detail;
        break;
      }
    }
  }
  return errors;
}

/** The fields in the order the form shows them: the error summary lists them so. */
const FORM_ORDER: readonly string[] = [
  COMPOSE_FIELDS.type,
  COMPOSE_FIELDS.subject,
  COMPOSE_FIELDS.notificacion,
  COMPOSE_FIELDS.text,
  COMPOSE_FIELDS.files,
  COMPOSE_FIELDS.certificate,
  COMPOSE_FIELDS.privateKey,
  COMPOSE_FIELDS.password,
];

/** The errors keyed in the form's order (the summary keeps an object's order). */
export function inFormOrder(errors: FieldErrors): FieldErrors {
  const rank = (field: string) => {
    const at = FORM_ORDER.indexOf(field);
    return at < 0 ? FORM_ORDER.length : at;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

/** A type as loose as every type offered: the longest subject and the widest text. */
function loosestType(types: readonly PromocionTypeData[]): PromocionTypeData | undefined {
  const [first] = types;
  if (!first) return undefined;
  return {
    ...first,
    asunto: { maxLength: Math.max(...types.map((x) => x.asunto.maxLength)) },
    texto: {
      minLength: Math.min(...types.map((x) => x.texto.minLength)),
      maxLength: Math.max(...types.map((x) => x.texto.maxLength)),
    },
  };
}

/** The promoción as this browser has it: the form's values as the server normalizes them. */
export interface LocalPromocion {
  rfc: string;
  type: { id: string; name: string };
  subject: string;
  text: string;
  notificacionId: string | null;
  /** As hashFiles read them here, in the order they are sent. */
  attachments: readonly { name: string; sha256: string; size: number }[];
}

/** The part of a manifest that is not what the browser has (es.promociones.compose.manifestParts). */
export type ManifestPart =
  | "formato"
  | "rfc"
  | "tipo"
  | "asunto"
  | "escrito"
  | "notificacion"
  | "anexos";

/**
 * What the e.firma is about to sign, checked against what this browser has before it signs: the
 * manifest the server returned (`toSign`) must name this RFC, type, subject, the escrito's
 * SHA-256 and size, the notification answered, and each anexo's name, size and SHA-256 as
 * hashed here — else a server (or anything between) could have the person sign another
 * promoción than the one on screen. Answers the first part that differs, or undefined.
 */
export function manifestMismatch(toSign: string, local: LocalPromocion): ManifestPart | undefined {
  const manifest = readManifest(toSign);
  if (!manifest) return "formato";
  const text = new TextEncoder().encode(local.text);
  if (manifest.rfc !== local.rfc) return "rfc";
  if (manifest.type.id !== local.type.id || manifest.type.name !== local.type.name) return "tipo";
  if (manifest.subject !== local.subject) return "asunto";
  if (manifest.textSha256 !== bytesToHex(sha256(text)) || manifest.textBytes !== text.length) {
    return "escrito";
  }
  if (manifest.notificacionId !== local.notificacionId) return "notificacion";
  const same = (a: LocalPromocion["attachments"][number] | undefined, i: number) => {
    const signed = manifest.attachments[i];
    return (
      a && signed && a.name === signed.name && a.size === signed.size && a.sha256 === signed.sha256
    );
  };
  if (
    manifest.attachments.length !== local.attachments.length ||
    !local.attachments.every((a, i) => same(a, i))
  ) {
    return "anexos";
  }
  return undefined;
}

/**
 * «Guardar borrador» or «Firmar y presentar». Both check the form with the server's rules; the
 * draft keeps the anexos' names, hashes and sizes (not their bytes). Filing opens the e.firma
 * here, asks for the manifest, signs it and sends fields then files, in the signed order.
 */
export async function composeAction({ request }: ActionFunctionArgs): Promise<ComposeAnswer> {
  const form = await request.formData();
  const intent = textOf(form, COMPOSE_FIELDS.intent) === "borrador" ? "borrador" : "presentar";
  const typeId = textOf(form, COMPOSE_FIELDS.type);
  const subject = textOf(form, COMPOSE_FIELDS.subject);
  const text = textOf(form, COMPOSE_FIELDS.text);
  const notificacionId = textOf(form, COMPOSE_FIELDS.notificacion) || undefined;
  const draftId = textOf(form, COMPOSE_FIELDS.draft) || undefined;
  const chosen = form
    .getAll(COMPOSE_FIELDS.files)
    .filter((f): f is File => f instanceof File && f.name !== "");

  const types = await promocionTypes();
  const type = types.find((candidate) => candidate.id === typeId);

  let files: HashedFile[] = [];
  let unreadable: string | undefined;
  try {
    files = await hashFiles(chosen);
  } catch {
    unreadable = t.compose.errors.fileUnreadable(chosen[0]?.name ?? "");
  }
  const errors = checkContent(
    type,
    types,
    { subject, text, notificacionId },
    files,
    intent === "borrador",
  );
  if (unreadable) errors[COMPOSE_FIELDS.files] = unreadable;
  const efirmaFiles = {
    certificate: fileOf(form, COMPOSE_FIELDS.certificate),
    privateKey: fileOf(form, COMPOSE_FIELDS.privateKey),
    password: textOf(form, COMPOSE_FIELDS.password),
  };
  if (intent === "presentar")
    Object.assign(errors, validateEfirmaFields(efirmaFiles, COMPOSE_FIELDS));
  if (!type || Object.keys(errors).length > 0) {
    return { status: "invalid", errors: inFormOrder(errors) };
  }

  const session = await signedInSession();
  const attachments = files.map(({ name, sha256, size }) => ({ name, sha256, size }));
  try {
    if (intent === "borrador") {
      const body: BorradorRequest = {
        type: type.id,
        subject,
        text,
        notificacionId: notificacionId ?? null,
        attachments,
      };
      const draft = draftId
        ? await promocionesApi.guardarBorrador(draftId, body, session.csrfToken)
        : await promocionesApi.crearBorrador(body, session.csrfToken);
      return { status: "draft", draft };
    }
    const efirma = await openEfirma(
      {
        certificate: efirmaFiles.certificate as File,
        privateKey: efirmaFiles.privateKey as File,
        password: efirmaFiles.password,
      },
      session.rfc,
      (certificateRfc) => t.compose.errors.notSessionEfirma(certificateRfc, session.rfc),
    );
    // Signed only if it is this promoción, as normalized by the server's own rules.
    const content = checkPromocionContent(
      asDomainType(type),
      { subject, text, notificacionId },
      attachments,
    );
    const expected = {
      rfc: session.rfc,
      type: { id: type.id, name: type.name },
      subject: content.subject,
      text: content.text,
      notificacionId: notificacionId?.toLowerCase() ?? null,
      // The names as the server writes them (NFC, trimmed: a Mac names files in NFD).
      attachments: content.attachments,
    };
    // The same promoción sent before without an answer: the same signed challenge again.
    const key = filingKey(expected);
    let filing = pendingFiling(key);
    if (!filing || filing.certificate !== efirma.certificate) {
      const challenge = await promocionesApi.desafio(
        {
          type: type.id,
          subject,
          text,
          attachments,
          ...(notificacionId ? { notificacionId } : {}),
        },
        session.csrfToken,
      );
      const mismatch = manifestMismatch(challenge.toSign, expected);
      if (mismatch) {
        const detail = t.compose.errors.manifestMismatch(t.compose.manifestParts[mismatch]);
        return { status: "refused", problem: clientProblem(detail) };
      }
      filing = {
        challengeId: challenge.challengeId,
        certificate: efirma.certificate,
        signature: await efirma.sign(challenge.toSign),
      };
    }
    // Fields first: the server checks the signature before it reads any file.
    const body = new FormData();
    body.append("challengeId", filing.challengeId);
    body.append("certificate", filing.certificate);
    body.append("signature", filing.signature);
    for (const f of files) body.append("files", f.file, f.name);
    let filed: PromocionFiled;
    try {
      filed = await promocionesApi.presentar(body, session.csrfToken);
    } catch (error) {
      if (!answerLost(error)) {
        forgetFiling(key);
        throw error;
      }
      rememberFiling(key, filing);
      return { status: "refused", problem: clientProblem(t.compose.errors.answerLost) };
    }
    forgetFiling(key);
    if (draftId) {
      // Sent: the draft has served. A failure here leaves a draft the person can delete.
      await promocionesApi.eliminarBorrador(draftId, session.csrfToken).catch(() => undefined);
    }
    return { status: "filed", filed };
  } catch (error) {
    if (error instanceof SignInError) {
      const field = efirmaFieldOf(error, COMPOSE_FIELDS);
      if (field) return { status: "invalid", errors: { [field]: error.problem.detail } };
      return { status: "refused", problem: error.problem };
    }
    if (isUnauthenticated(error)) throw sessionEnded();
    if (error instanceof ApiError) return refusalOf(error.problem);
    return { status: "refused", problem: clientProblem(problemOf(error).detail) };
  }
}
