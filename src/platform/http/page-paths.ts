/**
 * The web app's pages, shared by the server (which answers 200 with index.html for them and 404
 * for any other page) and the web router (which renders them). Vite reads this file: no
 * node-only imports. `:name` is one path segment; a trailing `?` makes it optional.
 */
export const PAGE_PATHS = {
  home: "/",
  calculator: "/calculadora",
  nonBusinessDays: "/dias-inhabiles",
  nonBusinessDaysOfYear: "/dias-inhabiles/:year",
  verification: "/verificacion/:folio?",
  /** «Estrados electrónicos» (CFF 139): the public listing of acts notified por estrados. */
  estrados: "/estrados",
  /** One act on the estrados: its card with its dates, acuses and document (while listed). */
  estradosActo: "/estrados/:id",
  signIn: "/acceso",
  /** Where «Salir» posts; a plain visit goes home. */
  signOut: "/salir",
  mailbox: "/buzon",
  sessions: "/buzon/sesiones",
  /** «Mis acuses»: every acuse of the buzón, newest first, to download and verify. */
  ownAcuses: "/buzon/acuses",
  /** «Mis medios de contacto»: register, list and remove e-mails and mobile phones. */
  contactMeans: "/buzon/medios",
  /**
   * «Validar medio de contacto»: the link of the validation e-mail. The e-mail may carry the code
   * in the fragment (`/buzon/medios/<id>/validar#codigo=123456`): a fragment never reaches the
   * server, so the code is in no request line and no log; the page fills the field with it.
   */
  validateMeans: "/buzon/medios/:id/validar",
  /** «Activación del Buzón IMSS»: sign the Términos y Condiciones with the e.firma. */
  activation: "/buzon/activacion",
  /** «Mis notificaciones»: pending, notified, all; listing opens nothing (issue 11 §5). */
  notificaciones: "/buzon/notificaciones",
  /** One notification: its dates and why, its timeline, «Abrir con e.firma», downloads. */
  notificacion: "/buzon/notificaciones/:id",
  /** «Mis expedientes»: one searchable list of the four, with their acuses (issue 12 §4). */
  expedientes: "/buzon/expedientes",
  /** «Mis documentos»: what the Institute published for the person (issue 12 §2). */
  documentos: "/buzon/documentos",
  /** «Mis comunicados»: the Institute's announcements, read and unread (issue 12 §3). */
  comunicados: "/buzon/comunicados",
  /** Staff: compose, preview and schedule comunicados. */
  staffComunicados: "/personal/comunicados",
  /** «Promociones electrónicas»: the person's promociones and drafts (issue 12 §1). */
  promociones: "/buzon/promociones",
  /** Compose, sign with the e.firma and file a promoción; `?borrador=<id>` resumes a draft. */
  promocionNueva: "/buzon/promociones/nueva",
  /** One promoción: what was filed, its acuse and its public timeline. */
  promocion: "/buzon/promociones/:id",
  /** Staff: the queue of promociones received. */
  staffPromociones: "/personal/promociones",
  /** Staff: one promoción, its internal notes and its steps. */
  staffPromocion: "/personal/promociones/:id",
  /** Staff: follow the acts deposited and cancel them. */
  staffNotificaciones: "/personal/notificaciones",
  /** Staff: compose acts, sign their PDFs with the e.firma in the browser, deposit them. */
  staffCompose: "/personal/notificaciones/nueva",
  /** Staff: one act's aviso as a court asks for it: each address, each attempt, its acuse. */
  staffAct: "/personal/notificaciones/:id",
  /** Demo only: what the loopback SMTP server and SMS gateway received. */
  devInbox: "/desarrollo/bandeja",
  /** Demo only: move the demonstration clock forward. */
  demoClock: "/desarrollo/reloj",
} as const;

function patternOf(path: string): RegExp {
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map((segment) => {
      const param = /^:[A-Za-z]+(\?)?$/.exec(segment);
      if (!param) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      return param[1] ? "(?:/[^/]+)?" : "/[^/]+";
    });
  return new RegExp(`^${segments.join("")}/?$`);
}

const PATTERNS = Object.values(PAGE_PATHS).map(patternOf);

/** Whether a pathname (no query string) is one of the web app's pages. */
export function isPagePath(pathname: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(pathname));
}

/**
 * The link of the validation e-mail for one means of contact: «Validar medio de contacto», with
 * the code in the fragment when given (the page fills the field; the server never sees it).
 */
export function validateMeansPath(id: string, code?: string): string {
  const path = PAGE_PATHS.validateMeans.replace(":id", encodeURIComponent(id));
  return code === undefined ? path : `${path}#codigo=${encodeURIComponent(code)}`;
}

/** One notification's page in «Mis notificaciones». */
export function notificacionPath(id: string): string {
  return PAGE_PATHS.notificacion.replace(":id", encodeURIComponent(id));
}

/** One act's publication on the public estrados electrónicos (the act's id names it). */
export function estradosActoPath(id: string): string {
  return PAGE_PATHS.estradosActo.replace(":id", encodeURIComponent(id));
}

/** One promoción's page in «Promociones electrónicas». */
export function promocionPath(id: string): string {
  return PAGE_PATHS.promocion.replace(":id", encodeURIComponent(id));
}

/** One promoción's page in the staff queue. */
export function staffPromocionPath(id: string): string {
  return PAGE_PATHS.staffPromocion.replace(":id", encodeURIComponent(id));
}

/** One act's page in the staff follow-up. */
export function staffActPath(id: string): string {
  return PAGE_PATHS.staffAct.replace(":id", encodeURIComponent(id));
}
