/**
 * Shapes of the /api/v1 requests and answers the web app uses. Each is derived (`Static<>`) from
 * the TypeBox schema the server validates and serializes with, imported as a type only (nothing
 * of the server is bundled): the contract has one source.
 */
import type { Static } from "@sinclair/typebox";
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
  EstradosDetail,
  EstradosItem,
  EstradosList,
} from "../../../src/features/estrados/schemas.ts";
export type {
  EmisionResult,
  ExplanationStep,
  NotificacionQuery,
  NotificacionResult,
  PlazoWarning,
  PromocionResult,
  ValidacionResult,
} from "../../../src/features/plazos/schemas.ts";

/** A server problem, or one the client makes up when the server cannot be reached. */
export type ProblemDetails = Pick<ProblemBody, "type" | "title" | "status" | "detail"> &
  Partial<ProblemBody>;

/* «Mis acuses»: the buzón's own acuses, from the evidence feature's schemas. */
export type { OwnAcuse, OwnAcuses } from "../../../src/features/evidence/schemas.ts";
/* Activation (issue 9 §7): the mailbox's wire types, from its schemas. */
export type {
  AclaracionFiled,
  AclaracionItem,
  AclaracionList,
  CodeResent,
  MailboxState,
  MailboxView,
  Means as MeansOfContact,
  MeansKind,
  MeansRegistered,
  MeansValidated,
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

/* Electronic notifications (issue 11 §6): from their schemas. */
export type {
  Deposited,
  DepositRequest,
  NotificacionDetail,
  NotificacionItem as NotificacionSummary,
  StaffDetail as StaffNotificacionDetail,
  StaffItem as StaffNotificacion,
  StaffList,
  StaffTimelineEntry as StaffTimelineEvent,
} from "../../../src/features/notificaciones/schemas.ts";

type NotificacionSchemas = typeof import("../../../src/features/notificaciones/schemas.ts");
/** The aviso's evidence (staff): its schema lives beside its route for now. */
export type AvisoEvidence = Static<
  typeof import("../../../src/features/notificaciones/aviso-routes.ts").AvisoEvidenceSchema
>;
export type NotificacionState = Static<NotificacionSchemas["NotificacionStateSchema"]>;
export type NotificacionNotifiedBy = Static<NotificacionSchemas["NotifiedBySchema"]>;
export type NotificacionTimelineEvent = Static<NotificacionSchemas["TimelineEntrySchema"]>;
/** A type of act of annex 7 (7.1 … 7.18). */
export type ActType = Static<NotificacionSchemas["ActTypeSchema"]>;
export type ActCatalogue = Static<NotificacionSchemas["ActCatalogueSchema"]>;

export type {
  Cancelled,
  Opened as AperturaDone,
  OpeningChallenge as AperturaChallenge,
  OpeningRequest as AperturaRequest,
} from "../../../src/features/notificaciones/schemas.ts";
