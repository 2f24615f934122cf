import type { FieldErrors } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { ApiError, authApi, clientProblem } from "./client.ts";
import type { ProblemDetails } from "./types.ts";

/**
 * Sign-in with the e.firma ("Validación FIEL"). The private key is opened and used in this tab
 * only; what travels is the RFC, then the certificate and a signature of the server's
 * challenge. The e.firma code (node-forge) is loaded on first use, not with the app.
 */

const t = es.signIn;

/** The most a `.cer` or `.key` may weigh: real ones are under 2 KiB. */
export const MAX_FILE_BYTES = 64 * 1024;

/** 3 letters (moral) or 4 (física), YYMMDD, 3 homoclave characters: the shape only. */
export const RFC_SHAPE = /^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$/u;

/** The form's fields, by the id (and name) of their inputs. */
export const SIGN_IN_FIELDS = {
  rfc: "rfc",
  certificate: "certificado",
  privateKey: "llave",
  password: "contrasena",
} as const;

export type SignInField = keyof typeof SIGN_IN_FIELDS;

export interface SignInInput {
  rfc: string;
  certificate: File | undefined;
  privateKey: File | undefined;
  password: string;
  /** «Mantener la sesión»: the cookie outlives the browser (up to the session's limit). */
  remember?: boolean;
}

/** A refusal to show: the Spanish problem, and the field to fix when there is one. */
export class SignInError extends Error {
  readonly problem: ProblemDetails;
  readonly field: SignInField | undefined;

  constructor(problem: ProblemDetails, field?: SignInField) {
    super(problem.detail);
    this.name = "SignInError";
    this.problem = problem;
    this.field = field;
  }
}

function refuse(detail: string, field?: SignInField): SignInError {
  return new SignInError(clientProblem(detail), field);
}

/** Normalizes what the person typed: no surrounding spaces, upper case. */
export function normalizeRfc(text: string): string {
  return text.trim().toUpperCase();
}

/**
 * Checks the form before anything is read or sent, every field at once: the Spanish message of
 * each field to fix, by input id, in the order of the form (empty when all is well).
 */
export function validateSignIn(input: SignInInput): FieldErrors {
  const errors: FieldErrors = {};
  const rfc = normalizeRfc(input.rfc);
  if (rfc === "") errors[SIGN_IN_FIELDS.rfc] = t.errors.rfcMissing;
  else if (!RFC_SHAPE.test(rfc)) errors[SIGN_IN_FIELDS.rfc] = t.errors.rfcInvalid;
  return Object.assign(errors, validateEfirmaFields(input, SIGN_IN_FIELDS));
}

/**
 * The e.firma fields' checks (both files present and not oversized, a password), shared by
 * every form that signs: the Spanish message of each field to fix, by the form's input ids.
 */
export function validateEfirmaFields(
  input: Pick<SignInInput, "certificate" | "privateKey" | "password">,
  ids: { certificate: string; privateKey: string; password: string },
): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.certificate) errors[ids.certificate] = t.errors.certificateMissing;
  else if (input.certificate.size > MAX_FILE_BYTES) {
    errors[ids.certificate] = t.errors.fileTooLarge(t.files.certificate);
  }
  if (!input.privateKey) errors[ids.privateKey] = t.errors.privateKeyMissing;
  else if (input.privateKey.size > MAX_FILE_BYTES) {
    errors[ids.privateKey] = t.errors.fileTooLarge(t.files.privateKey);
  }
  if (input.password === "") errors[ids.password] = t.errors.passwordMissing;
  return errors;
}

/**
 * The input (by the form's ids, as validateEfirmaFields takes them) an e.firma refusal points
 * at, if any. A form that signs has no RFC field: a certificate of another RFC points at the
 * certificate.
 */
export function efirmaFieldOf(
  error: SignInError,
  ids: { certificate: string; privateKey: string; password: string },
): string | undefined {
  if (error.field === undefined) return undefined;
  return error.field === "rfc" ? ids.certificate : ids[error.field];
}

async function readFile(file: File, what: string, field: SignInField): Promise<Uint8Array> {
  try {
    return new Uint8Array(await file.arrayBuffer());
  } catch {
    throw refuse(t.errors.fileUnreadable(what), field);
  }
}

async function loadEfirma() {
  try {
    return await import("../efirma/index.ts");
  } catch {
    throw refuse(t.errors.moduleFailed);
  }
}

/** The e.firma's files as a form holds them. */
export interface EfirmaFiles {
  certificate: File;
  privateKey: File;
  password: string;
}

/** An e.firma opened in this tab: its certificate (base64 DER) and a signer of texts. */
export interface OpenedEfirma {
  certificate: string;
  /** Signs a text exactly as given (RSA PKCS#1 v1.5, SHA-256), answering base64. */
  sign(text: string): Promise<string>;
  /**
   * Signs a document's bytes and answers its detached CMS (.p7s, base64 DER) with this
   * certificate: what a public servant deposits with an act.
   */
  signDocument(bytes: Uint8Array<ArrayBuffer>): Promise<string>;
}

async function loadCms() {
  try {
    return await import("../efirma/cms.ts");
  } catch {
    throw refuse(t.errors.moduleFailed);
  }
}

/**
 * Opens the e.firma here: reads the certificate, checks it is `rfc`'s (`mismatch` says why not),
 * opens the key with the password, and checks key and certificate belong together. The key
 * bytes are wiped once read; the key never leaves this tab. Throws SignInError with the field.
 */
export async function openEfirma(
  files: EfirmaFiles,
  rfc: string,
  mismatch: (certificateRfc: string) => string,
): Promise<OpenedEfirma> {
  const efirma = await loadEfirma();
  const fieldOf = {
    wrong_password: "password",
    not_a_key: "privateKey",
    unsupported_key: "privateKey",
    not_a_certificate: "certificate",
    key_mismatch: "privateKey",
  } as const;
  try {
    const certificate = efirma.readCertificateFile(
      await readFile(files.certificate, t.files.certificate, "certificate"),
    );
    if (certificate.rfc !== null && certificate.rfc !== rfc) {
      throw refuse(mismatch(certificate.rfc), "rfc");
    }
    const keyBytes = await readFile(files.privateKey, t.files.privateKey, "privateKey");
    let key: CryptoKey;
    try {
      key = await efirma.openPrivateKey(keyBytes, files.password);
    } finally {
      keyBytes.fill(0);
    }
    if (!(await efirma.keyMatchesCertificate(key, certificate))) {
      throw new efirma.EfirmaBrowserError("key_mismatch");
    }
    const certificateDer = efirma.base64ToBytes(certificate.base64);
    return {
      certificate: certificate.base64,
      sign: (text) => efirma.signText(key, text),
      async signDocument(bytes) {
        const [cms, signature] = await Promise.all([loadCms(), efirma.signBytes(key, bytes)]);
        return cms.detachedCmsBase64(certificateDer, signature);
      },
    };
  } catch (error) {
    if (error instanceof efirma.EfirmaBrowserError) {
      throw refuse(error.message, fieldOf[error.code]);
    }
    throw error;
  }
}

/**
 * Signs in: checks the form, opens the key here, asks for a challenge, signs it, and opens the
 * session. Resolves when the session cookie is set; throws SignInError with a Spanish detail.
 * The form is expected to have passed validateSignIn.
 */
export async function signIn(input: SignInInput): Promise<void> {
  const first = Object.values(validateSignIn(input))[0];
  if (first !== undefined) throw refuse(first);
  const rfc = normalizeRfc(input.rfc);
  const efirma = await openEfirma(
    { certificate: input.certificate!, privateKey: input.privateKey!, password: input.password },
    rfc,
    (certificateRfc) => t.errors.rfcMismatch(certificateRfc, rfc),
  );
  try {
    const challenge = await authApi.desafio(rfc);
    const signature = await efirma.sign(challenge.toSign);
    await authApi.iniciarSesion({
      challengeId: challenge.challengeId,
      certificate: efirma.certificate,
      signature,
      ...(input.remember ? { remember: true } : {}),
    });
  } catch (error) {
    if (error instanceof ApiError) throw new SignInError(error.problem);
    throw error;
  }
}
