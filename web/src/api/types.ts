/**
 * Shapes of the /api/v1 responses the web app reads. They are the server's own types,
 * imported as types only (nothing of the server is bundled), so the contract has one source.
 */
export type {
  EmisionResult,
  ExplanationStep,
  NotificacionResult,
  PromocionResult,
  ValidacionResult,
} from "../../../src/domain/plazos/index.ts";
export type { YearView as CalendarYear } from "../../../src/features/calendario/service.ts";

import type { YearView } from "../../../src/features/calendario/service.ts";
import type { Problem } from "../../../src/platform/http/problem.ts";

/** A server problem, or one the client makes up when the server cannot be reached. */
export type ProblemDetails = Pick<Problem, "type" | "title" | "status" | "detail"> &
  Partial<Problem>;

export type CalendarDay = YearView["days"][number];

/*
 * Sign-in with the e.firma and sessions. Local shapes for now: they will be replaced by the
 * server's own types once its auth feature is in place.
 */

/** POST /api/v1/auth/desafio → 201. `toSign` is signed exactly as given. */
export interface AuthChallenge {
  challengeId: string;
  toSign: string;
  expiresAt: string;
}

/** POST /api/v1/auth/sesion: the certificate and the signature; never the key or its password. */
export interface SessionRequest {
  challengeId: string;
  /** The DER certificate, base64. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 / SHA-256 over the UTF-8 of `toSign`, base64. */
  signature: string;
}

export type Persona = "fisica" | "moral";

/** A signed-in session, as the server describes it. */
export interface SessionView {
  id: string;
  rfc: string;
  name: string;
  persona: Persona;
  representativeRfc: string | null;
  representativeName: string | null;
  staffRole: string | null;
  mailboxStatus: string;
  createdAt: string;
  expiresAt: string;
  idleExpiresAt: string;
}

/** POST /api/v1/auth/sesion → 201; the session token itself travels in an HttpOnly cookie. */
export interface SessionCreated {
  session: SessionView;
  csrfToken: string;
}

/** GET /api/v1/auth/sesion → 200 (401 when nobody is signed in). */
export interface CurrentSession extends SessionView {
  /** Sent back as `x-csrf-token` on every state-changing request. */
  csrfToken: string;
}

/** One of the person's open sessions. */
export interface SessionSummary {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

/** GET /api/v1/auth/sesiones → 200. */
export interface SessionList {
  sessions: SessionSummary[];
}
