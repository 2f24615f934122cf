/** Shapes of the /api/v1 responses the web app reads (the server's contract). */

export type DayKind = "cff" | "declarado";

export interface SkippedDay {
  date: string;
  reason: string;
  source: string;
  kind: DayKind;
}

export interface ExplanationStep {
  rule: string;
  basis: string;
  text: string;
  skippedDays: SkippedDay[];
}

interface CalendarStamp {
  calendarAuthority: string;
  calendarVersion: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

export interface NotificacionResult extends CalendarStamp {
  avisoAt: string;
  openedAt: string | null;
  openBy: string;
  deemedNotifiedAt: string;
  notifiedAt: string;
  notifiedBy: "apertura" | "ministerio_de_ley";
  effectiveOn: string;
  recursoInconformidadBy: string;
  juicioNulidadBy: string;
  availableUntil: string;
}

export interface PromocionResult extends CalendarStamp {
  sentAt: string;
  receivedAt: string;
}

export interface EmisionResult extends CalendarStamp {
  at: string;
  notifiedAt: string;
}

export interface ValidacionResult {
  registeredAt: string;
  expiresAt: string;
  rulesVersion: string;
  explanation: ExplanationStep[];
}

export interface CalendarDay {
  date: string;
  weekday: string;
  reason: string;
  source: string;
  kind: DayKind;
}

export interface CalendarYear {
  year: number;
  authority: string;
  version: string;
  days: CalendarDay[];
}

/** RFC 9457 problem details, as the API sends them with every error. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: unknown;
}
