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
