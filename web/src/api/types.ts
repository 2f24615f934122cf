/**
 * Shapes of the /api/v1 requests and answers the web app uses. Each is derived (`Static<>`) from
 * the TypeBox schema the server validates and serializes with, imported as a type only (nothing
 * of the server is bundled): the contract has one source.
 */
import type { ProblemBody } from "../../../src/platform/http/schemas.ts";

export type {
  Challenge as AuthChallenge,
  SessionCreated,
  SessionList,
  SessionRequest,
  SessionState,
  SessionSummary,
  SignedInState as CurrentSession,
} from "../../../src/features/auth/schemas.ts";
export type { CalendarDay, CalendarYear } from "../../../src/features/calendario/schemas.ts";
export type {
  EmisionResult,
  ExplanationStep,
  NotificacionResult,
  PromocionResult,
  ValidacionResult,
} from "../../../src/features/plazos/schemas.ts";

/** A server problem, or one the client makes up when the server cannot be reached. */
export type ProblemDetails = Pick<ProblemBody, "type" | "title" | "status" | "detail"> &
  Partial<ProblemBody>;

/*
 * Activation (issue 9 §7). Written from the contract while the server's schemas are being built;
 * each is to become `Static<>` of src/features/mailbox, terms and delivery schemas as they land.
 */

export type MailboxState = "sin_medios" | "medios_pendientes" | "medios_validados" | "habilitado";
export type MeansKind = "correo" | "celular";
export type MeansStatus = "pendiente" | "validado" | "cancelado";

export interface MeansOfContact {
  id: string;
  kind: MeansKind;
  /** An e-mail, or a mobile phone as +52 and 10 digits. */
  value: string;
  /** "rfc", or the registro patronal the means is for. */
  scope: string;
  status: MeansStatus;
  registeredAt: string;
  expiresAt: string;
  /** Attempts left with the current code (null when none is pending). */
  attemptsLeft?: number | null;
  /** The attempts ran out: only «Reenviar código» helps. */
  locked?: boolean;
  /** From when another code may be asked. */
  resendAvailableAt?: string | null;
  /** Until when an aclaración may be filed if the e-mail did not arrive. */
  aclaracionUntil?: string | null;
}

export interface MailboxView {
  rfc: string;
  state: MailboxState;
  means: MeansOfContact[];
  terms: { signedVersion: string | null; currentVersion: string | null };
  /** How it was enabled: by signing the Terms, or imported as enabled under the 2020 rules. */
  provenance?: string | null;
  /** The registros patronales of the RFC in the padrón, for means of a registro patronal. */
  registrosPatronales?: string[];
}

export interface MeansRequest {
  kind: MeansKind;
  value: string;
  registrosPatronales?: string[];
}

export interface AcuseRef {
  folio: string;
  codigo: string;
}

export interface MeansRegistered {
  means: MeansOfContact[];
  acuse: AcuseRef;
}

export interface TermsChallenge {
  version: string;
  sha256: string;
  text: string;
  challengeId: string;
  toSign: string;
}

export interface TermsSignRequest {
  challengeId: string;
  certificate: string;
  signature: string;
}

export interface TermsSigned {
  acuse: AcuseRef;
  state: MailboxState;
}

export interface CodeResent {
  id: string;
  sentAt: string;
  resendAvailableAt: string;
  expiresAt: string;
}

export interface AclaracionFiled {
  id: string;
  status: "abierta";
  receivedAt: string;
  acuse: AcuseRef;
}

export interface DevMessage {
  channel: "correo" | "sms";
  to: string;
  subject?: string | null;
  text: string;
  sentAt: string;
}

export interface DemoClock {
  now: string;
}
