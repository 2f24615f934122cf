import type { ActionFunctionArgs } from "react-router";
import { clientProblem, problemOf } from "../api/client.ts";
import type { ProblemDetails } from "../api/types.ts";
import {
  type AcuseVerification,
  type DocumentVerification,
  type SignatureVerification,
  verificationApi,
} from "../api/verification.ts";
import { folioFormErrors } from "../components/verification/fields.ts";
import {
  formatBytes,
  looksLikeJson,
  looksLikePdf,
  MAX_EXPORT_BYTES,
  MAX_PDF_BYTES,
  MAX_SIGNATURE_BYTES,
  sha256Hex,
  signatureToBase64,
} from "../components/verification/files.ts";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";

/**
 * «Verificación de documentos»'s action: each tab's form posts here through its own fetcher
 * (field `tipo`). The files stay in the page's own FormData: the action reads them here, in the
 * browser, and sends only what each verification needs (the PDF or acuse.json as it is, or a
 * document's SHA-256). The answer is the result, a refusal, or every field error at once.
 */

export const VERIFICATIONS = ["folio", "pdf", "documento", "firma"] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export interface VerificationResults {
  folio: AcuseVerification;
  pdf: AcuseVerification;
  documento: DocumentVerification;
  firma: SignatureVerification;
}

export type VerificationAnswer<K extends Verification = Verification> =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { [P in K]: { status: "done"; kind: P; result: VerificationResults[P] } }[K];

/** The forms' inputs: their ids, and their names in the FormData. */
export const VERIFICATION_FIELDS = {
  folio: "verificacion-folio",
  code: "verificacion-codigo",
  pdf: "verificacion-pdf",
  document: "verificacion-documento",
  signedDocument: "verificacion-firmado",
  signature: "verificacion-firma",
} as const;

const F = VERIFICATION_FIELDS;
const t = es.verification.errors;

/** An answer for the refusals and results of one kind of verification. */
type Answer<K extends Verification> = VerificationAnswer<K>;

function invalid(field: string, message: string): { status: "invalid"; errors: FieldErrors } {
  return { status: "invalid", errors: { [field]: message } };
}

/** The first bytes of a file, or undefined when it cannot be read. */
async function readHead(file: Blob, length: number): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await file.slice(0, length).arrayBuffer());
  } catch {
    return undefined;
  }
}

/** The document's SHA-256, or the Spanish reason it could not be computed here. */
async function documentHash(file: Blob): Promise<{ sha256: string } | { problem: ProblemDetails }> {
  try {
    return { sha256: await sha256Hex(file) };
  } catch {
    return { problem: clientProblem(t.fileUnreadable) };
  }
}

/** Sends what was checked, and turns a refusal of the API into the answer's. */
async function answerOf<K extends Verification>(
  kind: K,
  request: () => Promise<VerificationResults[K]>,
): Promise<Answer<K>> {
  try {
    return { status: "done", kind, result: await request() } as Answer<K>;
  } catch (error) {
    return { status: "refused", problem: problemOf(error) };
  }
}

/** «Por folio»: the folio and code, both checked at once. */
export async function verifyByFolio(
  form: FormData,
  signal?: AbortSignal,
): Promise<Answer<"folio">> {
  const folio = textOf(form, F.folio);
  const code = textOf(form, F.code);
  const found = folioFormErrors(folio, code, t);
  const errors: FieldErrors = {};
  if (found.folio) errors[F.folio] = found.folio;
  if (found.code) errors[F.code] = found.code;
  if (Object.keys(errors).length > 0) return { status: "invalid", errors };
  return answerOf("folio", () => verificationApi.acuse(folio, code, signal));
}

/**
 * «Acuse en PDF»: the PDF is sent as it is after a look at its size and header; its exported
 * JSON (acuse.json, the «Descargar datos» file) is read here and sent parsed.
 */
export async function verifyPdf(form: FormData, signal?: AbortSignal): Promise<Answer<"pdf">> {
  const file = fileOf(form, F.pdf);
  if (!file) return invalid(F.pdf, t.pdfMissing);
  if (file.size === 0) return invalid(F.pdf, t.emptyFile);
  if (file.size > MAX_PDF_BYTES) return invalid(F.pdf, t.pdfTooLarge(formatBytes(file.size, "up")));
  const head = await readHead(file, 1024);
  if (!head) return invalid(F.pdf, t.fileUnreadable);
  if (looksLikeJson(head)) {
    if (file.size > MAX_EXPORT_BYTES) return invalid(F.pdf, t.jsonTooLarge);
    let exported: unknown;
    try {
      exported = JSON.parse((await file.text()).replace(/^\uFEFF/, ""));
    } catch {
      return invalid(F.pdf, t.notJson);
    }
    return answerOf("pdf", () => verificationApi.export(exported, signal));
  }
  if (!looksLikePdf(head)) return invalid(F.pdf, t.notPdf);
  return answerOf("pdf", () => verificationApi.pdf(file, signal));
}

/** «Documento original»: only the SHA-256 computed here travels. */
export async function verifyDocument(
  form: FormData,
  signal?: AbortSignal,
): Promise<Answer<"documento">> {
  const file = fileOf(form, F.document);
  if (!file) return invalid(F.document, t.documentMissing);
  if (file.size === 0) return invalid(F.document, t.emptyFile);
  const hashed = await documentHash(file);
  if ("problem" in hashed) return { status: "refused", problem: hashed.problem };
  return answerOf("documento", () => verificationApi.documento(hashed.sha256, signal));
}

/** Why a signature file cannot be sent, or its CMS as base64. */
async function readSignature(
  file: File | undefined,
): Promise<{ firma: string } | { error: string }> {
  if (!file) return { error: t.signatureMissing };
  if (file.size === 0) return { error: t.emptyFile };
  if (file.size > MAX_SIGNATURE_BYTES) {
    return { error: t.signatureTooLarge(formatBytes(file.size, "up")) };
  }
  const bytes = await readHead(file, MAX_SIGNATURE_BYTES);
  if (!bytes) return { error: t.fileUnreadable };
  const firma = signatureToBase64(bytes);
  return firma ? { firma } : { error: t.notSignature };
}

/**
 * «Firma de servidor público»: a document and its detached CMS, both checked at once; the
 * document's SHA-256 is computed here, and only it and the signature travel.
 */
export async function verifySignature(
  form: FormData,
  signal?: AbortSignal,
): Promise<Answer<"firma">> {
  const document = fileOf(form, F.signedDocument);
  const errors: FieldErrors = {};
  if (!document) errors[F.signedDocument] = t.signedDocumentMissing;
  else if (document.size === 0) errors[F.signedDocument] = t.emptyFile;
  const signature = await readSignature(fileOf(form, F.signature));
  if ("error" in signature) errors[F.signature] = signature.error;
  if (!document || Object.keys(errors).length > 0 || "error" in signature) {
    return { status: "invalid", errors };
  }
  const hashed = await documentHash(document);
  if ("problem" in hashed) return { status: "refused", problem: hashed.problem };
  return answerOf("firma", () =>
    verificationApi.firma({ sha256: hashed.sha256, firma: signature.firma }, signal),
  );
}

export async function verificationAction({
  request,
}: ActionFunctionArgs): Promise<VerificationAnswer> {
  const form = await request.formData();
  const kind = textOf(form, "tipo") as Verification;
  const signal = request.signal;
  switch (kind) {
    case "folio":
      return verifyByFolio(form, signal);
    case "pdf":
      return verifyPdf(form, signal);
    case "documento":
      return verifyDocument(form, signal);
    case "firma":
      return verifySignature(form, signal);
    default:
      return { status: "refused", problem: problemOf(new Error("tipo desconocido")) };
  }
}
