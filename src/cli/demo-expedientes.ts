import type { BuzonSystem } from "../system.ts";
import { demoPdf } from "./demo-notificaciones.ts";

/** The demo's particular with an e.firma (src/cli/demo-efirmas.ts) and its registro patronal. */
const DEMO_RFC = "EKU9003173C9";
const DEMO_REGISTRO = "B5510768108";

/**
 * «Mis documentos» and «Mis comunicados» of the demo (docs/documentos.md): a propuesta EMA and
 * an EBA for the demo company's registro patronal, its constancia de semanas cotizadas, and three
 * comunicados — general, to subdelegación 09 (its registros' claves) and to its RFC. Published
 * through the same use cases as the API, once: the PDFs have fixed bytes (publishing them again
 * is «ya publicado») and each comunicado is composed once by title.
 */
export const DEMO_DOCUMENTOS = [
  {
    kind: "propuesta_cedula_ema",
    period: "2026-10",
    registroPatronal: DEMO_REGISTRO,
    fileName: "Propuesta EMA octubre 2026 (demostración).pdf",
    text: "Propuesta de cédula de determinación de cuotas obrero-patronales, mensual (EMA), octubre de 2026. Documento de demostración: no es una propuesta del Instituto.",
  },
  {
    kind: "propuesta_cedula_eba",
    period: "2026-10",
    registroPatronal: DEMO_REGISTRO,
    fileName: "Propuesta EBA 5.º bimestre 2026 (demostración).pdf",
    text: "Propuesta de cédula de determinación bimestral (EBA), septiembre–octubre de 2026. Documento de demostración: no es una propuesta del Instituto.",
  },
  {
    kind: "constancia_semanas_cotizadas",
    period: "2026-11-30",
    fileName: "Constancia de semanas cotizadas (demostración).pdf",
    text: "Constancia de semanas cotizadas al 30 de noviembre de 2026. Documento de demostración: no es una constancia del Instituto.",
  },
] as const;

export const DEMO_COMUNICADOS = [
  {
    title: "Bienvenida a «Mis comunicados»",
    body: "Aquí el Instituto publica avisos de interés, facilidades y beneficios para tu empresa.\nLos comunicados informan: no corre plazo alguno por ellos. Las notificaciones con efectos legales están en «Mis notificaciones».",
    audience: { kind: "general" },
  },
  {
    title: "Horario de atención en la Subdelegación 09 Centro",
    body: "Del 21 de diciembre al 6 de enero la Subdelegación 09 Centro atiende de 9:00 a 14:00 horas.\nComunicado de demostración dirigido a los RFC con registro patronal en la subdelegación.",
    audience: { kind: "subdelegacion", subdelegacion: "09" },
  },
  {
    title: "Tus propuestas de cédula de octubre están disponibles",
    body: "Publicamos en «Mis documentos» las propuestas de cédula de determinación EMA y EBA de tu registro patronal B5510768108. Comunicado de demostración.",
    audience: { kind: "rfc", rfc: DEMO_RFC },
  },
] as const;

export async function ensureDemoExpedientes(system: BuzonSystem): Promise<void> {
  for (const d of DEMO_DOCUMENTOS) {
    const pdf = await demoPdf(d.fileName, `${d.kind} ${d.period}`, d.text);
    await system.documentos.publish(
      {
        rfc: DEMO_RFC,
        kind: d.kind,
        period: d.period,
        ...("registroPatronal" in d ? { registroPatronal: d.registroPatronal } : {}),
        fileName: d.fileName,
        document: pdf,
      },
      { by: "demo", via: "demo" },
    );
  }
  for (const c of DEMO_COMUNICADOS) {
    await system.comunicados.composeOnce({ ...c, audience: { ...c.audience } }, "demo");
  }
}
