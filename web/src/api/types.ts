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
