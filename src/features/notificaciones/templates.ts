import type { MessageTemplate } from "../delivery/outbox.ts";

/**
 * The aviso de notificación (Lineamientos 7.3, 7.4; CFF 134-I): sent to every validated contact
 * means of the addressee, never before the aviso's legal instant (the outbox holds it until
 * then). It says that a document awaits, the 3 business days to open it and the last one from
 * the time engine, and that after them it counts as notified; it never carries the document
 * nor what it says — only the act's type and oficio, which the person needs to recognise it.
 *
 * data: `destinatario` («el RFC AAA010101AAA» or «el registro patronal … del RFC …»), `acto`
 * (the act type's name), `oficio`, `unidad` (issuing unit), `disponible` (the aviso instant in
 * Spanish), `abrirHasta` (the last day to open, in Spanish), `notificadaEl` (09:30 of the 4th
 * business day, in Spanish), `abrirHastaCorto` (dd/mm/aaaa, for SMS), `enlace` (the act's page).
 */
export const AVISO_TEMPLATE = "notificacion_aviso";

const SUBJECT = "Aviso de notificación — Buzón IMSS";

function emailText(d: Record<string, string>): string {
  return [
    "Aviso de notificación — Buzón IMSS",
    "",
    `El Instituto Mexicano del Seguro Social depositó en el Buzón IMSS ${delDestinatario(d)} un documento digital pendiente de notificar:`,
    "",
    `  ${d.acto}`,
    `  Oficio: ${d.oficio}`,
    `  Emitido por: ${d.unidad}`,
    `  Disponible desde: ${d.disponible}`,
    "",
    `Tienes tres días hábiles para abrirlo con tu e.firma en «Mis notificaciones»: hasta el ${d.abrirHasta}. Si no lo abres en ese plazo, la notificación se tendrá por realizada el ${d.notificadaEl} (Lineamientos 7.4 y 7.5; Código Fiscal de la Federación, artículo 134, fracción I).`,
    "",
    `Entra al Buzón IMSS: ${d.enlace}`,
    "",
    "Este aviso no contiene el documento. El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.",
  ].join("\n");
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * «del RFC …» / «del registro patronal …»: `destinatario` begins with the article («el RFC …»),
 * which Spanish contracts after «de».
 */
export function delDestinatario(d: Record<string, string>): string {
  const who = d.destinatario ?? "";
  return who.startsWith("el ") ? `del ${who.slice(3)}` : `de ${who}`;
}

function emailHtml(d: Record<string, string>): string {
  const e = (key: string) => escapeHtml(d[key] ?? "");
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(SUBJECT)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#212121;max-width:600px">
<h1 style="font-size:20px;color:#611232">Aviso de notificación — Buzón IMSS</h1>
<p>El Instituto Mexicano del Seguro Social depositó en el Buzón IMSS ${escapeHtml(delDestinatario(d))} un documento digital pendiente de notificar:</p>
<ul>
<li><strong>${e("acto")}</strong></li>
<li>Oficio: ${e("oficio")}</li>
<li>Emitido por: ${e("unidad")}</li>
<li>Disponible desde: ${e("disponible")}</li>
</ul>
<p>Tienes <strong>tres días hábiles</strong> para abrirlo con tu e.firma en «Mis notificaciones»: <strong>hasta el ${e("abrirHasta")}</strong>. Si no lo abres en ese plazo, la notificación se tendrá por realizada el ${e("notificadaEl")} (Lineamientos 7.4 y 7.5; Código Fiscal de la Federación, artículo 134, fracción I).</p>
<p><a href="${e("enlace")}">Entrar al Buzón IMSS</a></p>
<p style="font-size:13px;color:#545454">Este aviso no contiene el documento. El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.</p>
</body></html>`;
}

function smsText(d: Record<string, string>): string {
  return `Buzón IMSS: tienes una notificación del IMSS (oficio ${d.oficio}). Ábrela con tu e.firma a más tardar el ${d.abrirHastaCorto}; después se tendrá por notificada.`;
}

export const notificacionTemplates: Record<string, MessageTemplate> = {
  [AVISO_TEMPLATE]: {
    subject: () => SUBJECT,
    text: emailText,
    html: emailHtml,
    sms: smsText,
  },
};
