/**
 * Every user-facing string of the web app, in Spanish (es-MX). Components import from here;
 * no visible text is written inline in JSX.
 */

import { expedientesEs } from "./expedientes.ts";
import { promocionesEs } from "./promociones.ts";

/** "Fecha del aviso" → "fecha del aviso", to go inside a sentence. */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

export const es = {
  app: {
    name: "Buzón IMSS",
    tagline: "Notificaciones y promociones electrónicas del Seguro Social",
    skipLink: "Saltar al contenido principal",
    titleSuffix: "Buzón IMSS",
  },
  nav: {
    label: "Navegación principal",
    home: "Inicio",
    calculator: "Calculadora de plazos",
    nonBusinessDays: "Días inhábiles",
    verification: "Verificación",
    estrados: "Estrados electrónicos",
    signIn: "Ingresar",
    signedIn: "Sesión de",
    mailbox: "Mi buzón",
    signOut: "Salir",
    signingOut: "Saliendo…",
  },
  /** The menus that fold on a phone (a button «Menú» shows their links). */
  compactMenu: {
    site: "Menú",
    mailbox: "Opciones de tu buzón",
  },
  forms: {
    chosenFiles: (count: number, names: string) => `${count} archivos: ${names}`,
    summaryTitle: (count: number) =>
      count === 1 ? "Hay un dato por corregir" : `Hay ${count} datos por corregir`,
    dateHint: "dd/mm/aaaa, por ejemplo 07/04/2025",
    timeHint: "24 horas, HH:MM (segundos opcionales), hora del Centro de México",
    dateMissing: (label: string) => `Escribe la ${inSentence(label)}.`,
    dateFormat: (label: string) =>
      `${label}: escríbela como dd/mm/aaaa (día, mes y año), por ejemplo 07/04/2025.`,
    dateMonth: (label: string) => `${label}: el mes debe estar entre 01 y 12.`,
    dateDay: (label: string, days: number) => `${label}: ese mes tiene ${days} días.`,
    dateRange: (label: string, min: number, max: number) =>
      `${label}: el año debe estar entre ${min} y ${max}.`,
    timeMissing: (label: string) => `Escribe la ${inSentence(label)}.`,
    timeFormat: (label: string) =>
      `${label}: escríbela en formato de 24 horas, HH:MM, por ejemplo 19:00 para las 7 de la noche.`,
    timeRange: (label: string) => `${label}: la hora va de 00:00 a 23:59.`,
    bothOrNeither: (legend: string) =>
      `${legend}: escribe la fecha y la hora, o deja ambas vacías.`,
    chooseFile: "Elegir archivo",
    noFile: "Ningún archivo elegido",
  },
  footer: {
    disclaimer:
      "Implementación abierta del Buzón IMSS con fines informativos. No es un sitio oficial del Instituto Mexicano del Seguro Social ni constituye asesoría legal.",
    legalBasis:
      "Fundamento: Acuerdo ACDO.AS2.HCT.230724/261.P.DIR, publicado en el Diario Oficial de la Federación el 5 de agosto de 2024.",
    timeZone: "Todas las horas corresponden a la Zona Centro de México (UTC−06:00).",
    demoTools: "Herramientas de la demostración",
    publicLinks: "Consultas públicas",
  },
  estrados: {
    title: "Estrados electrónicos",
    lead: "Aquí el Instituto publica los actos que notifica por estrados a las personas que no habilitaron su Buzón IMSS (Ley del Seguro Social, art. 286-M; Lineamientos, numeral 7.8). Cada documento se publica durante diez días hábiles, contados a partir del día siguiente a su publicación, y la notificación se tiene por hecha el decimoprimer día hábil (Código Fiscal de la Federación, art. 139).",
    privacy:
      "De cada persona se publica solo su nombre o razón social, como aparece en el padrón, y su RFC sin la fecha. El documento se puede descargar mientras dura su publicación.",
    empty: "No hay actos publicados en los estrados electrónicos.",
    listLabel: "Actos publicados",
    status: {
      en_publicacion: "En publicación",
      concluida: "Publicación concluida",
    },
    fields: {
      addressee: "Persona destinataria",
      oficio: "Oficio",
      issuingUnit: "Unidad que emite el acto",
      publishedAt: "Publicado el",
      publicationDays: "Días de publicación",
      notifiedOn: "Notificado el",
      effectiveOn: "Surte efectos",
      publicationAcuse: "Acuse de publicación",
      endAcuse: "Acuse de fin de la publicación",
      recurso: "Recurso de inconformidad hasta",
      nulidad: "Juicio de nulidad hasta",
    },
    fromTo: (first: string, last: string) => `Del ${first} al ${last}`,
    notifiedOnValue: (date: string) => `${date} (decimoprimer día hábil)`,
    sealing: "En emisión",
    download: (size: string) => `Descargar el documento publicado (PDF, ${size})`,
    verifyAcuse: (folio: string) => `Verificar el acuse ${folio}`,
    why: "¿Por qué estas fechas?",
    whyLoading: "Calculando…",
    /** Read, not shown: tells each act's «¿Por qué estas fechas?» and its regions apart. */
    whyContext: (act: string, oficio: string) => ` (${act}, oficio ${oficio})`,
    nextPage: "Actos publicados antes",
    firstPage: "Volver a los más recientes",
    allActs: "Ver todos los actos publicados en los estrados",
    calendar: (version: string, rules: string) =>
      `Calendario IMSS, versión ${version} · Reglas: ${rules}`,
  },
  home: {
    title: "Buzón IMSS",
    lead: "El buzón electrónico del Instituto Mexicano del Seguro Social para recibir notificaciones y presentar promociones, solicitudes y avisos por medios digitales, con la misma validez que los trámites en papel.",
    whatTitle: "¿Qué es el Buzón IMSS?",
    whatText:
      "Es un sistema de comunicación electrónica entre el IMSS y las personas usuarias. Por este medio el Instituto notifica actos y resoluciones administrativas, y las personas usuarias presentan promociones, solicitudes, avisos o dan cumplimiento a requerimientos.",
    whoTitle: "¿Quién debe usarlo?",
    whoIntro: "Deben habilitarlo y consultarlo, entre otros:",
    who: [
      "Derechohabientes",
      "Patrones",
      "Sujetos obligados",
      "Contadores públicos",
      "Responsables solidarios",
      "Terceros relacionados",
      "Personas físicas o morales y sus representantes legales",
    ],
    activationTitle: "¿Cómo se habilita?",
    activation: [
      "Ingresa con tu e.firma (firma electrónica avanzada) vigente, emitida por el SAT.",
      "Registra al menos un correo electrónico y hasta cinco, y un número de teléfono móvil.",
      "Valida tus medios de contacto dentro de las 72 horas siguientes a su registro.",
      "Acepta y firma con tu e.firma los Términos y Condiciones del Buzón IMSS.",
    ],
    notificationsTitle: "Notificaciones electrónicas",
    notifications: [
      "Cuando el IMSS deposita un documento en tu buzón, te envía un aviso a los medios de contacto que registraste.",
      "Tienes 3 días hábiles para abrir el documento, contados a partir del día hábil siguiente al envío del aviso.",
      "Si no lo abres, la notificación se tiene por realizada el cuarto día hábil.",
      "Las notificaciones se realizan en días hábiles, de 09:30 a 18:00 horas, Zona Centro de México.",
    ],
    promotionsTitle: "Promociones",
    promotions: [
      "Puedes enviar promociones cualquier día, de 00:00 a 23:59 horas.",
      "Las que envíes en día inhábil se tienen por recibidas a las 00:00 horas del día hábil siguiente.",
    ],
    retentionTitle: "Conservación de documentos",
    retentionText:
      "Los documentos notificados y los acuses se conservan en el buzón y puedes consultarlos e imprimirlos durante 5 años.",
    legalTitle: "Fundamento legal",
    legalText:
      "Acuerdo ACDO.AS2.HCT.230724/261.P.DIR del H. Consejo Técnico del IMSS, publicado en el Diario Oficial de la Federación el 5 de agosto de 2024.",
    legalFacts: [
      { term: "Entrada en vigor", value: "6 de agosto de 2024" },
      {
        term: "Fecha límite para habilitar el buzón",
        value:
          "Venció el martes 4 de febrero de 2025: los 180 días terminaban el sábado 1 de febrero y se prorrogaron al siguiente día hábil (CFF art. 12, último párrafo).",
      },
    ],
    toolsTitle: "Herramientas",
    sessionTitle: (name: string, rfc: string) => `Sesión iniciada: ${name} (${rfc})`,
    sessionLink: "Ir a mi buzón",
    calculatorLink: "Calculadora de plazos",
    calculatorLinkText:
      "Calcula cuándo queda hecha una notificación, cuándo surte efectos y hasta cuándo puedes impugnarla.",
    daysLink: "Días inhábiles",
    daysLinkText: "Consulta los días que no cuentan en los plazos del año.",
    verificationLink: "Verificación de documentos",
    verificationLinkText:
      "Comprueba que un acuse o un documento del Buzón IMSS es auténtico y no fue alterado.",
  },
  calculator: {
    title: "Calculadora de plazos",
    lead: "Calcula las fechas que fijan los Lineamientos del Buzón IMSS y el Código Fiscal de la Federación. Elige el tipo de cálculo.",
    tabsLabel: "Tipo de cálculo",
    optional: "(opcional)",
    submit: "Calcular",
    submitting: "Calculando…",
    resultTitle: "Resultado",
    explanationTitle: "¿Cómo se calculó?",
    basis: "Fundamento:",
    calendarVersion: (authority: string, version: string) =>
      `Calendario ${authority}, versión ${version}`,
    rulesVersion: (version: string) => `Reglas: ${version}`,
    nulidadCalendar: (authority: string, version: string) =>
      `Juicio de nulidad: calendario ${authority}, versión ${version}`,
    calendarsLabel: "Calendarios y reglas usados",
    warnings: {
      title: "Ten en cuenta",
      otherReading: "Fechas según la otra lectura",
    },
    tabs: {
      notificacion: "Notificación",
      promocion: "Promoción",
      emision: "Emisión",
      validacion: "Validación de medios de contacto",
    },
    notificacion: {
      description:
        "A partir del envío del aviso, calcula el último día para abrir el documento, la fecha de notificación, cuándo surte efectos y los plazos para impugnar.",
      avisoLegend: "Envío del aviso",
      avisoDate: "Fecha del aviso",
      avisoTime: "Hora del aviso",
      openedLegend: "Apertura del documento (opcional)",
      openedHint: "Llena estos campos solo si el documento ya se abrió.",
      openedDate: "Fecha de apertura",
      openedTime: "Hora de apertura",
      optionsLegend: "Otros datos del acto (opcional)",
      sinMediosLegend: "Medios de defensa",
      sinMediosLabel: "El acto no señala los medios de defensa",
      sinMediosHint:
        "Si el acto no dice qué medios de defensa proceden, los plazos para impugnarlo se duplican: 30 días hábiles para el recurso de inconformidad y 60 para el juicio de nulidad. Ley Federal de los Derechos del Contribuyente, art. 23.",
      conocimiento: "Fecha en que manifiesta haber conocido el acto",
      conocimientoHint:
        "Solo si declaras haber conocido el acto antes de que surtiera efectos su notificación: los plazos corren desde esa fecha, CFF art. 135, segundo párrafo. Escríbela como dd/mm/aaaa.",
      calendarioTfja: "Calendario del TFJA para el juicio de nulidad",
      calendarioTfjaHint:
        "El juicio de nulidad se cuenta con los días hábiles del Tribunal Federal de Justicia Administrativa.",
      calendarioTfjaCurrent: (version: string) => `El vigente, versión ${version}`,
      calendarioTfjaVersion: (version: string) => `Versión ${version}`,
      terms: (recurso: number, nulidad: number, doubled: boolean) =>
        `${recurso} días hábiles para el recurso de inconformidad y ${nulidad} para el juicio de nulidad${doubled ? ", duplicados porque el acto no señala los medios de defensa" : ""}`,
      labels: {
        avisoAt: "Aviso enviado",
        openedAt: "Documento abierto",
        openBy: "Último día para abrir",
        deemedNotifiedAt: "Notificación si no se abre",
        notifiedAt: "Fecha de notificación",
        notifiedBy: "Forma de notificación",
        effectiveOn: "Surte efectos",
        effectiveOnByConocimiento: "Surte efectos (por conocimiento manifestado)",
        recursoInconformidadBy: "Último día para el recurso de inconformidad",
        juicioNulidadBy: "Último día para el juicio de nulidad",
        availableUntil: "Consultable hasta",
        conocimiento: "Conocimiento manifestado",
        terms: "Plazos para impugnar",
      },
      notifiedBy: {
        apertura: "Por apertura del documento",
        ministerio_de_ley: "Por ministerio de ley (cuarto día hábil)",
      },
    },
    promocion: {
      description:
        "Calcula el momento en que se tiene por recibida una promoción según la fecha y hora de envío.",
      legend: "Envío de la promoción",
      date: "Fecha de envío",
      time: "Hora de envío",
      labels: {
        sentAt: "Enviada",
        receivedAt: "Se tiene por recibida",
      },
    },
    emision: {
      description:
        "Calcula el momento en que cuenta una notificación según la fecha y hora en que se emitió el acto, conforme al horario de notificación (09:30 a 18:00 en días hábiles).",
      legend: "Emisión del acto",
      date: "Fecha del acto",
      time: "Hora del acto",
      labels: {
        at: "Emitido",
        notifiedAt: "Se tiene por notificado",
      },
    },
    validacion: {
      description:
        "Calcula hasta cuándo deben confirmarse los correos electrónicos y el teléfono móvil registrados (72 horas).",
      legend: "Registro de los medios de contacto",
      date: "Fecha de registro",
      time: "Hora de registro",
      labels: {
        registeredAt: "Registrados",
        expiresAt: "Confirmar a más tardar",
      },
    },
  },
  nonBusinessDays: {
    title: (year: number) => `Días inhábiles ${year}`,
    lead: "Días que no se cuentan en los plazos del Buzón IMSS: los que señala el artículo 12 del Código Fiscal de la Federación y los que declara la autoridad.",
    weekendNote: "Los sábados y domingos siempre son inhábiles, aunque no aparezcan en la tabla.",
    caption: (year: number, authority: string) =>
      `Días inhábiles de ${year} en el calendario ${authority}, además de sábados y domingos`,
    columns: {
      date: "Fecha",
      weekday: "Día",
      reason: "Motivo",
      source: "Fundamento",
      kind: "Tipo",
    },
    kinds: {
      cff: "CFF art. 12",
      declarado: "Declarado por la autoridad",
    },
    declaredBy: (authority: string) => `Declarado por el ${authority}`,
    dayKinds: {
      inhabil: "Inhábil",
      vacaciones_generales: "Vacaciones generales",
      oficinas_cerradas: "Oficinas cerradas",
    },
    dayKindsTitle: "Qué significa cada tipo",
    dayKindEffects: {
      inhabil: "No se cuenta en ningún plazo.",
      vacaciones_generales:
        "No se cuenta, salvo en los plazos para presentar declaraciones y pagar contribuciones. CFF art. 12, segundo párrafo.",
      oficinas_cerradas:
        "Se cuenta, pero un plazo que vence ese día se prorroga al siguiente día hábil. CFF art. 12, último párrafo.",
    },
    authorityNav: "Calendario de la autoridad",
    authorities: {
      IMSS: "IMSS",
      TFJA: "TFJA",
    },
    authorityLeads: {
      IMSS: "El calendario del IMSS cuenta las notificaciones, las promociones y el recurso de inconformidad.",
      TFJA: "El calendario del Tribunal Federal de Justicia Administrativa cuenta el juicio de nulidad.",
    },
    undeclared: (authority: string, version: string, year: number) =>
      `La versión ${version} del calendario ${authority} no contiene los días que esa autoridad declaró para ${year}: solo se muestran los del CFF art. 12.`,
    calendar: (authority: string, version: string) => `Calendario ${authority}, versión ${version}`,
    empty: "No hay días inhábiles registrados para este año.",
    yearNav: "Otros años",
    previous: (year: number) => `Año anterior: ${year}`,
    next: (year: number) => `Año siguiente: ${year}`,
    invalidYear: "El año indicado no es válido.",
    goToCurrent: (year: number) => `Ver los días inhábiles de ${year}`,
    tableScrollLabel: "Tabla de días inhábiles",
  },
  signIn: {
    kicker: "Acceso a los Servicios Electrónicos del IMSS",
    title: "Validación FIEL",
    lead: "Ingresa al Buzón IMSS con tu e.firma (FIEL) vigente, emitida por el SAT.",
    required: "*Campos obligatorios",
    privacyNote:
      "Tu llave privada y tu contraseña no salen de tu equipo: la firma se hace en tu navegador.",
    rfc: "RFC*",
    rfcHint: "12 caracteres si eres persona moral; 13 si eres persona física.",
    certificate: "Certificado (.cer)*",
    certificateHint: "El archivo .cer de tu e.firma.",
    privateKey: "Llave privada (.key)*",
    privateKeyHint: "El archivo .key de tu e.firma.",
    password: "Contraseña de la llave privada*",
    keepSignedIn: "Mantener la sesión en este equipo",
    keepSignedInHint:
      "Sin marcarla, la sesión termina al cerrar el navegador. No la marques en un equipo compartido.",
    submit: "Ingresar",
    submitting: "Validando…",
    certificateOf: (name: string, rfc: string) => `Certificado de ${name} (RFC ${rfc}).`,
    notices: {
      signedOut: "Sesión cerrada.",
      sessionEnded: "Tu sesión terminó o no has ingresado. Ingresa con tu e.firma.",
    },
    errors: {
      rfcMissing: "Escribe tu RFC.",
      rfcInvalid:
        "El RFC no es válido: escribe 12 caracteres si eres persona moral o 13 si eres persona física, en mayúsculas y sin espacios ni guiones.",
      certificateMissing: "Elige el archivo de tu certificado (.cer).",
      privateKeyMissing: "Elige el archivo de tu llave privada (.key).",
      passwordMissing: "Escribe la contraseña de tu llave privada.",
      fileTooLarge: (what: string) =>
        `El archivo de ${what} es demasiado grande (máximo 64 KiB). Verifica que elegiste el archivo correcto.`,
      fileUnreadable: (what: string) =>
        `No fue posible leer el archivo de ${what}. Elígelo de nuevo e inténtalo otra vez.`,
      rfcMismatch: (certificateRfc: string, typedRfc: string) =>
        `El RFC del certificado (${certificateRfc}) no coincide con el RFC capturado (${typedRfc}).`,
      moduleFailed:
        "No fue posible cargar el componente de firma. Verifica tu conexión y vuelve a cargar la página.",
    },
    files: {
      certificate: "certificado",
      privateKey: "llave privada",
    },
  },
  efirma: {
    errors: {
      wrong_password: "La contraseña de la llave privada es incorrecta.",
      not_a_key:
        "El archivo de llave privada no es válido (se espera el archivo .key de la e.firma).",
      unsupported_key:
        "La llave privada usa un tipo de llave o de cifrado que no se puede usar aquí. Usa el archivo .key de tu e.firma emitido por el SAT.",
      not_a_certificate:
        "El archivo de certificado no es válido (se espera el archivo .cer de la e.firma).",
      key_mismatch:
        "La llave privada no corresponde al certificado. Verifica que ambos archivos sean de la misma e.firma.",
    },
  },
  mailbox: {
    title: (name: string) => `Buzón IMSS de ${name}`,
    signedInAs: "Sesión iniciada:",
    signedInLabel: "Tu sesión",
    home: "Mi buzón",
    sessions: "Mis sesiones",
    notificaciones: "Mis notificaciones",
    staffNotificaciones: "Notificaciones del Instituto",
    ownAcuses: "Mis acuses",
    ownAcusesLink: "Ver mis acuses",
    ownAcusesNote:
      "Todos los acuses de tu buzón (medios de contacto, Términos y Condiciones, aclaraciones, notificaciones) están en «Mis acuses», para descargarlos y verificarlos.",
    signOut: "Cerrar sesión",
    signingOut: "Cerrando sesión…",
    facts: {
      rfc: "RFC",
      persona: "Tipo de persona",
      staffRole: "Personal del IMSS",
      representative: "Representante legal",
    },
    /** The representative as a fact's value: the name when the server knows it. */
    representativeValue: (name: string | null | undefined, rfc: string) =>
      name ? `${name} (${rfc})` : `RFC ${rfc}`,
    staffRoles: {
      notificador: "Notificador",
      operador: "Operador",
      administrador: "Administrador",
      auditor: "Auditor",
    } as Record<string, string>,
    personas: {
      fisica: "Persona física",
      moral: "Persona moral",
    },
    statusTitle: "Estado del buzón",
    status: (status: string) => `Estado del buzón: ${status}`,
    statuses: {
      desconocido: "no se pudo consultar; vuelve a cargar la página",
      sin_medios: "No habilitado: sin medios de contacto",
      medios_pendientes: "No habilitado: medios de contacto por validar",
      medios_validados: "No habilitado: falta firmar los Términos y Condiciones",
      habilitado: "Habilitado",
    } as Record<string, string>,
    contactMeans: "Mis medios de contacto",
    activation: "Activación del Buzón IMSS",
    provenance2020: "Habilitado conforme a los Lineamientos de 2020.",
    // One story: enabled in 2020, so 5.4 holds the 2024 activation as done; whether the
    // Institute can send avisos is a separate matter (validated means), said apart.
    provenance2020Note:
      "Tu buzón se habilitó con los Lineamientos de 2020. Por eso los Lineamientos de 2024 (numeral 5.4) tienen por cumplidos el registro de medios de contacto y la firma de los Términos y Condiciones que piden para habilitarlo: no tienes que activarlo de nuevo. Los acuses de tus medios de contacto, aclaraciones y firmas de los Términos y Condiciones hacen constar esta habilitación.",
    provenance2020Keep:
      "Mantén actualizados tus medios de contacto: a ellos llegan los avisos de tus notificaciones.",
    /** A 2020 mailbox lacking a validated e-mail, phone or both of the RFC: what to register. */
    provenance2020Missing: (correo: boolean, celular: boolean) =>
      `Tu buzón sigue habilitado, pero para avisarte de tus notificaciones el IMSS necesita ${
        correo && celular
          ? "un correo electrónico y un teléfono celular validados"
          : correo
            ? "un correo electrónico validado"
            : "un teléfono celular validado"
      } de tu RFC, y hoy no ${correo && celular ? "tiene ninguno" : "lo tiene"}. ${
        correo && celular ? "Regístralos y valídalos." : "Regístralo y valídalo."
      }`,
    provenance2020Action: "Registrar medios de contacto",
    enabledNote: (version: string) =>
      `Firmaste la versión ${version} de los Términos y Condiciones. El IMSS te notificará por este buzón y te avisará a tus medios de contacto validados.`,
    stepsTitle: "Pasos para habilitar tu buzón",
    stepState: {
      done: "Hecho",
      current: "Paso siguiente",
      pending: "Pendiente",
    },
    steps: {
      register: "Registra al menos un correo electrónico y un número de teléfono celular.",
      validate:
        "Valida cada medio con el código que te enviamos, dentro de las 72 horas siguientes a su registro.",
      sign: "Firma con tu e.firma los Términos y Condiciones para el uso del Buzón IMSS.",
    },
    nextTitle: "Lo que sigue",
    next: {
      register:
        "Registra tus medios de contacto: al menos un correo electrónico y un número celular para tu RFC.",
      validate:
        "Valida tus medios de contacto con el código de 6 dígitos que te enviamos por correo electrónico y por SMS.",
      sign: "Tus medios de contacto están validados. Para habilitar tu buzón, firma con tu e.firma los Términos y Condiciones.",
      resign: (version: string) =>
        `Hay una nueva versión (${version}) de los Términos y Condiciones. Fírmala con tu e.firma para seguir usando tu buzón.`,
    },
    nextAction: {
      register: "Registrar medios de contacto",
      validate: "Validar mis medios de contacto",
      sign: "Firmar los Términos y Condiciones",
      resign: "Firmar la nueva versión",
    },
    pendingMeans: (count: number) =>
      count === 1
        ? "Tienes 1 medio de contacto por validar:"
        : `Tienes ${count} medios de contacto por validar:`,
    validateLink: (value: string) => `Validar ${value}`,
    deadlineTitle: "Plazo para habilitar el buzón",
    // A fixed sentence, not a template: the deadline is a fact of 2024–2025, not data.
    deadline:
      "Los Lineamientos (transitorio primero) dieron 180 días naturales desde su entrada en vigor, el 6 de agosto de 2024, para habilitar el Buzón IMSS: terminaban el sábado 1 de febrero de 2025. Como ese día fue sábado, el 2 domingo y el 3 inhábil, el plazo corrió hasta el martes 4 de febrero de 2025 (Código Fiscal de la Federación, art. 12, último párrafo).",
    estradosNote:
      "Mientras tu buzón no esté habilitado, el IMSS puede notificarte por estrados (Lineamientos 7.8; Ley del Seguro Social, art. 286-M; Código Fiscal de la Federación, art. 134, fracción III).",
    loadFailed: "No fue posible consultar el estado de tu buzón.",
  },
  contactMeans: {
    aclaraciones: {
      title: "Tus aclaraciones",
      about: (email: string) => `Aclaración sobre ${email}`,
      folio: (folio: string) => `Folio del acuse: ${folio}`,
      filedOn: "Registrada el",
      statuses: { abierta: "En revisión", atendida: "Atendida" },
      pending: "El personal del IMSS la atenderá; su respuesta aparecerá aquí.",
      attendedOn: "Atendida el",
      answer: "Respuesta del IMSS:",
    },
    title: "Mis medios de contacto",
    lead: "Registra y valida como medios de contacto al menos 1 correo electrónico y 1 número celular para tu RFC. Para tus Registros Patronales es opcional.",
    leadActivation:
      "Al concluir, habilita tu Buzón IMSS firmando los Términos y Condiciones en «Activación del Buzón IMSS».",
    countersLabel: "Medios de contacto validados de tu RFC",
    validatedEmails: "Correos electrónicos validados",
    validatedPhones: "Teléfonos celulares validados",
    ofMax: (max: number) => `de ${max}`,
    newTitle: "Nuevo medio de contacto",
    scopeLegend: "Medio de contacto de",
    scopes: {
      rfc: "RFC",
      registros: "Registros Patronales",
    },
    scopeHint: (rfc: string) =>
      `Los del RFC ${rfc} son obligatorios; los de tus Registros Patronales, opcionales.`,
    kindLegend: "Mecanismo de comunicación",
    kinds: {
      correo: "Correo electrónico",
      celular: "Teléfono celular",
    },
    value: "Medio de contacto",
    valueLabel: {
      correo: "Dirección de correo electrónico",
      celular: "Número de teléfono celular",
    },
    valueHint: {
      any: "Elige primero el mecanismo de comunicación.",
      correo:
        "Por ejemplo nombre@empresa.com.mx. Te enviaremos un enlace y un código para validarlo.",
      celular:
        "10 dígitos, sin la clave del país (por ejemplo 55 1234 5678). Te enviaremos un SMS con un código para validarlo.",
    },
    registrosLegend: "Registros Patronales",
    allRegistros: "Seleccionar todos los Registros Patronales",
    noRegistros:
      "El padrón del IMSS no tiene Registros Patronales a nombre de tu RFC: solo puedes registrar medios de contacto para tu RFC.",
    save: "Guardar",
    saving: "Guardando…",
    confirmTitle: "Registrar medio de contacto",
    confirmText: "¿Deseas continuar con el trámite para el registro de tu medio de contacto?",
    confirmWhat: (kind: string, value: string, scope: string) =>
      `${kind}: ${value}, para ${scope}.`,
    confirmScopeRfc: (rfc: string) => `tu RFC ${rfc}`,
    confirmScopeRegistros: (count: number) =>
      count === 1 ? "1 Registro Patronal" : `${count} Registros Patronales`,
    cancel: "Cancelar",
    accept: "Aceptar",
    registered: (folio: string, date: string) =>
      `Se registró la información correctamente con el número de folio: ${folio}, fecha: ${date}.`,
    registeredNext: {
      correo: "Para continuar, ingresa a tu cuenta de correo electrónico para validarlo.",
      celular:
        "Para continuar, revisa el mensaje de texto (SMS) que enviamos a tu celular para validarlo.",
    },
    warning72:
      "Tienes 72 horas como máximo para realizar dicha validación; en caso contrario se cancelará y tendrás que realizar el registro nuevamente.",
    aclaracionNote:
      "Nota: si no recibes el correo electrónico, registra una aclaración en un lapso de 24 horas a partir de este momento para poder ayudarte.",
    acuseLink: (folio: string) => `Descargar o verificar el acuse ${folio}`,
    validateNow: "Validar ahora",
    listTitle: "Medios de contacto registrados",
    rfcGroup: (rfc: string) => `De tu RFC (${rfc})`,
    registroGroup: (registro: string) => `Del Registro Patronal ${registro}`,
    none: "Aún no registras medios de contacto.",
    statuses: {
      pendiente: "Por validar",
      validado: "Validado",
      cancelado: "Cancelado",
    },
    validateBefore: "Valídalo a más tardar el",
    cancelledNote: "No se validó a tiempo: regístralo de nuevo.",
    registeredOn: "Registrado el",
    fromPadron2020:
      "Del padrón del IMSS: tu buzón se habilitó conforme a los Lineamientos de 2020 con este correo, que se tiene por validado.",
    validate: "Validar",
    validateContext: (value: string) => ` ${value}`,
    acuseContext: (value: string) => `, acuse del registro de ${value}`,
    remove: "Eliminar",
    removeContext: (value: string) => ` ${value}`,
    removing: "Eliminando…",
    removeTitle: "Eliminar medio de contacto",
    removeText: (value: string) =>
      `¿Deseas eliminar ${value} de tus medios de contacto? Dejarás de recibir avisos en él.`,
    removed: (value: string) => `Se eliminó ${value} de tus medios de contacto.`,
    errors: {
      scopeMissing: "Elige si el medio de contacto es de tu RFC o de tus Registros Patronales.",
      kindMissing: "Elige el mecanismo de comunicación: correo electrónico o teléfono celular.",
      valueMissingAny: "Escribe el medio de contacto.",
      valueMissing: {
        correo: "Escribe el correo electrónico.",
        celular: "Escribe el número de teléfono celular.",
      },
      emailInvalid:
        "El correo electrónico no es válido: escríbelo completo, como nombre@empresa.com.mx, sin espacios.",
      phoneInvalid:
        "El número celular debe tener 10 dígitos, sin la clave del país; por ejemplo 55 1234 5678.",
      duplicate: {
        correo: "Ese correo electrónico ya está registrado para tu RFC.",
        celular: "Ese número celular ya está registrado para tu RFC.",
      },
      tooManyEmails: (max: number) =>
        `Ya tienes ${max} correos electrónicos registrados para tu RFC, el máximo. Elimina uno para registrar otro.`,
      tooManyPhones:
        "Ya tienes un teléfono celular registrado para tu RFC. Elimínalo para registrar otro.",
      registrosMissing:
        "Elige al menos un Registro Patronal, o «Seleccionar todos los Registros Patronales».",
    },
  },
  validateMeans: {
    title: "Validar medio de contacto",
    lead: {
      correo:
        "Escribe el código de 6 dígitos que enviamos a tu correo electrónico (también puedes abrir el enlace del correo).",
      celular:
        // Past tense: this page is reached once the code was sent (at registration or «Reenviar»).
        "Escribe el código de 6 dígitos que enviamos por mensaje de texto (SMS) a tu teléfono celular.",
    },
    meansTitle: (kind: string, value: string) => `${kind}: ${value}`,
    expiresAt: "Valídalo a más tardar el",
    code: "Código de verificación",
    codeHint: "6 dígitos.",
    submit: "Validar",
    submitting: "Validando…",
    resend: "Reenviar código de verificación",
    resending: "Enviando…",
    resent: "Te enviamos un código nuevo. El anterior ya no sirve.",
    cooldown: (seconds: number) =>
      `Podrás pedir otro código en ${seconds} ${seconds === 1 ? "segundo" : "segundos"}.`,
    validated: (value: string) => `Listo: ${value} quedó validado.`,
    validatedAcuse:
      "Tu acuse de validación hace constar lo que se validó. Lo encuentras también en «Mis acuses».",
    alreadyValidated: (value: string) => `${value} ya está validado.`,
    cancelled: (value: string) =>
      `${value} no se validó dentro de las 72 horas y se canceló. Regístralo de nuevo para recibir otro código.`,
    notFound:
      "No encontramos ese medio de contacto en tu buzón. Revisa el enlace o regístralo de nuevo.",
    expired:
      "El código venció. Pide otro con «Reenviar código de verificación», o registra de nuevo el medio si ya pasaron 72 horas.",
    locked:
      "Por seguridad, bloqueamos la validación de este medio tras varios intentos fallidos o solicitudes seguidas.",
    backToMeans: "Volver a mis medios de contacto",
    nextStep: "Ir a mi buzón",
    attemptsLeft: (n: number) =>
      n === 1 ? "Te queda 1 intento con este código." : `Te quedan ${n} intentos con este código.`,
    lockedNow:
      "Se agotaron los intentos con este código. Pide otro con «Reenviar código de verificación».",
    aclaracionTitle: "¿No te llegó el correo?",
    aclaracionLead: (until: string) =>
      `Registra una aclaración a más tardar el ${until} para que el IMSS te ayude. Recibirás un acuse.`,
    aclaracionField: "Lo que quieras explicar (opcional)",
    aclaracionHint: (max: number) => `Hasta ${max} caracteres.`,
    aclaracionSubmit: "Registrar aclaración",
    aclaracionSending: "Registrando…",
    aclaracionFiled: (folio: string) =>
      `Registramos tu aclaración con el folio ${folio}. El personal del IMSS la atenderá.`,
    aclaracionAttended: (folio: string, answer: string) =>
      `El IMSS atendió tu aclaración con el folio ${folio}. Su respuesta: ${answer}`,
    errors: {
      aclaracionTooLong: (max: number) => `La aclaración admite hasta ${max} caracteres.`,
      codeMissing: "Escribe el código de 6 dígitos que recibiste.",
      codeShape: "El código tiene 6 dígitos, solo números.",
    },
  },
  activation: {
    title: "Activación del Buzón IMSS",
    lead: "Para habilitar tu buzón, firma con tu e.firma los Términos y Condiciones para el uso del Buzón IMSS (Lineamientos 5.3). Al firmar recibirás tu acuse.",
    termsTitle: "Términos y Condiciones para el uso del Buzón IMSS",
    termsRegion: "Texto de los Términos y Condiciones",
    version: "Versión",
    sha256: "Huella SHA-256 del texto",
    toSignTitle: "Ver el texto exacto que firmarás",
    toSignNote:
      "Tu e.firma firma este texto: nombra tu RFC, la versión, la huella SHA-256 de los Términos y el momento.",
    signTitle: "Firma con tu e.firma",
    accept: "He leído y acepto los Términos y Condiciones para el uso del Buzón IMSS.",
    signAs: (name: string, rfc: string) =>
      `Firma con la e.firma de ${name} (RFC ${rfc}), la misma con la que ingresaste.`,
    submit: "Firmar y habilitar mi buzón",
    submitting: "Firmando…",
    privacyNote:
      "Tu llave privada y tu contraseña no salen de tu equipo: la firma se hace en tu navegador.",
    signed: (folio: string) => `Tu Buzón IMSS quedó habilitado. Folio del acuse: ${folio}.`,
    signedVersion: (version: string) =>
      `Firmaste la versión ${version} de los Términos y Condiciones.`,
    alreadySigned: (version: string) =>
      `Ya firmaste la versión vigente (${version}) de los Términos y Condiciones: tu buzón está habilitado.`,
    needsMeans:
      "Antes de firmar, registra y valida al menos un correo electrónico y un número celular para tu RFC.",
    goToMeans: "Ir a mis medios de contacto",
    goHome: "Ir a mi buzón",
    errors: {
      notAccepted: "Marca la casilla para aceptar los Términos y Condiciones.",
      notSessionEfirma: (certificateRfc: string, sessionRfc: string) =>
        `La e.firma elegida es de ${certificateRfc}, no de ${sessionRfc}, con cuya e.firma ingresaste. Firma con la misma e.firma.`,
      changed: (version: string) =>
        `Los Términos y Condiciones cambiaron mientras los leías (versión vigente: ${version}). Lee la nueva versión y vuelve a firmar.`,
    },
  },
  acuse: {
    title: "Acuse",
    folio: "Folio",
    code: "Código de verificación",
    verify: "Descargar o verificar el acuse",
    pdf: "Descargar el PDF",
    verifyContext: (folio: string) => ` ${folio}`,
    ofRegistration: "Acuse del registro:",
  },
  devTools: {
    demoOnly: "Solo en la demostración",
    tokenTitle: "Token de administración",
    tokenLead:
      "Con tu sesión ves los mensajes enviados a tus propios medios de contacto. Para ver los de cualquier destinatario o mover el reloj, pega el token de administración que imprimió «npm start» (o abre el enlace que imprimió), o ingresa con la e.firma de la administradora de la demostración.",
    token: "Token de administración",
    tokenHint: "Se guarda solo en esta pestaña y se olvida al cerrarla.",
    useToken: "Usar token",
    forgetToken: "Olvidar token",
    usingToken: "Usando el token de administración guardado en esta pestaña.",
    tokenRefused:
      "El token de administración guardado en esta pestaña venció o ya no es válido, así que se olvidó. Se usa tu sesión: si no eres la administradora, pega el token vigente que imprimió «npm start» o ingresa con su e.firma.",
    errors: {
      tokenMissing: "Pega el token de administración.",
    },
  },
  devInbox: {
    title: "Bandeja de desarrollo",
    lead: "Los correos y SMS que recibieron el servidor SMTP y la pasarela SMS de prueba de esta demostración. Abre el enlace de un correo o copia su código para validar tu medio de contacto.",
    recipient: "Destinatario",
    recipientHint:
      "El correo electrónico o el celular (+52 y 10 dígitos, por ejemplo +525512345678) que registraste.",
    search: "Buscar",
    recipientMissing:
      "Escribe el correo electrónico o el celular (+52 y 10 dígitos) cuyos mensajes quieres ver.",
    refresh: "Actualizar",
    count: (n: number) => (n === 1 ? "1 mensaje" : `${n} mensajes`),
    none: "No hay mensajes para ese destinatario todavía.",
    channels: {
      correo: "Correo",
      sms: "SMS",
    },
    to: "Para",
    sentAt: "Enviado",
    noSubject: "(sin asunto)",
  },
  demoClock: {
    title: "Reloj de demostración",
    lead: "Adelanta el reloj de la demostración para ver qué pasa con el tiempo: los trabajos programados hasta el nuevo momento corren antes de que termine. El reloj nunca regresa.",
    now: "Hora de la demostración",
    realNow: "Hora real",
    ahead: (text: string) => `Adelantado ${text} respecto de la hora real.`,
    notMoved: "El reloj marca la hora real.",
    quickTitle: "Adelantar",
    quick: (hours: number) => `Adelantar ${hours} horas`,
    form: {
      legend: "Mover a una fecha y hora",
      date: "Fecha",
      time: "Hora",
      submit: "Mover el reloj",
    },
    moving: "Moviendo el reloj…",
    moved: (date: string) => `El reloj de la demostración marca ahora ${date}.`,
    banner: (date: string) => `Reloj de demostración adelantado: el sistema cree que es ${date}.`,
    bannerLink: "Ver el reloj",
    units: {
      day: "día",
      days: "días",
      hour: "hora",
      hours: "horas",
      minute: "minuto",
      minutes: "minutos",
      and: "y",
    },
    errors: {
      notForward: "El reloj solo avanza: elige una fecha y hora posteriores a la que marca.",
    },
  },
  ownAcuses: {
    title: "Mis acuses",
    lead: "Los acuses de tu Buzón IMSS, del más reciente al más antiguo. Descarga el PDF o verifícalo con su folio y código en la página pública de verificación.",
    caption: "Acuses de tu buzón",
    tableScrollLabel: "Tabla de tus acuses",
    columns: {
      kind: "Acuse",
      eventAt: "Fecha del acto",
      folio: "Folio",
      code: "Código de verificación",
      actions: "Acciones",
    },
    pdf: "Descargar PDF",
    verify: "Verificar",
    context: (folio: string) => ` del acuse ${folio}`,
    empty:
      "Aún no tienes acuses. Cada registro o validación de un medio de contacto y cada firma de los Términos y Condiciones te da uno.",
    noMore: "No hay más acuses.",
    pagerLabel: "Páginas de acuses",
    nextPage: "Acuses anteriores",
    firstPage: "Volver a los más recientes",
  },
  sessions: {
    title: "Mis sesiones",
    lead: "Las sesiones abiertas con tu e.firma en este y otros equipos. Cierra las que no reconozcas.",
    caption: "Sesiones abiertas",
    tableScrollLabel: "Tabla de sesiones abiertas",
    columns: {
      createdAt: "Inicio",
      lastSeenAt: "Última actividad",
      device: "Navegador",
      ip: "Dirección IP",
      actions: "Acciones",
    },
    current: "Esta sesión",
    close: "Cerrar sesión",
    closeContext: (createdAt: string) => ` iniciada el ${createdAt}`,
    closing: "Cerrando…",
    closed: "La sesión se cerró.",
    empty: "No hay sesiones abiertas.",
    unknown: "Desconocido",
    device: (browser: string, system: string) => `${browser} en ${system}`,
    unknownBrowser: "Navegador desconocido",
    unknownSystem: "sistema desconocido",
  },
  verification: {
    title: "Verificación de documentos",
    lead: "Comprueba que un acuse o un documento del Buzón IMSS es auténtico y que no fue alterado. No necesitas ingresar. Elige cómo quieres verificarlo.",
    tabsLabel: "Forma de verificación",
    submit: "Verificar",
    submitting: "Verificando…",
    hashing: "Calculando en tu equipo la huella digital de tu documento y verificándola…",
    tabs: {
      folio: "Por folio",
      pdf: "Acuse en PDF",
      documento: "Documento original",
      firma: "Firma de servidor público",
    },
    folio: {
      description:
        "Escribe el folio y el código de verificación que aparecen en tu acuse, junto al código QR. Al escanear el código QR se llenan solos.",
      folio: "Folio",
      folioHint: "Como aparece en tu acuse: BI-20250203-100717151",
      code: "Código de verificación",
      codeHint:
        "8 caracteres, junto al código QR de tu acuse. Respeta mayúsculas y minúsculas; puede incluir + y /.",
    },
    pdf: {
      description:
        "Sube el acuse en PDF que descargaste del Buzón IMSS (o sus datos, acuse.json). Comprobamos la firma electrónica del Instituto sobre todo el archivo y sus datos sellados: si se cambió algo, aunque sea una letra, te lo decimos.",
      file: "Archivo del acuse (PDF o JSON)",
      fileHint: "Archivo .pdf de hasta 10 MiB, o los datos del acuse (.json) de hasta 1 MiB.",
    },
    documento: {
      description:
        "Sube el documento que presentaste o que te notificaron (por ejemplo, un escrito o una resolución) para saber qué acuses lo respaldan.",
      file: "Documento",
      fileHint: "Cualquier tipo de archivo.",
      privacyNote:
        "Tu documento no sale de tu equipo: calculamos su huella digital (SHA-256) aquí y solo enviamos la huella.",
    },
    firma: {
      description:
        "Comprueba un documento firmado con la e.firma de un servidor público del IMSS: sube el documento y su archivo de firma.",
      document: "Documento firmado",
      documentHint: "El documento tal como lo recibiste.",
      signature: "Archivo de firma",
      signatureHint: "Archivo .p7s, .cms o .pem de hasta 1 MiB.",
      privacyNote:
        "El documento no sale de tu equipo: calculamos su huella digital (SHA-256) aquí y solo enviamos la huella y la firma.",
    },
    errors: {
      folioMissing: "Escribe el folio del acuse.",
      folioInvalid:
        "El folio no es válido: escríbelo como aparece en tu acuse, por ejemplo BI-20250203-100717151.",
      codeMissing: "Escribe el código de verificación.",
      codeInvalid:
        "El código de verificación tiene 8 caracteres (letras, números, + o /), como aparece junto al código QR de tu acuse.",
      pdfMissing: "Elige el acuse en PDF.",
      pdfTooLarge: (size: string) =>
        `El archivo pesa ${size} y el máximo es 10 MiB. Verifica que elegiste el acuse en PDF del Buzón IMSS.`,
      notPdf:
        "El archivo no es un PDF ni los datos de un acuse (.json). Elige el acuse que descargaste del Buzón IMSS.",
      notJson:
        "El archivo parece de datos (.json) pero no se puede leer. Elige el acuse.json tal como lo descargaste.",
      jsonTooLarge:
        "El archivo de datos pesa más de 1 MiB: no es los datos de un acuse. Elige el acuse.json que descargaste.",
      documentMissing: "Elige el documento que quieres verificar.",
      signedDocumentMissing: "Elige el documento firmado.",
      signatureMissing: "Elige el archivo de firma (.p7s, .cms o .pem).",
      signatureTooLarge: (size: string) =>
        `El archivo de firma pesa ${size} y el máximo es 1 MiB. Verifica que elegiste el archivo .p7s, .cms o .pem.`,
      notSignature:
        "El archivo de firma no es una firma electrónica en formato CMS (.p7s, .cms o .pem).",
      emptyFile: "El archivo está vacío. Elige otro archivo.",
      fileUnreadable: "No fue posible leer el archivo. Elígelo de nuevo e inténtalo otra vez.",
    },
    verdicts: {
      autentico: "Auténtico e íntegro",
      no_confirmado: "Coherente, pero sin confirmar con el Instituto",
      alterado: "No es auténtico o fue alterado",
      no_encontrado: "No encontramos el acuse",
    },
    notIssued: "El documento presentado no es el que emitió el Instituto",
    signatureUnconfirmed: "Firma válida, pero sin confirmar que el certificado esté vigente",
    demonstration: "DEMOSTRACIÓN — sin validez oficial",
    demonstrationNote:
      "Este acuse lo selló el sello de desarrollo de un sistema de prueba: no tiene validez oficial.",
    documentNotFound: "No encontramos acuses de este documento",
    acuseTitle: "Datos del acuse",
    olderCopy: {
      title: "Puede ser una copia anterior de tu acuse",
      text: "Este PDF no lleva la firma electrónica del Instituto, pero los datos sellados que trae adjuntos sí coinciden con su registro. Puede ser una copia de antes de que el Instituto firmara sus PDF. Descarga el PDF vigente, sellado por el Instituto: es el mismo que obtienes en la verificación por folio y código.",
      download: "Descargar el PDF vigente, sellado",
      byFolio: "Verificar por folio y código",
    },
    recordTitle: "Datos auténticos: lo que el Instituto tiene registrado",
    recordNote:
      "Estos son los datos que el Instituto conserva con este folio. Si el documento que te presentaron dice otra cosa, lo que vale es esto.",
    fileDataTitle: "Lo que dice el archivo presentado (no confíes en ello)",
    technicalTitle: "Detalles técnicos",
    sealingAcuseOf: (kind: string, when: string) => `${kind}, ${when}`,
    sealingPrivacy:
      "Por privacidad, no mostramos quién presentó o recibió el documento ni el folio: para ver el acuse completo usa su folio y su código de verificación.",
    sealingMore: (shown: number, total: number) =>
      `Lo hacen constar ${total} acuses; se muestran los primeros ${shown}.`,
    facts: {
      kind: "Tipo de acuse",
      folio: "Folio",
      rfc: "RFC del buzón",
      actor: "Quién actuó",
      eventAt: "Fecha y hora del evento",
      countsAt: "Se tiene por realizado",
      rule: "Por qué en ese momento",
      habilitacion: "Habilitación del buzón",
      ruleId: "Regla aplicada (identificador)",
      calendar: "Calendario",
      rulesVersion: "Versión de reglas",
      documentName: "Nombre del documento en el acuse",
    },
    actor: (rfc: string, capacity: string) => `${rfc}, en su carácter de ${capacity}`,
    rules: {
      momento_del_evento: "Cuenta desde el momento del evento",
      horario_notificacion: "Horario de notificación (Lineamientos 7.2)",
      plazo_apertura: "Plazo para abrir el documento (Lineamientos 7.4)",
      cuarto_dia: "Notificación al cuarto día hábil (Lineamientos 7.5 y 7.6)",
      apertura: "Notificación por apertura (Lineamientos 7.4 y 7.5)",
      surte_efectos: "Surte efectos al día hábil siguiente (CFF art. 135)",
      recepcion_promocion: "Recepción de promociones (Lineamientos 6.3)",
      validacion_medios: "Validación de medios de contacto (Lineamientos 5.2)",
      habilitacion: "Habilitación del Buzón IMSS",
      conservacion: "Conservación de documentos (Lineamientos 6.1 y 7.7)",
      estrados: "Notificación por estrados (CFF art. 139)",
    } as Record<string, string>,
    documentsTitle: "Documentos",
    statement: {
      title: "Texto sellado",
      titles: {
        registro_medios_contacto: "Lo que se registró",
        validacion_medios_contacto: "Lo que se validó",
        constancia_cuarto_dia: "Lo que hace constar",
        aviso_notificacion: "Lo que hace constar",
      } as Record<string, string>,
      note: (name: string) =>
        `Este texto es el documento «${name}» que el acuse hace constar: la comprobación «Texto de lo registrado» confirma que su huella SHA-256 es la sellada.`,
    },
    noDocuments: "Este acuse no incluye documentos.",
    documentSize: (size: string) => `Tamaño: ${size}`,
    sha256: "SHA-256:",
    sealTitle: "Sello digital del Instituto",
    seal: {
      certificateNumber: "Número de certificado",
      subject: "Titular del certificado",
      fingerprint: "Huella SHA-256 del certificado",
    },
    timestampTitle: "Sello de tiempo",
    timestamp: {
      genTime: "Fecha y hora del sello",
      tsa: "Autoridad de sellado de tiempo",
    },
    logTitle: "Registro público",
    logPosition: (position: string, size: string, singular: boolean) =>
      `Inscrito en el registro público de evidencias del Instituto: es el número ${position} de ${size} ${singular ? "inscrito" : "inscritos"}.`,
    logLeaf: (leaf: string, size: string) =>
      `Hoja ${leaf} (índice desde 0) de un árbol de Merkle de ${size} hojas.`,
    logRoot: "Raíz del árbol en el punto de control (base64):",
    checksTitle: "Comprobaciones",
    outcomes: {
      ok: "Correcto",
      failed: "Falló",
      warning: "Advertencia",
    },
    downloadsTitle: "Descargas",
    downloads: {
      pdf: "Descargar PDF",
      json: "Descargar datos (JSON)",
      tlogProof: "Descargar prueba de registro (.tlog-proof)",
    },
    documentHashTitle: "Huella digital del documento",
    acusesTitle: "Acuses que sellan este documento",
    signerTitle: "Firmante",
    signer: {
      name: "Nombre",
      rfc: "RFC",
      curp: "CURP",
      certificateNumber: "Número de certificado",
      issuer: "Emisor del certificado",
      validity: "Vigencia del certificado",
      staffRole: "Cargo en el IMSS",
      signedAt: "Fecha de firma declarada",
    },
    validity: (from: string, to: string) => `Del ${from} al ${to}`,
  },
  notificaciones: {
    title: "Mis notificaciones",
    lead: "Los actos que el IMSS te notifica por el Buzón IMSS. Consultar la lista o el detalle no notifica nada: la notificación se hace cuando abres el documento con tu e.firma o, si no lo abres, al cuarto día hábil (CFF art. 134, fracción I; Lineamientos 7.4 y 7.5).",
    tabsLabel: "Qué notificaciones ver",
    tabs: {
      pendientes: "Pendientes",
      notificadas: "Notificadas",
      todas: "Todas",
    },
    tabCount: (label: string, count: number) => `${label} (${count})`,
    filters: {
      title: "Filtrar",
      actType: "Tipo de acto",
      anyType: "Todos los tipos",
      from: "Aviso desde",
      to: "Aviso hasta",
      dateHint: "dd/mm/aaaa",
      apply: "Filtrar",
      clear: "Quitar filtros",
      toBeforeFrom: "La fecha «Aviso hasta» es anterior a «Aviso desde».",
    },
    shown: (count: number) => (count === 1 ? "1 notificación" : `${count} notificaciones`),
    empty: {
      pendientes: "No tienes notificaciones pendientes de abrir.",
      notificadas: "Aún no tienes notificaciones hechas.",
      todas: "Aún no tienes notificaciones en tu Buzón IMSS.",
      filtered: "Ninguna notificación coincide con los filtros.",
    },
    states: {
      depositada: "Por enviar el aviso",
      pendiente: "Pendiente de abrir",
      notificada: "Notificada",
      cancelada: "Cancelada",
      estrados: "En estrados",
    } as Record<string, string>,
    notifiedBy: {
      apertura: "al abrirla con tu e.firma",
      ministerio_de_ley: "por ministerio de ley, al cuarto día hábil",
      estrados: "por estrados",
    } as Record<string, string>,
    daysLeft: (days: number) =>
      days <= 0
        ? "El plazo para abrir terminó"
        : days === 1
          ? "Hoy es el último día hábil para abrir"
          : `Quedan ${days} días hábiles para abrir`,
    /** No business day left, but an opening is still accepted (before the fourth business day). */
    openableUntil: (fourthDay: string) =>
      `Aún puedes abrirlo hasta antes del ${fourthDay}: si lo abres, la notificación cuenta ese día a las 09:30`,
    oficio: (oficio: string) => `Oficio ${oficio}`,
    avisoOn: "Aviso",
    openByOn: "Abrir a más tardar el",
    notifiedOn: "Notificada el",
    view: "Ver notificación",
    viewContext: (oficio: string) => ` (oficio ${oficio})`,
    back: "Volver a mis notificaciones",
    detail: {
      facts: "Datos del acto",
      actType: "Tipo de acto",
      oficio: "Número de oficio",
      issuingUnit: "Unidad que lo emite",
      document: "Documento",
      state: "Estado",
      notifiedBy: "Forma de notificación",
      sinMedios:
        "El acto no señala los medios de defensa: los plazos para impugnarlo se duplican (LFDC art. 23).",
      datesTitle: "Fechas de esta notificación",
      datesLead:
        "Cada fecha la calcula el motor de plazos con el calendario del IMSS (y el del TFJA para el juicio de nulidad). Abre «¿Por qué esta fecha?» para ver cómo se obtuvo.",
      pendingDate: "Se sabrá cuando se notifique",
      why: "¿Por qué esta fecha?",
      whyContext: (label: string) => ` (${label})`,
      noWhy: "El motor de plazos no dio una explicación para esta fecha.",
      explanationTitle: "Cómo se obtuvo",
      dates: {
        avisoAt: "Aviso y documento disponible",
        openBy: "Último día para abrirla",
        deemedNotifiedAt: "Notificada por ministerio de ley si no la abres",
        notifiedAt: "Notificada",
        effectiveOn: "Surte efectos",
        recursoInconformidadBy: "Último día para el recurso de inconformidad",
        juicioNulidadBy: "Último día para el juicio de nulidad",
      },
      timelineTitle: "Historial",
      events: {
        depositada: "El IMSS depositó el acto firmado",
        // Also in a cancelled act whose avisos were withdrawn: what it evidences is the instant.
        aviso_emitido: "Se emitió el aviso: el documento quedó disponible en tu buzón",
        segundo_aviso: "Se envió un segundo aviso (último día para abrir)",
        abierta: "Abriste el documento con tu e.firma",
        acceso_posterior: "Accediste al documento con tu e.firma después de notificada",
        descarga_posterior: "Descargaste el documento por primera vez después de notificada",
        constancia_cuarto_dia: "Constancia de notificación del cuarto día hábil",
        cancelada: "El IMSS canceló el acto",
        publicada_en_estrados: "Publicada en los estrados electrónicos",
        notificada_por_estrados: "Notificada por estrados",
      } as Record<string, string>,
      acuseLink: "Descargar o verificar el acuse",
      acuseContext: (folio: string) => ` ${folio}`,
      documentTitle: "Documento y acuses",
      download: "Descargar el documento (PDF)",
      downloadLocked:
        "El documento se descarga una vez notificado: ábrelo con tu e.firma para notificarte y descargarlo.",
      downloadFrom: (when: string) =>
        `El documento se descarga una vez notificado: podrás descargarlo desde el ${when}, cuando la ley lo tiene por notificado.`,
      acusesTitle: "Acuses",
      noAcuses: "Aún no hay acuses de esta notificación.",
      cancelled: "El IMSS canceló este acto: ya no surte efectos ni corre ningún plazo.",
      estrados:
        "Este acto se notifica por estrados electrónicos porque tu buzón no estaba habilitado.",
    },
    open: {
      title: "Abrir con e.firma",
      button: "Abrir con e.firma",
      closedTitle: "Ya no puedes abrirlo con tu e.firma",
      lead: "Al abrir el documento con tu e.firma quedas notificado en ese momento (CFF art. 134, fracción I): desde entonces corren los plazos. El acuse de notificación es lo que firmas al abrirlo.",
      hours:
        "Si lo abres fuera del horario de 09:30 a 18:00 de un día hábil, la notificación cuenta a las 09:30 del día hábil siguiente (Lineamientos 7.2).",
      notOpening:
        "Si no lo abres, quedarás notificado de todos modos a las 09:30 del cuarto día hábil (Lineamientos 7.5).",
      privacyNote:
        "Tu llave privada y tu contraseña no salen de tu equipo: la firma se hace en tu navegador.",
      signAs: (name: string, rfc: string) => `Firma con la e.firma de ${name} (RFC ${rfc}).`,
      submit: "Firmar y abrir",
      submitting: "Firmando y abriendo…",
      cancel: "Cancelar",
      opened: (folio: string) => `Quedaste notificado. Folio del acuse de notificación: ${folio}.`,
      notifiedAt: (when: string) => `La notificación cuenta desde el ${when}.`,
      errors: {
        notSessionEfirma: (certificateRfc: string, sessionRfc: string) =>
          `La e.firma elegida es de ${certificateRfc}, no de ${sessionRfc}, con cuya sesión ingresaste. Abre con la e.firma de ${sessionRfc} o de su representante legal.`,
      },
    },
    home: {
      title: (count: number) =>
        count === 1
          ? "Tienes 1 notificación pendiente de abrir"
          : `Tienes ${count} notificaciones pendientes de abrir`,
      text: (count: number) =>
        `${count === 1 ? "Ábrela" : "Ábrelas"} con tu e.firma antes de que termine el plazo; si no, quedarás notificado al cuarto día hábil.`,
      action: "Ir a mis notificaciones",
    },
  },
  personal: {
    areaTitle: "Personal del IMSS",
    notAllowed:
      "Esta sección es solo para personal del Instituto. Ingresaste con una e.firma que no tiene un rol de personal.",
    nav: {
      label: "Notificaciones del Instituto",
      list: "Seguimiento de actos",
      compose: "Nuevo acto",
    },
    list: {
      title: "Seguimiento de actos notificados",
      lead: "Los actos que el Instituto depositó en el Buzón IMSS y el estado de cada uno. Un acto se puede cancelar mientras no esté notificado.",
      filterLabel: "Estado de los actos",
      all: "Todos",
      states: {
        depositada: "Depositados",
        pendiente: "Pendientes",
        notificada: "Notificados",
        cancelada: "Cancelados",
        estrados: "En estrados",
      } as Record<string, string>,
      empty: "No hay actos en este estado.",
      caption: "Actos depositados",
      columns: {
        acto: "Acto",
        destinatario: "Destinatario",
        estado: "Estado",
        fechas: "Fechas",
        acciones: "Acciones",
      },
      deposited: "Depositado",
      notifiedBy: {
        apertura: "el destinatario la abrió con su e.firma",
        ministerio_de_ley: "por ministerio de ley, al cuarto día hábil",
        estrados: "por estrados",
      } as Record<string, string>,
      aviso: "Aviso",
      openBy: "Abrir a más tardar",
      notified: "Notificado",
      compose: "Nuevo acto",
    },
    act: {
      view: "Ver el aviso y sus entregas",
      viewContext: (oficio: string) => ` del oficio ${oficio}`,
      back: "Volver al seguimiento",
      evidence: "Descargar el paquete de evidencia (ZIP)",
      evidenceHint:
        "El documento firmado y su firma, cada acuse con su prueba de registro, la línea de tiempo, las direcciones del aviso y las versiones de calendario, con instrucciones para verificar cada archivo (notificador, administrador o auditor).",
      evidenceOtherRoles:
        "El paquete de evidencia del acto (el documento firmado, sus acuses, la línea de tiempo y las direcciones completas del aviso) lo descargan el notificador, el administrador y el auditor.",
      addressee: "Destinatario",
      registroPatronal: "Registro patronal",
      oficio: "Número de oficio",
      issuingUnit: "Unidad que lo emite",
      document: "Documento",
      sha256: "SHA-256 del documento",
      avisoTitle: "Aviso",
      availableAt: "Documento disponible y aviso",
      openBy: "Último día para abrirlo",
      deemedNotifiedAt: "Notificado si no se abre",
      calendarVersion: "Versión del calendario",
      acuseTitle: "Acuse del aviso",
      noAcuse: "El acuse del aviso aún no se sella.",
      noAcuseCancelled:
        "No hay acuse del aviso: el acto se canceló antes del momento del aviso y el documento nunca estuvo a disposición.",
      avisoAtNotReached: "Momento del aviso (no llegó: se canceló antes)",
      cancelledAt: "Cancelado el",
      cancellationAcuse: "Acuse de cancelación",
      cancellationEffect: "Efecto de la cancelación",
      folio: "Folio",
      countsAt: "Cuenta desde",
      verify: "Verificar el acuse",
      deliveriesTitle: "Entregas del aviso",
      deliveriesLead:
        "Cada dirección a la que se envió el aviso y el resultado de cada intento. Las direcciones se muestran enmascaradas; el paquete de evidencia las lleva completas.",
      noDeliveries: "Aún no hay entregas registradas.",
      avisos: { primero: "Aviso", segundo: "Segundo aviso" } as Record<string, string>,
      channels: { correo: "Correo electrónico", sms: "SMS" } as Record<string, string>,
      statuses: { pendiente: "Pendiente", enviada: "Enviada", fallida: "Fallida" } as Record<
        string,
        string
      >,
      enqueuedAt: "En la bandeja de salida desde",
      attempt: (n: number, outcome: string, at: string) => `Intento ${n}: ${outcome}, ${at}.`,
      state: "Estado",
      notified: "Notificado",
      cancelledNote:
        "El Instituto canceló este acto: ya no surte efectos ni corre ningún plazo. El aviso y sus entregas quedan abajo como evidencia.",
      estradosNote:
        "Este acto se notifica por estrados electrónicos: el buzón del destinatario no estaba habilitado o no tenía medios de contacto validados, así que no hubo aviso a sus medios.",
      estradosFrom: (when: string) =>
        `Se publica en los estrados electrónicos desde el instante fijado al depositarlo, el ${when} (regla a: fuera de las 09:30 a 18:00 de un día hábil, a las 09:30 del día hábil siguiente); antes no aparece en la página pública.`,
      timelineTitle: "Línea de tiempo del acto",
      timelineLead:
        "Cada evento del acto en el orden en que ocurrió, con su fecha y hora del centro de México (UTC−06:00) y, cuando un acuse lo hace constar, su folio para descargarlo y verificarlo.",
      timelineFolioOnly:
        "Tu rol ve el folio de cada acuse; se verifica en «Verificación de documentos» con el código impreso en el acuse. El notificador, el administrador y el auditor descargan aquí cada acuse y el paquete de evidencia.",
      events: {
        depositada: "Se depositó el acto firmado",
        aviso_emitido: "Se emitió el aviso: el documento quedó disponible en el buzón",
        segundo_aviso: "Se envió el segundo aviso (último día para abrir)",
        abierta: "Abierta con e.firma: quedó notificada",
        acceso_posterior: "Primer acceso con e.firma después de notificada",
        descarga_posterior: "Primera descarga del documento después de notificada (sin e.firma)",
        constancia_cuarto_dia:
          "Notificada por ministerio de ley: constancia del cuarto día hábil sin apertura",
        cancelada: "Cancelada por el Instituto",
        publicada_en_estrados: "Publicada en los estrados electrónicos",
        notificada_por_estrados: "Notificada por estrados: terminó la publicación",
      } as Record<string, string>,
      /** What each event's acuse is, to say which one a link downloads or verifies. */
      acuseNames: {
        aviso_emitido: "acuse del aviso",
        abierta: "acuse de notificación",
        acceso_posterior: "acuse del acceso posterior",
        constancia_cuarto_dia: "constancia de notificación del cuarto día",
        cancelada: "acuse de cancelación",
        publicada_en_estrados: "acuse de publicación en estrados",
        notificada_por_estrados: "acuse del fin de la publicación en estrados",
      } as Record<string, string>,
      by: (rfc: string) => `Por ${rfc}.`,
      byCapacity: (capacity: string, rfc: string) =>
        capacity === "representante_legal"
          ? `Por su representante legal, RFC ${rfc}.`
          : `Por el titular, RFC ${rfc}.`,
      notifiedFrom: (when: string) => `La notificación cuenta desde el ${when}.`,
      motivo: (motivo: string) => `Motivo: ${motivo}`,
    },
    cancel: {
      button: "Cancelar acto",
      buttonContext: (oficio: string) => ` con oficio ${oficio}`,
      title: "Cancelar el acto",
      text: (oficio: string, rfc: string) =>
        `Vas a cancelar el acto con oficio ${oficio} dirigido a ${rfc}. La cancelación queda registrada con su acuse y no se puede deshacer; una corrección es un acto nuevo.`,
      motivo: "Motivo de la cancelación",
      motivoHint: "Queda en el acuse de la cancelación.",
      accept: "Cancelar el acto",
      back: "Volver",
      cancelling: "Cancelando…",
      done: (oficio: string) => `Se canceló el acto con oficio ${oficio}.`,
      errors: {
        motivoMissing: "Escribe el motivo de la cancelación.",
        motivoShort: (min: number) => `El motivo debe tener al menos ${min} caracteres.`,
        motivoLong: (max: number) => `El motivo debe tener como máximo ${max} caracteres.`,
      },
    },
    compose: {
      title: "Firmar y depositar actos",
      lead: "Agrega uno o varios actos con su PDF, fírmalos con tu e.firma en este navegador y deposítalos en el buzón de cada destinatario. El aviso sale en el horario de notificación (09:30 a 18:00 de días hábiles).",
      singleTitle: "Un acto",
      rfc: "RFC del destinatario",
      rfcHint: "12 caracteres (persona moral) o 13 (persona física).",
      registroPatronal: "Registro patronal (opcional)",
      registroHint: "Una letra y 10 dígitos, por ejemplo Y5410052104.",
      actType: "Tipo de acto",
      chooseType: "Elige el tipo de acto",
      noTypes:
        "No se pudo leer el catálogo de actos del servidor: escribe la clave del anexo 7 (por ejemplo 7.1).",
      oficio: "Número de oficio",
      issuingUnit: "Unidad que lo emite",
      document: "Documento (PDF)",
      documentHint: "El PDF del acto, de hasta 20 MiB.",
      add: "Agregar a la lista",
      added: (name: string) => `Se agregó ${name} a la lista.`,
      required: "Todos los campos son obligatorios salvo el registro patronal.",
      errors: {
        rfcMissing: "Escribe el RFC del destinatario.",
        rfcInvalid:
          "El RFC no tiene la forma correcta: 3 o 4 letras, 6 dígitos de la fecha y 3 caracteres de homoclave.",
        registroInvalid: "El registro patronal es una letra seguida de 10 dígitos.",
        actTypeMissing: "Elige el tipo de acto.",
        actTypeUnknown: (id: string) =>
          `El tipo de acto «${id}» no está en el catálogo del anexo 7.`,
        oficioMissing: "Escribe el número de oficio.",
        issuingUnitMissing: "Escribe la unidad que emite el acto.",
        documentMissing: "Elige el PDF del acto.",
        notPdf: (name: string) => `${name} no es un PDF.`,
        emptyPdf: (name: string) => `${name} está vacío.`,
        pdfTooLarge: (name: string) => `${name} pesa más de 20 MiB.`,
        notPdfContent: (name: string) =>
          `${name} no es un PDF completo: su contenido debe empezar con «%PDF-» y terminar con «%%EOF». Elige el PDF del acto.`,
        pdfUnreadable: (name: string) => `No se pudo leer ${name}. Vuelve a elegirlo.`,
      },
    },
    batch: {
      title: "Varios actos (CSV y sus PDF)",
      lead: "Un archivo CSV con una línea por acto y las columnas rfc, registro_patronal, tipo, oficio, unidad_emisora y documento (el nombre del PDF), y los PDF que nombra.",
      csv: "Archivo CSV",
      pdfs: "Los PDF de los actos",
      pdfsHint: "Elige todos a la vez; se relacionan por su nombre con la columna «documento».",
      add: "Agregar los actos del CSV",
      added: (count: number) =>
        count === 1 ? "Se agregó 1 acto a la lista." : `Se agregaron ${count} actos a la lista.`,
      refusedTitle: "Líneas del CSV que no se agregaron",
      refusedLine: (line: number) => `Línea ${line}:`,
      unused: (names: string) => `PDF que ninguna línea nombra: ${names}.`,
      errors: {
        csvMissing: "Elige el archivo CSV.",
        csvUnreadable: "No se pudo leer el archivo CSV.",
        pdfsMissing: "Elige los PDF que nombra el CSV.",
        header: (columns: string[]) =>
          `Al CSV le faltan columnas: ${columns.join(", ")}. La primera línea nombra las columnas.`,
        pdfNotChosen: (name: string) =>
          name === "" ? "No nombra su PDF." : `No elegiste el PDF «${name}».`,
        pdfTwice: (name: string) => `El PDF «${name}» ya lo nombra otra línea.`,
      },
    },
    queue: {
      title: "Actos por firmar",
      empty: "Aún no hay actos en la lista.",
      caption: "Actos por firmar y depositar",
      columns: {
        documento: "Documento",
        destinatario: "Destinatario",
        acto: "Acto",
        resultado: "Resultado",
        acciones: "Acciones",
      },
      waiting: "Por firmar",
      deposited: (when: string) => `Depositado. Aviso: ${when}.`,
      depositedNoAviso: "Depositado.",
      refused: "Rechazado:",
      refusedFinal:
        "Este acto no se volverá a intentar así: corrígelo, quítalo de la lista y agrégalo de nuevo.",
      refusedRetry: "Fue un problema pasajero: se volverá a intentar con la misma clave.",
      remove: "Quitar",
      removeContext: (name: string) => ` ${name}`,
      view: "Ver en el seguimiento",
    },
    sign: {
      title: "Firmar con e.firma y depositar",
      lead: "Tu e.firma se abre una sola vez en este navegador y firma cada PDF (firma desprendida CMS). Tu llave privada y tu contraseña no salen de tu equipo.",
      signAs: (name: string, rfc: string) => `Firma con la e.firma de ${name} (RFC ${rfc}).`,
      submit: (count: number) =>
        count === 0
          ? "Firmar y depositar"
          : count === 1
            ? "Firmar y depositar 1 acto"
            : `Firmar y depositar ${count} actos`,
      noneLeft: "No quedan actos por firmar",
      retry: (count: number) => (count === 1 ? "Reintentar 1 acto" : `Reintentar ${count} actos`),
      working: (done: number, total: number) => `Firmando y depositando ${done} de ${total}…`,
      progressLabel: "Avance de la firma y el depósito",
      finished: (deposited: number, refused: number) =>
        `Terminó: ${deposited} ${deposited === 1 ? "depositado" : "depositados"}, ${refused} ${refused === 1 ? "rechazado" : "rechazados"}.`,
      nothingToSign: "Agrega al menos un acto a la lista antes de firmar.",
      notSessionEfirma: (certificateRfc: string, sessionRfc: string) =>
        `La e.firma elegida es de ${certificateRfc}, no de ${sessionRfc}, con cuya e.firma ingresaste. Firma con la misma e.firma.`,
    },
  },
  promociones: promocionesEs,
  expedientes: expedientesEs,
  notFound: {
    title: "Página no encontrada",
    text: "La dirección que buscas no existe o cambió.",
    home: "Ir al inicio",
  },
  status: {
    loading: "Cargando…",
  },
  errors: {
    title: "No se pudo completar la solicitud",
    network:
      "No fue posible comunicarse con el servidor. Verifica tu conexión e inténtalo de nuevo.",
    unexpected: (status: number) =>
      `El servidor respondió con un error inesperado (código ${status}). Inténtalo más tarde.`,
    invalidResponse: "El servidor envió una respuesta que no se pudo interpretar.",
  },
  dates: {
    hourSuffix: "h",
  },
} as const;
