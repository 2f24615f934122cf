import type { ActionFunctionArgs, LoaderFunctionArgs } from "react-router";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import { mailboxApi } from "../api/mailbox.ts";
import type {
  AclaracionFiled,
  AcuseRef,
  CodeResent,
  MailboxView,
  MeansKind,
  MeansOfContact,
  MeansRegistered,
  ProblemDetails,
} from "../api/types.ts";
import { type FieldErrors, textOf } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";
import { sessionEnded, signedInSession } from "./auth.ts";

/**
 * «Mis medios de contacto» and «Validar medio de contacto»: the mailbox's state, the form's own
 * checks (every error at once, by input id), and the answers of the API put in the person's terms.
 */

const t = es.contactMeans;

/** Lineamientos 5.1: at least 1 and at most 5 e-mails, and 1 mobile phone, for the RFC. */
export const MAX_EMAILS = 5;
export const MAX_PHONES = 1;

/** The means form's inputs, by id (and name). */
export const MEANS_FIELDS = {
  scope: "ambito",
  kind: "mecanismo",
  value: "medio",
  registros: "registros",
  allRegistros: "todos-registros",
} as const;

export type MeansScope = "rfc" | "registros";

export interface MeansInput {
  scope: string;
  kind: string;
  value: string;
  registros: string[];
  allRegistros: boolean;
}

export type MailboxData =
  | { status: "loaded"; buzon: MailboxView }
  | { status: "refused"; problem: ProblemDetails };

/** The person's mailbox: state, means, Terms. A 401 sends them to /acceso. */
export async function buzonLoader({ request }: LoaderFunctionArgs): Promise<MailboxData> {
  await signedInSession();
  try {
    return { status: "loaded", buzon: await mailboxApi.buzon(request.signal) };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]{2,}$/u;

/** "55 1234-5678", "(55) 1234 5678", "+52 55 1234 5678" → "+525512345678"; undefined if not 10 digits. */
export function normalizePhone(text: string): string | undefined {
  const compact = text.replace(/[\s().-]/g, "");
  const match = /^(?:\+?52)?(\d{10})$/.exec(compact);
  return match ? `+52${match[1]}` : undefined;
}

/** "+525512345678" → "+52 55 1234 5678", as people read a Mexican mobile number. */
export function formatPhone(value: string): string {
  const match = /^\+52(\d{2})(\d{4})(\d{4})$/.exec(value);
  return match ? `+52 ${match[1]} ${match[2]} ${match[3]}` : value;
}

/** An e-mail as the server compares it: no surrounding spaces, lower case. */
export function normalizeEmail(text: string): string {
  return text.trim().toLowerCase();
}

/** The means as they are sent: the value normalized, the registros chosen (all, or some). */
export function meansRequestOf(
  input: MeansInput,
  registrosOfRfc: readonly string[] = [],
): { kind: MeansKind; value: string; registrosPatronales?: string[] } {
  const kind = input.kind as MeansKind;
  const value =
    kind === "celular" ? (normalizePhone(input.value) ?? input.value) : normalizeEmail(input.value);
  if (input.scope !== "registros") return { kind, value };
  const registros = input.allRegistros ? [...registrosOfRfc] : input.registros;
  return { kind, value, registrosPatronales: registros };
}

function activeOfRfc(existing: readonly MeansOfContact[], kind: MeansKind): MeansOfContact[] {
  return existing.filter((m) => m.scope === "rfc" && m.kind === kind && m.status !== "cancelado");
}

/**
 * The means form's checks, every field at once: the Spanish message of each input to fix, by
 * id, in the order of the form. With the means already registered it also refuses a sixth
 * e-mail, a second phone and a duplicate before asking (the server refuses them too).
 */
export function validateMeans(
  input: MeansInput,
  existing: readonly MeansOfContact[] = [],
): FieldErrors {
  const errors: FieldErrors = {};
  if (input.scope !== "rfc" && input.scope !== "registros") {
    errors[MEANS_FIELDS.scope] = t.errors.scopeMissing;
  }
  const kind = input.kind === "correo" || input.kind === "celular" ? input.kind : undefined;
  if (!kind) errors[MEANS_FIELDS.kind] = t.errors.kindMissing;
  const typed = input.value.trim();
  if (typed === "") {
    errors[MEANS_FIELDS.value] = kind ? t.errors.valueMissing[kind] : t.errors.valueMissingAny;
  } else if (kind === "correo" && (typed.length > 254 || !EMAIL.test(typed))) {
    errors[MEANS_FIELDS.value] = t.errors.emailInvalid;
  } else if (kind === "celular" && normalizePhone(typed) === undefined) {
    errors[MEANS_FIELDS.value] = t.errors.phoneInvalid;
  } else if (kind && input.scope === "rfc") {
    const value = kind === "correo" ? normalizeEmail(typed) : normalizePhone(typed);
    const same = activeOfRfc(existing, kind);
    if (same.some((m) => m.value.toLowerCase() === value)) {
      errors[MEANS_FIELDS.value] = t.errors.duplicate[kind];
    } else if (kind === "correo" && same.length >= MAX_EMAILS) {
      errors[MEANS_FIELDS.value] = t.errors.tooManyEmails(MAX_EMAILS);
    } else if (kind === "celular" && same.length >= MAX_PHONES) {
      errors[MEANS_FIELDS.value] = t.errors.tooManyPhones;
    }
  }
  if (input.scope === "registros" && !input.allRegistros && input.registros.length === 0) {
    errors[MEANS_FIELDS.registros] = t.errors.registrosMissing;
  }
  return errors;
}

/** The means form as submitted. */
export function readMeansForm(form: FormData): MeansInput {
  return {
    scope: textOf(form, MEANS_FIELDS.scope),
    kind: textOf(form, MEANS_FIELDS.kind),
    value: textOf(form, MEANS_FIELDS.value),
    registros: form
      .getAll(MEANS_FIELDS.registros)
      .filter((v): v is string => typeof v === "string"),
    allRegistros: form.get(MEANS_FIELDS.allRegistros) === "si",
  };
}

export type MeansAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails }
  | { status: "registered"; kind: MeansKind; registered: MeansRegistered }
  | { status: "removed"; value: string };

/** The intents /buzon/medios answers: register a means, or remove one. */
export const MEANS_INTENT = { register: "registrar", remove: "eliminar" } as const;

/** /buzon/medios: «Guardar» (after the confirmation) registers; «Eliminar» removes. */
export async function contactMeansAction({ request }: ActionFunctionArgs): Promise<MeansAnswer> {
  const form = await request.formData();
  const session = await signedInSession();
  try {
    if (textOf(form, "intent") === MEANS_INTENT.remove) {
      await mailboxApi.eliminarMedio(textOf(form, "id"), session.csrfToken);
      return { status: "removed", value: textOf(form, "valor") };
    }
    const input = readMeansForm(form);
    // Checked against the mailbox as it is now (another tab may have registered meanwhile).
    const buzon = await mailboxApi.buzon();
    const errors = validateMeans(input, buzon.means);
    if (Object.keys(errors).length > 0) return { status: "invalid", errors };
    const body = meansRequestOf(input, buzon.registrosPatronales ?? []);
    const registered = await mailboxApi.registrarMedio(body, session.csrfToken);
    return { status: "registered", kind: body.kind, registered };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error) };
  }
}

/** Six digits, as the e-mail and the SMS give it (spaces people type are dropped). */
export function readCode(
  text: string,
): { ok: true; code: string } | { ok: false; message: string } {
  const code = text.replace(/\s/g, "");
  if (code === "") return { ok: false, message: es.validateMeans.errors.codeMissing };
  if (!/^\d{6}$/.test(code)) return { ok: false, message: es.validateMeans.errors.codeShape };
  return { ok: true, code };
}

/** The code of the validation link's fragment (`#codigo=123456`), if it carries one. */
export function codeFromHash(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const code = params.get("codigo") ?? "";
  return /^\d{6}$/.test(code) ? code : "";
}

export const CODE_FIELD = "codigo";

export type ValidationAnswer =
  | { status: "invalid"; errors: FieldErrors }
  | { status: "refused"; problem: ProblemDetails; reason: ValidationRefusal }
  | { status: "validated"; acuse: AcuseRef }
  | { status: "resent"; at: number; cooldownSeconds: number }
  | { status: "aclaracion"; filed: AclaracionFiled };

/** Why the API refused a code or a new one: the page words each differently. */
export type ValidationRefusal = "wrong" | "expired" | "locked" | "other";

/** Issue 9 §7: 400 wrong, 410 expired, 429 locked (or, for «Reenviar código», too soon). */
export function refusalOf(problem: ProblemDetails): ValidationRefusal {
  switch (problem.status) {
    case 400:
    case 422:
      return "wrong";
    case 410:
      return "expired";
    case 429:
      return "locked";
    default:
      return "other";
  }
}

/** The intents of /buzon/medios/:id/validar. */
export const VALIDATION_INTENT = {
  validate: "validar",
  resend: "reenviar",
  aclaracion: "aclaracion",
} as const;

export const ACLARACION_FIELD = "descripcion";
export const MAX_ACLARACION_CHARS = 2000;

/** «Validar» sends the code; «Reenviar código» asks for a new one. */
export async function validateMeansAction({
  request,
  params,
}: ActionFunctionArgs): Promise<ValidationAnswer> {
  const form = await request.formData();
  const id = params.id ?? "";
  const session = await signedInSession();
  const intent = textOf(form, "intent");
  if (intent === VALIDATION_INTENT.aclaracion) return fileAclaracion(id, form, session.csrfToken);
  const resend = intent === VALIDATION_INTENT.resend;
  const code = readCode(textOf(form, CODE_FIELD));
  if (!resend && !code.ok) return { status: "invalid", errors: { [CODE_FIELD]: code.message } };
  try {
    if (resend) {
      const resent = await mailboxApi.reenviarCodigo(id, session.csrfToken);
      return { status: "resent", at: Date.now(), cooldownSeconds: cooldownOf(resent) };
    }
    const validated = await mailboxApi.validarMedio(
      id,
      code.ok ? code.code : "",
      session.csrfToken,
    );
    return { status: "validated", acuse: validated.acuse };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    const problem = problemOf(error);
    const reason = refusalOf(problem);
    // A wrong code is about the field: said next to it, with what the server adds (attempts left).
    if (reason === "wrong" && !resend) {
      return { status: "invalid", errors: { [CODE_FIELD]: problem.detail } };
    }
    return { status: "refused", problem, reason };
  }
}

async function fileAclaracion(
  id: string,
  form: FormData,
  csrfToken: string,
): Promise<ValidationAnswer> {
  const description = textOf(form, ACLARACION_FIELD).trim();
  if (description.length > MAX_ACLARACION_CHARS) {
    return {
      status: "invalid",
      errors: {
        [ACLARACION_FIELD]: es.validateMeans.errors.aclaracionTooLong(MAX_ACLARACION_CHARS),
      },
    };
  }
  try {
    return { status: "aclaracion", filed: await mailboxApi.aclaracion(id, description, csrfToken) };
  } catch (error) {
    if (isUnauthenticated(error)) throw sessionEnded();
    return { status: "refused", problem: problemOf(error), reason: "other" };
  }
}

/**
 * The cool-down the server set, as seconds: from the send to when another code may be asked,
 * both server instants (a moved demo clock shifts both alike), counted from now in the page.
 */
export function cooldownOf(resent: Pick<CodeResent, "sentAt" | "resendAvailableAt">): number {
  const seconds = (Date.parse(resent.resendAvailableAt) - Date.parse(resent.sentAt)) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : RESEND_COOLDOWN_SECONDS;
}

/** Seconds to wait before another «Reenviar código» when the server does not say. */
export const RESEND_COOLDOWN_SECONDS = 60;

/** Seconds left of the cool-down that started at `since` (ms), never below zero. */
export function cooldownLeft(
  since: number,
  now: number,
  seconds = RESEND_COOLDOWN_SECONDS,
): number {
  return Math.max(0, Math.ceil((since + seconds * 1000 - now) / 1000));
}

/** The means counted in «Correos electrónicos validados» and «Teléfonos celulares validados». */
export function validatedCounts(means: readonly MeansOfContact[]): Record<MeansKind, number> {
  const counts: Record<MeansKind, number> = { correo: 0, celular: 0 };
  for (const m of means) if (m.scope === "rfc" && m.status === "validado") counts[m.kind] += 1;
  return counts;
}

/** The next step of the activation (Lineamientos 5.1–5.3), from the mailbox as it stands. */
export type NextStep = "register" | "validate" | "sign" | "resign" | "done";

export function nextStepOf(buzon: MailboxView): NextStep {
  const active = buzon.means.filter((m) => m.scope === "rfc" && m.status !== "cancelado");
  const counts = validatedCounts(buzon.means);
  const registered = (kind: MeansKind) => active.some((m) => m.kind === kind);
  if (buzon.state === "habilitado") {
    // The server knows the version the mailbox stands under: the one signed, or the one in
    // force when it was enabled under the 2020 rules (which signed nothing here).
    return buzon.canEnter === false && buzon.terms.currentVersion !== null ? "resign" : "done";
  }
  if (!registered("correo") || !registered("celular")) return "register";
  if (counts.correo === 0 || counts.celular === 0) return "validate";
  return buzon.terms.signedVersion !== null ? "resign" : "sign";
}
