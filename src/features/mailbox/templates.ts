import type { MessageTemplate } from "../delivery/outbox.ts";

/**
 * The validation messages of contact means (Lineamientos 5.2): the e-mail carries the link to
 * «Validar medio de contacto» and the code; the SMS, the code. `d` is the message's data and its
 * secret (`codigo`) together; the code travels in the link's fragment, which browsers never send
 * to a server, so it reaches no request line and no log.
 *
 * data: `enlace` (the validation page, absolute), `alcance` («tu RFC AAA010101AAA» or «los
 * registros patronales …»), `folio` (the registration's acuse), `vence` (the 72-hour limit,
 * in Spanish), `venceCorto` (the same as dd/mm/aaaa hh:mm, for SMS). secret: `codigo`.
 */
export const MEANS_EMAIL_TEMPLATE = "medio_validacion_correo";
export const MEANS_SMS_TEMPLATE = "medio_validacion_sms";

const SUBJECT = "Buzón IMSS: valida tu correo electrónico";

function emailText(d: Record<string, string>): string {
  return [
    "Buzón IMSS — Validación de medio de contacto",
    "",
    `Registraste este correo electrónico como medio de contacto de ${d.alcance} (acuse ${d.folio}).`,
    "",
    `Tu código de verificación es: ${d.codigo}`,
    "",
    `Escríbelo en «Validar medio de contacto», o abre este enlace: ${linkOf(d)}`,
    "",
    `Tienes hasta el ${d.vence} para validarlo; después, el registro se cancela y tendrás que hacerlo de nuevo.`,
    "",
    "Si tú no hiciste este registro, ignora este mensaje. El IMSS nunca te pedirá este código por teléfono.",
  ].join("\n");
}

function linkOf(d: Record<string, string>): string {
  return `${d.enlace}#codigo=${encodeURIComponent(d.codigo ?? "")}`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function emailHtml(d: Record<string, string>): string {
  const e = (key: string) => escapeHtml(d[key] ?? "");
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(SUBJECT)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#212121;max-width:600px">
<h1 style="font-size:20px;color:#13322b">Buzón IMSS — Validación de medio de contacto</h1>
<p>Registraste este correo electrónico como medio de contacto de ${e("alcance")} (acuse ${e("folio")}).</p>
<p>Tu código de verificación es:</p>
<p style="font-size:28px;letter-spacing:6px;font-weight:bold">${e("codigo")}</p>
<p><a href="${escapeHtml(linkOf(d))}">Validar medio de contacto</a></p>
<p>Tienes hasta el ${e("vence")} para validarlo; después, el registro se cancela y tendrás que hacerlo de nuevo.</p>
<p style="font-size:13px;color:#545454">Si tú no hiciste este registro, ignora este mensaje. El IMSS nunca te pedirá este código por teléfono.</p>
</body></html>`;
}

function smsText(d: Record<string, string>): string {
  return `Buzón IMSS: tu código de verificación es ${d.codigo}. Vence el ${d.venceCorto}. No lo compartas.`;
}

export const mailboxTemplates: Record<string, MessageTemplate> = {
  [MEANS_EMAIL_TEMPLATE]: {
    subject: () => SUBJECT,
    text: emailText,
    html: emailHtml,
    sms: smsText,
  },
  [MEANS_SMS_TEMPLATE]: {
    subject: () => "Buzón IMSS: código de verificación",
    text: smsText,
    html: (d) => `<p>${escapeHtml(smsText(d))}</p>`,
    sms: smsText,
  },
};
