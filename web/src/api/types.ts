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
export type {
  Authority,
  CalendarDay,
  CalendarYear,
  VersionList as CalendarVersionList,
} from "../../../src/features/calendario/schemas.ts";
export type {
  EmisionResult,
  ExplanationStep,
  NotificacionQuery,
  NotificacionResult,
  PlazoWarning,
  PromocionResult,
  ValidacionResult,
} from "../../../src/features/plazos/schemas.ts";

import type { ExplanationStep, PlazoWarning } from "../../../src/features/plazos/schemas.ts";

/** A server problem, or one the client makes up when the server cannot be reached. */
export type ProblemDetails = Pick<ProblemBody, "type" | "title" | "status" | "detail"> &
  Partial<ProblemBody>;

/* Activation (issue 9 §7): the mailbox's wire types, from its schemas. */
export type {
  AclaracionFiled,
  CodeResent,
  MailboxState,
  MailboxView,
  Means as MeansOfContact,
  MeansKind,
  MeansRegistered,
  OwnAclaracion,
  RegisterMeansBody as MeansRequest,
} from "../../../src/features/mailbox/schemas.ts";

export type MeansStatus = import("../../../src/features/mailbox/schemas.ts").Means["status"];

export interface AcuseRef {
  folio: string;
  codigo: string;
}

export type {
  TermsChallenge,
  TermsSignatureRequest as TermsSignRequest,
  TermsSigned,
} from "../../../src/features/terminos/schemas.ts";

/* The demo's routes (`serve --demo`): from delivery's schemas. */
export type DevMessage = import("../../../src/features/delivery/schemas.ts").DevMessages[number];
export type {
  DemoClockNotice,
  DemoClockState as DemoClock,
} from "../../../src/features/delivery/schemas.ts";

/*
 * Electronic notifications (issue 11 §6). PROVISIONAL: a copy of the shapes of the server's
 * src/features/notificaciones/schemas.ts while it lands; replaced by `Static<>` imports then.
 */
export type NotificacionState =
  | "depositada"
  | "pendiente"
  | "notificada"
  | "cancelada"
  | "estrados";
export type NotificacionNotifiedBy = "apertura" | "ministerio_de_ley" | "estrados";

/** One of the particular's notifications, as «Mis notificaciones» lists it. */
export interface NotificacionSummary {
  id: string;
  actType: string;
  actTypeName: string;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  registroPatronal: string | null;
  state: NotificacionState;
  depositedAt: string;
  avisoAt: string;
  openBy: string | null;
  deemedNotifiedAt: string | null;
  notifiedAt: string | null;
  notifiedBy: NotificacionNotifiedBy | null;
  effectiveOn: string | null;
  recursoInconformidadBy: string | null;
  juicioNulidadBy: string | null;
  recurrible: boolean;
  sinMediosDeDefensa: boolean;
}

export interface NotificacionTimelineEvent {
  event: string;
  at: string;
  /** The folio of the acuse that records it. */
  acuse?: string;
}

export interface NotificacionDetail extends NotificacionSummary {
  documentSha256: string;
  documentBytes: number;
  timeline: NotificacionTimelineEvent[];
  explanation: ExplanationStep[];
  warnings: PlazoWarning[];
  calendarVersion: string | null;
  rulesVersion: string;
  availableUntil: string | null;
}

export interface AperturaChallenge {
  challengeId: string;
  toSign: string;
  expiresAt?: string;
}

export interface AperturaRequest {
  challengeId: string;
  certificate: string;
  signature: string;
}

export interface AperturaDone {
  acuse: AcuseRef;
  notifiedAt: string;
  notifiedBy: NotificacionNotifiedBy;
}

/** A type of act of annex 7 (7.1 … 7.18). */
export interface ActType {
  id: string;
  name: string;
  recurrible: boolean;
  senalaMediosDeDefensa: boolean;
  plazoRespuestaDiasHabiles: number | null;
  nota: string | null;
}

export interface ActCatalogue {
  version: string;
  source: string;
  types: ActType[];
}

export interface DepositRequest {
  idempotencyKey: string;
  rfc: string;
  registroPatronal?: string;
  actType: string;
  oficio: string;
  issuingUnit: string;
  documentName: string;
  document: string;
  signature: string;
  replaces?: string;
}

export interface Deposited {
  id: string;
  state: NotificacionState;
  depositedAt: string;
  avisoAt: string;
}

/** One act as staff follow it. */
export interface StaffNotificacion extends NotificacionSummary {
  rfc: string;
  signerRfc: string;
  depositedBy: string;
  estrados: boolean;
  replaces: string | null;
}

export interface StaffList {
  items: StaffNotificacion[];
  next: string | null;
}
