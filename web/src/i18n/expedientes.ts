/**
 * The strings of «Mis documentos» and «Mis comunicados» (the particular's pages and the staff's
 * composer), part of the one catalogue `es` (es.expedientes), in their own file so the
 * catalogue's other areas change without touching these.
 */
import { misExpedientesEs } from "./misExpedientes.ts";

const bytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toLocaleString("es-MX", { maximumFractionDigits: 1 })} MB`
    : n >= 1024
      ? `${(n / 1024).toLocaleString("es-MX", { maximumFractionDigits: 1 })} KB`
      : `${n.toLocaleString("es-MX")} bytes`;

export const expedientesEs = {
  lista: misExpedientesEs,
  menu: {
    group: "Mis expedientes",
    expedientes: "Mis expedientes",
    documentos: "Mis documentos",
    comunicados: "Mis comunicados",
    notificaciones: "Mis notificaciones",
    unread: (n: number, capped: boolean) =>
      capped ? "más de 99 sin leer" : n === 1 ? "1 sin leer" : `${n} sin leer`,
    badge: (n: number, capped: boolean) => (capped ? "99+" : String(n)),
  },
  documentos: {
    title: "Mis documentos",
    lead: "Documentos que el Instituto publica para ti: las propuestas de cédula de determinación de tus registros patronales (mensual EMA y bimestral EBA), tu constancia de semanas cotizadas y tu constancia de vigencia de derechos. Cada uno lleva su huella digital (SHA-256): con ella puedes comprobar en la verificación pública que es el que publicó el Instituto.",
    filtersTitle: "Filtrar",
    kind: "Tipo de documento",
    anyKind: "Todos los tipos",
    period: "Periodo",
    periodHint: "AAAA-MM (por ejemplo 2026-10) o AAAA-MM-DD para las constancias.",
    registro: "Registro patronal",
    registroHint: "Una letra y 10 dígitos.",
    apply: "Filtrar",
    clear: "Quitar filtros",
    listLabel: "Documentos publicados para ti",
    empty: "No hay documentos publicados para ti con estos filtros.",
    emptyAll: "El Instituto aún no ha publicado documentos para ti.",
    columns: {
      document: "Documento",
      period: "Periodo",
      registro: "Registro patronal",
      publishedAt: "Publicado",
      actions: "Acciones",
    },
    noRegistro: "Del RFC",
    download: "Descargar PDF",
    downloadContext: (name: string) => ` ${name}`,
    verify: "Cómo verificarlo",
    hash: "SHA-256",
    size: bytes,
    verifyNote:
      "Para comprobar un documento descargado, súbelo en «Verificación de documentos» → «Documento original»: la página calcula su huella en tu equipo y solo confirma el tipo, el periodo y la fecha de publicación, nunca tus datos.",
    verifyLink: "Ir a la verificación de documentos",
    pagerLabel: "Páginas de documentos",
    firstPage: "Primera página",
    nextPage: "Siguiente página",
    periodInvalid: "El periodo debe ser AAAA-MM o AAAA-MM-DD.",
    registroInvalid: "El registro patronal es una letra y 10 dígitos.",
  },
  comunicados: {
    title: "Mis comunicados",
    lead: "Avisos de interés del Instituto, así como facilidades y beneficios para tu empresa. Los comunicados informan: no corre plazo alguno por ellos. Las notificaciones con efectos legales están en «Mis notificaciones».",
    filterLabel: "Mostrar",
    filters: { todos: "Todos", sin_leer: "Sin leer", leidos: "Leídos" },
    listLabel: "Comunicados",
    empty: "No tienes comunicados.",
    emptyUnread: "No tienes comunicados sin leer.",
    unread: "Sin leer",
    read: "Leído",
    publishedAt: (at: string) => `Publicado el ${at}`,
    readAt: (at: string) => `Leído el ${at}`,
    open: "Leer el comunicado",
    close: "Ocultar",
    markRead: "Marcar como leído",
    marking: "Marcando…",
    pagerLabel: "Páginas de comunicados",
    firstPage: "Primera página",
    nextPage: "Siguiente página",
  },
  staff: {
    menu: "Comunicados",
    title: "Comunicados",
    lead: "Redacta un comunicado para todas las personas particulares, para los RFC con registro patronal en una subdelegación o para un RFC. No corre plazo alguno. Revisa la vista previa antes de publicar; si eliges una fecha futura, se muestra desde entonces.",
    composeTitle: "Nuevo comunicado",
    titleField: "Título",
    titleHint: "Una línea, hasta 200 caracteres.",
    body: "Texto",
    bodyHint: "Texto simple, hasta 20 000 caracteres.",
    audience: "Destinatarios",
    audiences: {
      general: "Todas las personas particulares",
      subdelegacion: "RFC con registro patronal en una subdelegación",
      rfc: "Un RFC",
    },
    subdelegacion: "Subdelegación",
    rfc: "RFC",
    rfcHint: "12 caracteres (moral) o 13 (física).",
    sendEmail: "Enviar también un correo a cada buzón habilitado al que llega",
    publishedAt: "Publicar el (opcional)",
    publishedAtHint: "Fecha y hora de la Zona Centro. Vacío: al publicar.",
    date: "Fecha",
    time: "Hora",
    preview: "Vista previa",
    publish: "Publicar",
    schedule: "Programar",
    previewTitle: "Vista previa",
    reach: (n: number) =>
      n === 1
        ? "Llega hoy a 1 RFC del padrón."
        : `Llega hoy a ${n.toLocaleString("es-MX")} RFC del padrón.`,
    scheduledFor: (at: string) => `Se mostrará desde el ${at}.`,
    showsNow: "Se mostrará al publicarlo.",
    withEmail: "Con correo a los buzones habilitados.",
    published: (title: string) => `Publicado: «${title}».`,
    scheduledDone: (title: string, at: string) => `Programado: «${title}», desde el ${at}.`,
    listTitle: "Comunicados publicados y programados",
    listLabel: "Comunicados publicados y programados",
    empty: "Aún no hay comunicados.",
    columns: {
      title: "Título",
      audience: "Destinatarios",
      publishedAt: "Desde",
      state: "Estado",
      readers: "Lectores",
    },
    scheduled: "Programado",
    live: "Publicado",
    titleMissing: "Escribe el título.",
    bodyMissing: "Escribe el texto.",
    rfcMissing: "Escribe el RFC.",
    subdelegacionMissing: "Elige la subdelegación.",
  },
  verification: {
    title: "Publicado en «Mis documentos»",
    kind: "Tipo",
    period: "Periodo",
    publishedOn: "Publicado el",
    note: "La verificación confirma que el Instituto publicó este documento; no muestra de quién es.",
  },
} as const;
