import { PAGE_PATHS } from "../platform/http/page-paths.ts";
import type { DemoEfirma } from "./demo-efirmas.ts";

export interface DemoBannerInput {
  /** Where this server listens. */
  url: string;
  efirmas: readonly DemoEfirma[];
  /** The public verification address of the demo acuse. */
  acuseUrl?: string;
  /** The demo administrator's staff API token minted for this session (a day long). */
  token?: string;
  /** Whether request logs reach this terminal (LOG_LEVEL info or finer). */
  requestLogs: boolean;
  /**
   * When the demo's acts are made available (their aviso instant, in Spanish), if still ahead on
   * the legal clock: until then the estrados page is empty (ensureDemoNotificaciones).
   */
  actsAvailableAt?: string | undefined;
}

const RULE = "─".repeat(78);

/**
 * What `buzon serve --demo` prints once it listens: everything a person needs to try the demo,
 * in one block, so it is not lost among logs. One «label: value» per line, to copy from.
 */
export function demoBanner(input: DemoBannerInput): string {
  const lines = [
    "",
    RULE,
    `Buzón IMSS en ${input.url}  (API: ${input.url}/api/docs)  — demostración`,
    "",
    "Para entrar, «Ingresar» con una de estas e.firmas de demostración. Solo valen las de la AC",
    "de desarrollo de la demostración: las de prueba del SAT no se aceptan aquí.",
  ];
  for (const e of input.efirmas) {
    lines.push(
      "",
      `  ${e.label}`,
      `    Certificado (.cer): ${e.cerPath}`,
      `    Llave privada (.key): ${e.keyPath}`,
      `    Contraseña: ${e.password}`,
    );
  }
  lines.push("");
  if (input.acuseUrl) lines.push(`Acuse de demostración (verificación pública): ${input.acuseUrl}`);
  if (input.token)
    lines.push(
      `Token de administración de esta sesión de demostración (API, 24 horas): ${input.token}`,
    );
  // The demo's own pages: the messages the loopback servers received (a person signed in sees
  // hers), and the clock, which takes the token; in the fragment, it never reaches a log.
  lines.push(
    `Bandeja de desarrollo (correos y SMS de la demostración): ${input.url}${PAGE_PATHS.devInbox}`,
  );
  if (input.token) {
    lines.push(
      `Reloj de demostración (con el token): ${input.url}${PAGE_PATHS.demoClock}#token=${input.token}`,
    );
  }
  if (input.actsAvailableAt) {
    // Started outside 09:30–18:00 of a business day: an empty estrados page is the law (rule a),
    // not a fault; say when it fills, and how to get there now.
    lines.push(
      "",
      "Los actos de demostración se depositaron fuera del horario de notificación (09:30 a 18:00",
      `de un día hábil): se ponen a disposición el ${input.actsAvailableAt} (regla a).`,
      `Hasta entonces no aparecen en los estrados electrónicos (${input.url}${PAGE_PATHS.estrados})`,
      "ni en «Mis notificaciones» de su destinatario; para verlos ya, adelante el reloj de demostración.",
    );
  }
  lines.push(
    "",
    input.requestLogs
      ? "Los registros de solicitudes se muestran abajo (LOG_LEVEL)."
      : "Aquí solo se muestran avisos y errores; para ver cada solicitud: LOG_LEVEL=info npm start",
    "Para detener el servidor: Ctrl+C",
    RULE,
    "",
  );
  return `${lines.join("\n")}\n`;
}
