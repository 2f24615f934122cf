import type { MessageTemplate, Templates } from "../delivery/outbox.ts";

/** Escapes text for HTML: names come from the padrón, which is data, not markup. */
function html(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

const SUBJECT = "Cumple con tu obligación de activar el Buzón IMSS";

/**
 * The reminder campaign of transitorio primero, after the Institute's own letter (seed 004).
 * Data: `nombre`, `rfc`, `fechaLimite` (Spanish date), `url` (where to enable it).
 */
const recordatorioHabilitacion: MessageTemplate = {
  subject: () => SUBJECT,
  text: (d) =>
    [
      `${d.nombre} (RFC ${d.rfc}):`,
      "",
      "Los registros electrónicos del Instituto muestran que aún no tienes activado tu Buzón IMSS, por lo que se te exhorta a realizarlo cuanto antes.",
      `El plazo del transitorio primero de los Lineamientos vence el ${d.fechaLimite}. Mientras tu buzón no esté habilitado, el Instituto podrá notificarte por estrados (numeral 7.8 de los Lineamientos; artículo 134, fracción III, del Código Fiscal de la Federación).`,
      "",
      "Para habilitar tu Buzón IMSS:",
      `1. Ingresa a ${d.url}`,
      "2. Autentícate con la e.firma del SAT vigente de la persona física o moral.",
      "3. Registra y valida al menos un correo electrónico y un número de celular para tu RFC.",
      "4. Firma electrónicamente los Términos y Condiciones para el uso del Buzón IMSS.",
      "",
      "Habilitar tu Buzón IMSS es una obligación: no esperes hasta el último momento para cumplir.",
      "",
      "Nota: si ya activaste tu Buzón IMSS, haz caso omiso de este mensaje.",
      "",
      "Buzón IMSS",
    ].join("\n"),
  html: (d) =>
    `<!doctype html><html lang="es"><body>
<h1>${SUBJECT}</h1>
<p>${html(d.nombre ?? "")} (RFC ${html(d.rfc ?? "")}):</p>
<p>Los registros electrónicos del Instituto muestran que aún <strong>no tienes activado tu Buzón IMSS</strong>, por lo que se te exhorta a realizarlo cuanto antes.</p>
<p>El plazo del transitorio primero de los Lineamientos vence el <strong>${html(d.fechaLimite ?? "")}</strong>. Mientras tu buzón no esté habilitado, el Instituto podrá notificarte por estrados (numeral 7.8 de los Lineamientos; artículo 134, fracción III, del Código Fiscal de la Federación).</p>
<p>Para habilitar tu Buzón IMSS:</p>
<ol>
<li>Ingresa a <a href="${html(d.url ?? "")}">${html(d.url ?? "")}</a></li>
<li>Autentícate con la e.firma del SAT vigente de la persona física o moral.</li>
<li>Registra y valida al menos un correo electrónico y un número de celular para tu RFC.</li>
<li>Firma electrónicamente los Términos y Condiciones para el uso del Buzón IMSS.</li>
</ol>
<p>Habilitar tu Buzón IMSS es una obligación: no esperes hasta el último momento para cumplir.</p>
<p><small>Si ya activaste tu Buzón IMSS, haz caso omiso de este mensaje.</small></p>
<p>Buzón IMSS</p>
</body></html>`,
  sms: (d) =>
    `IMSS: ${d.rfc}, aún no habilitas tu Buzón IMSS. Plazo: ${d.fechaLimite}. Ingresa a ${d.url}`,
};

export const RECORDATORIO_TEMPLATE = "padron.recordatorio_habilitacion";

export const padronTemplates: Templates = {
  [RECORDATORIO_TEMPLATE]: recordatorioHabilitacion,
};
