import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { ApiError, clientProblem, isUnauthenticated, problemOf } from "../api/client.ts";
import { mailboxApi } from "../api/mailbox.ts";
import { efirmaFieldOf, openEfirma, SignInError, validateEfirmaFields } from "../api/signIn.ts";
import type { MailboxView, ProblemDetails, TermsChallenge, TermsSigned } from "../api/types.ts";
import { type FieldErrors, fileOf, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";

/**
 * «Activación del Buzón IMSS» (Lineamientos 5.3): the current Términos y Condiciones, signed with
 * the e.firma in this tab. The key is opened and used here; only the certificate and the
 * signature travel.
 */

const t = es.activation;

/** The signing form's inputs, by id (and name). */
export const TERMS_FIELDS = {
  accept: "acepto",
  certificate: "certificado",
  privateKey: "llave",
  password: "contrasena",
  /** The version and SHA-256 the person read, to refuse signing a text that changed since. */
  version: "version",
  sha256: "sha256",
} as const;

export type ActivationData =
  | { status: "loaded"; buzon: MailboxView; terms: TermsChallenge }
  | { status: "refused"; problem: ProblemDetails; buzon?: MailboxView };

/** The mailbox and the current Terms (text, version, SHA-256). */
export async function activationLoader({ request }: LoaderFunctionArgs): Promise<ActivationData> {
  await signedInSession();
  let buzon: MailboxView | undefined;
  try {
    buzon = await mailboxApi.buzon(request.signal);
    return { status: "loaded", buzon, terms: await mailboxApi.terminos(request.signal) };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error), ...(buzon ? { buzon } : {}) };
  }
}

export interface TermsInput {
  accepted: boolean;
  certificate: File | undefined;
  privateKey: File | undefined;
  password: string;
}

/** The signing form's checks, every field at once, by input id, in the order of the form. */
export function validateTermsSigning(input: TermsInput): FieldErrors {
  const errors: FieldErrors = {};
  if (!input.accepted) errors[TERMS_FIELDS.accept] = t.errors.notAccepted;
  return Object.assign(errors, validateEfirmaFields(input, TERMS_FIELDS));
}

export type ActivationAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "signed"; signed: TermsSigned; version: string };

/**
 * «Firmar»: asks for the current Terms again (a fresh challenge), refuses if they are not the
 * text the person read, opens the e.firma (it must be the session's RFC), signs the exact text
 * the server gave, and sends certificate and signature.
 */
export async function activationAction({ request }: ActionFunctionArgs): Promise<ActivationAnswer> {
  const form = await request.formData();
  const input: TermsInput = {
    accepted: form.get(TERMS_FIELDS.accept) === "si",
    certificate: fileOf(form, TERMS_FIELDS.certificate),
    privateKey: fileOf(form, TERMS_FIELDS.privateKey),
    password: textOf(form, TERMS_FIELDS.password),
  };
  const errors = validateTermsSigning(input);
  if (Object.keys(errors).length > 0) return { status: "invalid", errors };
  const session = await signedInSession();
  try {
    const terms = await mailboxApi.terminos();
    if (
      terms.version !== textOf(form, TERMS_FIELDS.version) ||
      terms.sha256 !== textOf(form, TERMS_FIELDS.sha256)
    ) {
      return { status: "refused", problem: clientProblem(t.errors.changed(terms.version), 409) };
    }
    const efirma = await openEfirma(
      { certificate: input.certificate!, privateKey: input.privateKey!, password: input.password },
      session.rfc,
      (certificateRfc) => t.errors.notSessionEfirma(certificateRfc, session.rfc),
    );
    const signature = await efirma.sign(terms.toSign);
    const signed = await mailboxApi.firmarTerminos(
      { challengeId: terms.challengeId, certificate: efirma.certificate, signature },
      session.csrfToken,
    );
    return { status: "signed", signed, version: terms.version };
  } catch (error) {
    if (error instanceof SignInError) {
      const field = efirmaFieldOf(error, TERMS_FIELDS);
      if (field) return { status: "invalid", errors: { [field]: error.problem.detail } };
      return { status: "refused", problem: error.problem };
    }
    if (isUnauthenticated(error)) throw sessionEnded();
    if (error instanceof ApiError) return { status: "refused", problem: error.problem };
    return { status: "refused", problem: problemOf(error) };
  }
}
