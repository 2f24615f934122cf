/**
 * The mailbox as a projection of its append-only events (Lineamientos 5.1–5.4). Pure: the
 * store replays a mailbox's events through {@link projectMailbox} and writes the result to the
 * `mailboxes` table in the same transaction as each new event.
 *
 * States: `sin_medios` (no live means) → `medios_pendientes` (some registered, but not a
 * validated e-mail AND a validated phone of the RFC) → `medios_validados` (both kinds validated for
 * the RFC; the Terms are still to be signed) → `habilitado` (both validated and the Terms
 * signed). Only means of the RFC's own scope count: those of its registros patronales are
 * optional (5.1). A mailbox enabled under the 2020 rules (5.4, transitorio) is `habilitado`
 * whatever its means, with provenance `lineamientos_2020`: 5.4 holds its obligation to register
 * means and sign the Terms as met. It signed nothing here (`signedTermsVersion` stays null until
 * it does); the padrón's e-mail on file, if any, comes with the enablement as a validated means
 * of the RFC (origin `padron_2020`); without one it has no means until the person registers them.
 */

import { AppError } from "../errors.ts";

export const MAILBOX_STATES = [
  "sin_medios",
  "medios_pendientes",
  "medios_validados",
  "habilitado",
] as const;
export type MailboxState = (typeof MAILBOX_STATES)[number];

export const MEANS_KINDS = ["correo", "celular"] as const;
export type MeansKind = (typeof MEANS_KINDS)[number];

/** The RFC's own means, or those of one of its registros patronales (its 11 characters). */
export const RFC_SCOPE = "rfc";
export type MeansScope = string;

/** As the wire shows it; removed means are not shown at all. */
export type MeansStatus = "pendiente" | "validado" | "cancelado";

/** How the mailbox came to be enabled: by this system's activation, or under the 2020 rules. */
export type Provenance = "activacion" | "lineamientos_2020";

export type MailboxEventData =
  | {
      type: "medio_registrado";
      data: {
        meansId: string;
        kind: MeansKind;
        value: string;
        scope: MeansScope;
        /** ISO instant: 72 clock hours after registration (plazos rule validacion_medios). */
        expiresAt: string;
        /** A live means this one replaces once validated (a change after activation). */
        replaces?: string;
      };
    }
  | { type: "medio_validado"; data: { meansId: string } }
  /** Not validated within 72 hours: it must be registered again. */
  | { type: "medio_cancelado"; data: { meansId: string; reason: "vencido" } }
  | { type: "medio_eliminado"; data: { meansId: string; reason?: "reemplazado" } }
  /** `sha256` of the exact text signed; the version becomes the mailbox's signed version. */
  | { type: "terminos_firmados"; data: { version: string; sha256: string } }
  /**
   * Enabled under the 2020 rules (padrón import). `termsVersion` is the Terms version in force
   * when it was projected: only a later version asks these mailboxes for a new signature.
   */
  | {
      type: "habilitacion_2020";
      data: {
        enabledAt: string;
        termsVersion: string | null;
        /** The padrón's e-mail on file, carried over as a validated means of the RFC. */
        emailOnFile?: { meansId: string; value: string };
      };
    }
  /** Staff attended an aclaración about a means: the mailbox's state does not change. */
  | { type: "aclaracion_atendida"; data: { aclaracionId: string; meansId: string } };

export type MailboxEventType = MailboxEventData["type"];

export const MAILBOX_EVENT_TYPES: readonly MailboxEventType[] = [
  "medio_registrado",
  "medio_validado",
  "medio_cancelado",
  "medio_eliminado",
  "terminos_firmados",
  "habilitacion_2020",
];

export type MailboxEvent = MailboxEventData & {
  rfc: string;
  at: Temporal.Instant;
  acuseFolio: string | null;
};

export interface ProjectedMeans {
  id: string;
  kind: MeansKind;
  value: string;
  scope: MeansScope;
  status: MeansStatus | "eliminado";
  registeredAt: Temporal.Instant;
  expiresAt: Temporal.Instant;
  validatedAt: Temporal.Instant | null;
  /** The means this one replaces once validated, if it is a change. */
  replaces: string | null;
  /** Set for the padrón's e-mail of a 2020 mailbox (not registered here, so no acuse). */
  origin?: MeansOrigin;
}

/** Where a means came from when not registered by its person here. */
export type MeansOrigin = "padron_2020";

export interface MailboxProjection {
  rfc: string;
  state: MailboxState;
  provenance: Provenance | null;
  /**
   * The Terms version the mailbox stands under: the last one signed, or the one in force at
   * the 2020 enablement (5.4). A newer version in force asks for a signature.
   */
  termsVersion: string | null;
  /** The last Terms version actually signed with the e.firma here; null if never. */
  signedTermsVersion: string | null;
  /** Every means ever registered, in registration order, removed ones included. */
  means: ProjectedMeans[];
  /** When the last event happened; null for a mailbox with no events. */
  updatedAt: Temporal.Instant | null;
}

export function emptyMailbox(rfc: string): MailboxProjection {
  return {
    rfc,
    state: "sin_medios",
    provenance: null,
    termsVersion: null,
    signedTermsVersion: null,
    means: [],
    updatedAt: null,
  };
}

/** Replays `events` (in the order they were appended) from an empty mailbox. */
export function projectMailbox(rfc: string, events: readonly MailboxEvent[]): MailboxProjection {
  return events.reduce(applyMailboxEvent, emptyMailbox(rfc));
}

/**
 * One step of the projection. Events that do not fit (a validation of an unknown or removed
 * means) leave the means as they are: the services refuse them before appending, and a replay
 * must never fail on history.
 */
export function applyMailboxEvent(
  mailbox: MailboxProjection,
  event: MailboxEvent,
): MailboxProjection {
  let means = mailbox.means;
  let provenance = mailbox.provenance;
  let termsVersion = mailbox.termsVersion;
  let signedTermsVersion = mailbox.signedTermsVersion;
  let signed = mailbox.termsVersion !== null;
  let enabled2020 = mailbox.provenance === "lineamientos_2020";
  switch (event.type) {
    case "medio_registrado":
      means = [
        ...means,
        {
          id: event.data.meansId,
          kind: event.data.kind,
          value: event.data.value,
          scope: event.data.scope,
          status: "pendiente",
          registeredAt: event.at,
          expiresAt: Temporal.Instant.from(event.data.expiresAt),
          validatedAt: null,
          replaces: event.data.replaces ?? null,
        },
      ];
      break;
    case "medio_validado":
      means = updateMeans(means, event.data.meansId, (m) =>
        m.status === "pendiente" ? { ...m, status: "validado", validatedAt: event.at } : m,
      );
      break;
    case "medio_cancelado":
      means = updateMeans(means, event.data.meansId, (m) =>
        m.status === "pendiente" ? { ...m, status: "cancelado" } : m,
      );
      break;
    case "medio_eliminado":
      means = updateMeans(means, event.data.meansId, (m) => ({ ...m, status: "eliminado" }));
      break;
    case "terminos_firmados":
      termsVersion = event.data.version;
      signedTermsVersion = event.data.version;
      signed = true;
      break;
    case "habilitacion_2020":
      enabled2020 = true;
      provenance = "lineamientos_2020";
      termsVersion = termsVersion ?? event.data.termsVersion;
      if (event.data.emailOnFile) {
        means = [
          ...means,
          {
            id: event.data.emailOnFile.meansId,
            kind: "correo",
            value: event.data.emailOnFile.value,
            scope: RFC_SCOPE,
            status: "validado",
            registeredAt: event.at,
            // Validated with the enablement: nothing left to expire.
            expiresAt: event.at,
            validatedAt: event.at,
            replaces: null,
            origin: "padron_2020",
          },
        ];
      }
      break;
    case "aclaracion_atendida":
      break;
  }
  const state = deriveState(means, signed, enabled2020);
  if (state === "habilitado" && provenance === null) provenance = "activacion";
  return {
    rfc: mailbox.rfc,
    state,
    provenance,
    termsVersion,
    signedTermsVersion,
    means,
    updatedAt: event.at,
  };
}

function updateMeans(
  means: ProjectedMeans[],
  id: string,
  change: (m: ProjectedMeans) => ProjectedMeans,
): ProjectedMeans[] {
  return means.map((m) => (m.id === id ? change(m) : m));
}

function deriveState(
  means: readonly ProjectedMeans[],
  signed: boolean,
  enabled2020: boolean,
): MailboxState {
  if (enabled2020) return "habilitado";
  const live = means.filter((m) => m.status === "pendiente" || m.status === "validado");
  if (live.length === 0) return "sin_medios";
  if (!hasBothKindsValidated(live)) return "medios_pendientes";
  return signed ? "habilitado" : "medios_validados";
}

/** A validated e-mail and a validated phone of the RFC's own scope (5.2: both, not one). */
export function hasBothKindsValidated(means: readonly ProjectedMeans[]): boolean {
  const validated = means.filter((m) => m.scope === RFC_SCOPE && m.status === "validado");
  return validated.some((m) => m.kind === "correo") && validated.some((m) => m.kind === "celular");
}

/**
 * Whether the person must sign the Terms before using the mailbox: it is not enabled yet, or
 * the Terms in force are newer than the ones it accepted (3: a new version asks for a new
 * signature before the mailbox is used again).
 */
export function needsTermsSignature(
  mailbox: Pick<MailboxProjection, "state" | "termsVersion">,
  currentVersion: string,
): boolean {
  return mailbox.termsVersion !== currentVersion;
}

/**
 * Whether the person may enter the mailbox (read notifications, file promociones): enabled and
 * under the Terms in force.
 */
export function canEnterMailbox(
  mailbox: Pick<MailboxProjection, "state" | "termsVersion">,
  currentVersion: string,
): boolean {
  return mailbox.state === "habilitado" && !needsTermsSignature(mailbox, currentVersion);
}

/** The means a person sees: everything but the removed ones. */
export function visibleMeans(mailbox: MailboxProjection): ProjectedMeans[] {
  return mailbox.means.filter((m) => m.status !== "eliminado");
}

/**
 * How the mailbox stands enabled, as its acuses state it (cadena version 2, ADR 0011): its
 * provenance while `habilitado`, nothing otherwise (not enabled yet, or no longer).
 */
export function habilitacionOf(mailbox: MailboxProjection): Provenance | undefined {
  return mailbox.state === "habilitado" && mailbox.provenance !== null
    ? mailbox.provenance
    : undefined;
}

/**
 * Refuses to record an acuse whose sealed habilitación is no longer the mailbox's, under its
 * lock: the mailbox changed between reading it and sealing (a means removed, a signature
 * meanwhile), and the acuse would state what was not so at its instant. Nothing is issued; the
 * person repeats the action. For every use case that issues an acuse of the mailbox.
 */
export function checkHabilitacion(
  locked: MailboxProjection,
  sealed: { habilitacion?: string | undefined },
): void {
  if (habilitacionOf(locked) === sealed.habilitacion) return;
  throw new AppError(
    "conflict",
    "Tu Buzón IMSS cambió mientras registrábamos tu solicitud, así que no se emitió el acuse. Vuelve a intentarlo.",
  );
}
