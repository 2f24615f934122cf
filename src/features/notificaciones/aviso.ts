import { maskAddress } from "../../domain/notificaciones/aviso.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { MessageTemplate } from "../delivery/outbox.ts";
import type { AvisoAttemptRow, AvisoMessageRow } from "./sweep-store.ts";
import { delDestinatario, escapeHtml } from "./templates.ts";

/**
 * The RFC the Institute acts with when the system itself seals an act's evidence (the aviso's
 * acuse, the constancia of the fourth day): capacity `sistema`, actor the IMSS.
 */
export const INSTITUTO_RFC = "IMS421231I45";

/**
 * The second aviso (issue 11 §2): on the last day to open, to every validated means, if the act
 * is still unopened. Same data as the first aviso (templates.ts), with a reminder that today is
 * the last day. It carries no acuse: it moves no term (the three days run from the first aviso,
 * Lineamientos 7.4) and sealing it would suggest it did; its proof is the `segundo_aviso` event
 * and its delivery attempts, listed with the aviso's evidence.
 */
export const SEGUNDO_AVISO_TEMPLATE = "notificacion_segundo_aviso";

const SUBJECT = "Hoy es el último día para abrir tu notificación — Buzón IMSS";

function text(d: Record<string, string>): string {
  return [
    "Segundo aviso de notificación — Buzón IMSS",
    "",
    `Hoy, ${d.abrirHasta}, es el último día para abrir con tu e.firma el documento que el Instituto Mexicano del Seguro Social depositó en el Buzón IMSS ${delDestinatario(d)}:`,
    "",
    `  ${d.acto}`,
    `  Oficio: ${d.oficio}`,
    `  Emitido por: ${d.unidad}`,
    `  Disponible desde: ${d.disponible}`,
    "",
    `Si no lo abres hoy, la notificación se tendrá por realizada el ${d.notificadaEl} (Lineamientos 7.4 y 7.5; Código Fiscal de la Federación, artículo 134, fracción I). Este segundo aviso no cambia ese plazo.`,
    "",
    `Entra al Buzón IMSS: ${d.enlace}`,
    "",
    "Este aviso no contiene el documento. El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.",
  ].join("\n");
}

function html(d: Record<string, string>): string {
  const e = (key: string) => escapeHtml(d[key] ?? "");
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(SUBJECT)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#212121;max-width:600px">
<h1 style="font-size:20px;color:#611232">Segundo aviso de notificación — Buzón IMSS</h1>
<p><strong>Hoy, ${e("abrirHasta")}, es el último día</strong> para abrir con tu e.firma el documento que el Instituto Mexicano del Seguro Social depositó en el Buzón IMSS ${escapeHtml(delDestinatario(d))}:</p>
<ul>
<li><strong>${e("acto")}</strong></li>
<li>Oficio: ${e("oficio")}</li>
<li>Emitido por: ${e("unidad")}</li>
<li>Disponible desde: ${e("disponible")}</li>
</ul>
<p>Si no lo abres hoy, la notificación se tendrá por realizada el ${e("notificadaEl")} (Lineamientos 7.4 y 7.5; Código Fiscal de la Federación, artículo 134, fracción I). Este segundo aviso no cambia ese plazo.</p>
<p><a href="${e("enlace")}">Entrar al Buzón IMSS</a></p>
<p style="font-size:13px;color:#545454">Este aviso no contiene el documento. El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.</p>
</body></html>`;
}

function sms(d: Record<string, string>): string {
  return `Buzón IMSS: hoy ${d.abrirHastaCorto} es el último día para abrir con tu e.firma la notificación del IMSS (oficio ${d.oficio}); después se tendrá por notificada.`;
}

export const segundoAvisoTemplates: Record<string, MessageTemplate> = {
  [SEGUNDO_AVISO_TEMPLATE]: { subject: () => SUBJECT, text, html, sms },
};

/** One address an aviso went to, and what became of each attempt to deliver it. */
export type AvisoDelivery = {
  aviso: "primero" | "segundo";
  channel: "correo" | "sms";
  /** Masked on screen; whole in the evidence ZIP. */
  address: string;
  /**
   * Only with the whole address (the evidence ZIP): the message's outbox key, over which with
   * the address the aviso's sealed statement gives a digest (avisoAddressDigestInput).
   */
  key?: string;
  /** pendiente (not yet delivered or waiting for its instant), enviada, fallida. */
  status: "pendiente" | "enviada" | "fallida";
  /** When it was written to the outbox. */
  enqueuedAt: string;
  attempts: { attempt: number; outcome: string; at: string; response: string }[];
};

/** The aviso's acuse as the evidence shows it. */
export type AvisoAcuse = {
  folio: string;
  kind: string;
  eventAt: string;
  countsAt: string;
  rule: string;
  calendarVersion: string;
  rulesVersion: string;
  cadenaOriginal: string;
  seal: string;
  sealCertificateNumber: string;
};

/**
 * The cancellation of the act, where the aviso's evidence would otherwise state its term: the
 * instant, the cancellation acuse's folio, and its effect (no term runs, no notification
 * follows), in the words the sealed text of an aviso cancelled after its instant uses
 * (aviso-cancelado.ts).
 */
export type AvisoCancellation = {
  /** The `cancelada` event's instant. */
  cancelledAt: string;
  /** The folio of its acuse (`cancelacion_notificacion`); null only if it has none. */
  acuseFolio: string | null;
  /**
   * Cancelled at or after the aviso instant: the document was made available (and the aviso's
   * acuse is due); false, it never was, and the aviso has no acuse.
   */
  afterAviso: boolean;
  /** CANCELLATION_EFFECT: the sealed `Efecto de la cancelación:` line's value. */
  effect: string;
  /** cancellationStatement: what happened, in place of the term's statement. */
  statement: string;
};

/**
 * The aviso's evidence's format (aviso.json and the staff route). /2: `term` may be null (a
 * cancelled act's, an act on estrados'), with `cancellation` and `estradosPublication` beside it.
 */
export const AVISO_EVIDENCE_FORMAT = "buzon-imss-aviso/2";

/**
 * An act on estrados instead of the Buzón (CFF 139): no three-day term runs; published ten
 * business days from the aviso instant, notified on the eleventh. The dates the publication's
 * acuse fixed (its `publicada_en_estrados` event), once published.
 */
export type AvisoEstrados = {
  publishedAt: string;
  lastPublicationDay: string;
  notifiedAt: string;
  acuseFolio: string | null;
};

/**
 * What a court asks of an aviso (issue 11 §3; TFJA IX-J-1aS-7): the addressee, the instant the
 * document was made available, every address the aviso went to with its delivery outcome, the
 * statement of the three-day term with its dates from the engine, and the acuse (cadena and
 * seal). `acuse` is null until the job sealed it. For a cancelled act, whenever it was
 * cancelled, no term runs: `term` is null and `cancellation` says what happened instead (null
 * for an act not cancelled). An act on estrados has no Buzón term either (`term` null): its
 * publication's dates are in `estradosPublication` once published.
 */
export type AvisoEvidence = {
  format: typeof AVISO_EVIDENCE_FORMAT;
  id: string;
  addressee: { rfc: string; registroPatronal: string | null };
  act: {
    actType: string;
    actTypeName: string;
    oficio: string;
    issuingUnit: string;
    documentName: string;
    documentSha256: string;
  };
  availableAt: string;
  term: {
    openBy: string;
    deemedNotifiedAt: string;
    calendarVersion: string;
    statement: string;
  } | null;
  cancellation: AvisoCancellation | null;
  estradosPublication: AvisoEstrados | null;
  acuse: AvisoAcuse | null;
  deliveries: AvisoDelivery[];
};

const instant = (date: Date) =>
  formatInstant(Temporal.Instant.fromEpochMilliseconds(date.getTime()));

/** Each aviso message with its attempts, masked unless `full`. */
export function deliveriesOf(
  messages: readonly AvisoMessageRow[],
  attempts: readonly AvisoAttemptRow[],
  full: boolean,
): AvisoDelivery[] {
  return messages.map((m) => ({
    aviso: m.idempotency_key.includes(":segundo-aviso:") ? "segundo" : "primero",
    channel: m.channel,
    address: full ? m.recipient : maskAddress(m.channel, m.recipient),
    ...(full ? { key: m.idempotency_key } : {}),
    status: m.status,
    enqueuedAt: instant(m.created_at),
    attempts: attempts
      .filter((a) => a.outbox_id === m.outbox_id)
      .map((a) => ({
        attempt: a.attempt,
        outcome: a.outcome,
        at: instant(a.at),
        response: a.response,
      })),
  }));
}
