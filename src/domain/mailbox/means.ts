/**
 * The rules of contact means (Lineamientos 5.1–5.2), pure: the shape of a Mexican mobile (an
 * e-mail's is identifiers/email.ts, shared with the padrón), how many a scope may hold, duplicates, replacement, removal, and the
 * validation code's attempts, cool-down and expiry. The services decide with these inside the
 * transaction that holds the mailbox's lock, so concurrent requests see each other's results.
 */
import { shown } from "../identifiers/normalize.ts";
import { MailboxError } from "./errors.ts";
import {
  applyMailboxEvent,
  type MailboxProjection,
  type MeansKind,
  type ProjectedMeans,
  RFC_SCOPE,
} from "./projection.ts";

/** 5.1: at least one and at most five e-mails, and one mobile phone, per scope. */
export const MAX_EMAILS = 5;
export const MAX_PHONES = 1;

/** Digits of a validation code (the portal's «código de verificación»). */
export const CODE_DIGITS = 6;
/** Wrong codes allowed before the means is locked until a new code is sent. */
export const MAX_FAILED_ATTEMPTS = 5;
/** Seconds between two codes sent to one means («Reenviar código»). */
export const RESEND_COOLDOWN_SECONDS = 60;
/**
 * Codes one means may receive, the first included. With {@link MAX_FAILED_ATTEMPTS} it bounds
 * the guesses against one means to 30 of a million before it must be registered again.
 */
export const MAX_CODE_SENDS = 6;
/**
 * Registrations one mailbox may make in 24 hours: each sends a message to an address the
 * person typed, so removing and registering again must not become a way to flood someone's
 * phone or inbox.
 */
export const MAX_REGISTRATIONS_PER_DAY = 30;

/** Whether another registration may be made, given how many were made in the last 24 hours. */
export function checkRegistrationRate(lastDay: number): void {
  if (lastDay >= MAX_REGISTRATIONS_PER_DAY) {
    throw new MailboxError(
      "too_many_registrations",
      `Registraste ${MAX_REGISTRATIONS_PER_DAY} medios de contacto en las últimas 24 horas, el máximo. Intenta de nuevo más tarde.`,
    );
  }
}

/** The portal's note: «registra una aclaración en un lapso de 24 horas». */
export const ACLARACION_HOURS = 24;

/**
 * A Mexican mobile number as stored: `+52` and its 10 digits (the numbering plan since 2019
 * has no mobile prefix). Accepts the ways people write it — spaces, hyphens, dots,
 * parentheses, a leading +52 or 52, and the old +521 mobile prefix — and refuses
 * (`invalid_phone`) anything that is not 10 digits starting with 2–9 (area codes never start
 * with 0 or 1).
 */
export function normalizePhone(text: string, pointer = "/value"): string {
  const value = text.trim();
  if (value === "") {
    throw new MailboxError("invalid_phone", "Escribe un número de teléfono celular.", { pointer });
  }
  const compact = value.replace(/[\s().-]/g, "");
  let digits: string | undefined;
  const match = /^(\+?52)?(1)?(\d{10})$/.exec(compact);
  if (match?.[3] && !(match[2] && !match[1])) digits = match[3];
  if (!digits || !/^[2-9]/.test(digits)) {
    throw new MailboxError(
      "invalid_phone",
      `${shown(value)} no es un número celular de México: escribe los 10 dígitos (por ejemplo 55 1234 5678), sin 044 ni 045.`,
      { pointer },
    );
  }
  return `+52${digits}`;
}

/** A means that still counts: waiting for its code or validated. */
export function isLive(means: Pick<ProjectedMeans, "status">): boolean {
  return means.status === "pendiente" || means.status === "validado";
}

export interface RegistrationRequest {
  kind: MeansKind;
  /** Already normalized. */
  value: string;
  /** `rfc`, or the registros patronales (one or several at once). */
  scopes: readonly string[];
  /** A live means of the same kind and scope this one is to replace once validated. */
  replaces?: string | undefined;
}

/**
 * Whether `request` may be registered on `mailbox`: no duplicate of a live means in any of its
 * scopes, and no more than five e-mails or one phone per scope — a means waiting to replace
 * another does not count twice. Throws the first refusal.
 */
export function checkRegistration(mailbox: MailboxProjection, request: RegistrationRequest): void {
  const live = mailbox.means.filter(isLive);
  const target = request.replaces ? live.find((m) => m.id === request.replaces) : undefined;
  if (request.replaces !== undefined) {
    if (
      !target ||
      target.kind !== request.kind ||
      request.scopes.length !== 1 ||
      target.scope !== request.scopes[0]
    ) {
      throw new MailboxError(
        "means_not_pending",
        "El medio de contacto que quieres cambiar no existe, ya no está vigente o es de otro tipo o alcance.",
        { pointer: "/replaces" },
      );
    }
    if (live.some((m) => m.replaces === target.id && m.status === "pendiente")) {
      throw new MailboxError(
        "duplicate_means",
        "Ya hay un cambio pendiente de validar para ese medio de contacto: valídalo o elimínalo antes de registrar otro.",
        { pointer: "/replaces" },
      );
    }
  }
  const noun = request.kind === "correo" ? "correo electrónico" : "teléfono celular";
  for (const scope of request.scopes) {
    const inScope = live.filter((m) => m.scope === scope && m.kind === request.kind);
    const where = scope === "rfc" ? "tu RFC" : `el registro patronal ${scope}`;
    if (inScope.some((m) => m.value === request.value)) {
      throw new MailboxError(
        "duplicate_means",
        `${request.value} ya está registrado como ${noun} de ${where}.`,
        { pointer: "/value" },
      );
    }
    const replaced = new Set(
      inScope.filter((m) => m.status === "pendiente" && m.replaces).map((m) => m.replaces),
    );
    if (target && target.scope === scope) replaced.add(target.id);
    const counted = inScope.filter((m) => !replaced.has(m.id)).length;
    const max = request.kind === "correo" ? MAX_EMAILS : MAX_PHONES;
    if (counted >= max) {
      throw new MailboxError(
        "means_limit",
        request.kind === "correo"
          ? `${capitalized(where)} ya tiene ${MAX_EMAILS} correos electrónicos, el máximo. Elimina uno o cámbialo por el nuevo.`
          : `${capitalized(where)} ya tiene un teléfono celular, el único permitido. Para usar otro, cámbialo: el actual sigue vigente hasta que valides el nuevo.`,
        { pointer: "/value" },
      );
    }
  }
}

/**
 * Whether the padrón's e-mail on file may come with a 2020 enablement (5.4) as a validated
 * means of the RFC: as if registered, it must not duplicate a live e-mail nor pass the five.
 */
export function carriesPadronEmail(mailbox: MailboxProjection, value: string): boolean {
  try {
    checkRegistration(mailbox, { kind: "correo", value, scopes: [RFC_SCOPE] });
    return true;
  } catch (error) {
    if (error instanceof MailboxError) return false;
    throw error;
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Whether removing `means` is allowed: not if it would leave an enabled mailbox without a
 * validated e-mail or phone of the RFC (5.2) — the person must register and validate the new
 * one first (or ask for a change, which keeps the old one until the new is validated).
 */
export function checkRemoval(
  mailbox: MailboxProjection,
  means: ProjectedMeans,
  at: Temporal.Instant,
): void {
  if (mailbox.state !== "habilitado") return;
  const after = applyMailboxEvent(mailbox, {
    type: "medio_eliminado",
    data: { meansId: means.id },
    rfc: mailbox.rfc,
    at,
    acuseFolio: null,
  });
  if (after.state !== "habilitado") {
    const kind = means.kind === "correo" ? "correo electrónico" : "teléfono celular";
    throw new MailboxError(
      "removal_disables_mailbox",
      `No puedes eliminar tu único ${kind} validado: tu Buzón IMSS está habilitado y debe conservar al menos un correo y un celular validados. Registra y valida otro primero, o cámbialo.`,
    );
  }
}

/** The state of a means' validation code, as the store keeps it. */
export interface CodeState {
  status: ProjectedMeans["status"];
  expiresAt: Temporal.Instant;
  failedAttempts: number;
  locked: boolean;
  codeSentAt: Temporal.Instant | null;
  codeSends: number;
}

/** Whether a code may be tried now; throws why not (validated, expired, locked). */
export function checkCodeAttempt(state: CodeState, now: Temporal.Instant): void {
  checkStillPending(state, now);
  if (state.locked || state.failedAttempts >= MAX_FAILED_ATTEMPTS) {
    throw new MailboxError(
      "code_locked",
      `Se agotaron los ${MAX_FAILED_ATTEMPTS} intentos con este código. Pide un código nuevo con «Reenviar código».`,
    );
  }
}

/**
 * The refusal for a wrong code, after counting it: `wrong_code` with the attempts left, or
 * `code_locked` when it was the last one.
 */
export function wrongCodeRefusal(failedAttempts: number): MailboxError {
  const left = MAX_FAILED_ATTEMPTS - failedAttempts;
  if (left <= 0) {
    return new MailboxError(
      "code_locked",
      `El código no es correcto y se agotaron los ${MAX_FAILED_ATTEMPTS} intentos. Pide un código nuevo con «Reenviar código».`,
      { pointer: "/codigo" },
    );
  }
  return new MailboxError(
    "wrong_code",
    `El código no es correcto. Te ${left === 1 ? "queda 1 intento" : `quedan ${left} intentos`}.`,
    { pointer: "/codigo" },
  );
}

/** Whether a new code may be sent now; throws why not (validated, expired, cool-down, limit). */
export function checkResend(state: CodeState, now: Temporal.Instant): void {
  checkStillPending(state, now);
  if (state.codeSends >= MAX_CODE_SENDS) {
    throw new MailboxError(
      "resend_too_soon",
      `Ya se enviaron ${MAX_CODE_SENDS} códigos a este medio de contacto. Elimínalo y regístralo de nuevo.`,
    );
  }
  if (state.codeSentAt) {
    const ready = state.codeSentAt.add({ seconds: RESEND_COOLDOWN_SECONDS });
    if (Temporal.Instant.compare(now, ready) < 0) {
      const wait = Math.ceil(ready.since(now).total({ unit: "second" }));
      throw new MailboxError(
        "resend_too_soon",
        `Acabamos de enviarte un código. Espera ${wait} ${wait === 1 ? "segundo" : "segundos"} para pedir otro.`,
      );
    }
  }
}

function checkStillPending(state: CodeState, now: Temporal.Instant): void {
  if (state.status === "validado") {
    throw new MailboxError("means_not_pending", "Este medio de contacto ya está validado.");
  }
  if (state.status === "cancelado" || Temporal.Instant.compare(now, state.expiresAt) >= 0) {
    throw new MailboxError(
      "code_expired",
      "Pasaron las 72 horas para validar este medio de contacto y se canceló. Regístralo de nuevo.",
    );
  }
  if (state.status !== "pendiente") {
    throw new MailboxError("means_not_pending", "Este medio de contacto ya no está vigente.");
  }
}

/** Whether an aclaración («no me llegó el correo») may be filed for `means` now. */
export function checkAclaracion(means: ProjectedMeans, now: Temporal.Instant): void {
  if (means.kind !== "correo") {
    throw new MailboxError(
      "aclaracion_not_allowed",
      "La aclaración es para un correo electrónico que no llegó; para el celular usa «Reenviar código».",
    );
  }
  if (means.status !== "pendiente") {
    throw new MailboxError(
      "aclaracion_not_allowed",
      "Este correo ya no está pendiente de validar: no hace falta una aclaración.",
    );
  }
  const closes = means.registeredAt.add({ hours: ACLARACION_HOURS });
  if (Temporal.Instant.compare(now, closes) >= 0) {
    throw new MailboxError(
      "aclaracion_not_allowed",
      `La aclaración se registra dentro de las ${ACLARACION_HOURS} horas siguientes al registro del correo, y ese plazo pasó. Registra el correo de nuevo o llama al 800 623 2323.`,
    );
  }
}
