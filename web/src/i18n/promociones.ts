/**
 * The strings of «Promociones electrónicas» (the particular's pages and the staff's queue), part
 * of the one catalogue `es` (es.promociones): kept in their own file so the catalogue's other
 * areas change without touching these.
 */

const bytes = (n: number) =>
  n >= 1024 * 1024
    ? `${(n / (1024 * 1024)).toLocaleString("es-MX", { maximumFractionDigits: 1 })} MB`
    : n >= 1024
      ? `${(n / 1024).toLocaleString("es-MX", { maximumFractionDigits: 1 })} KB`
      : `${n.toLocaleString("es-MX")} bytes`;

export const promocionesEs = {
  menu: "Promociones Electrónicas",
  title: "Promociones electrónicas",
  lead: "Presenta aclaraciones y orientaciones, la ICSOE, servicios de cobranza o la respuesta a un requerimiento, firmadas con tu e.firma, cualquier día de 00:00 a 23:59 horas. Las que envíes en día inhábil se tienen por recibidas a las 00:00 horas del día hábil siguiente (Lineamientos 6.3). Cada una tiene su acuse de recibo.",
  bytes,
  newAction: "Nueva promoción",
  listTitle: "Mis promociones",
  empty: "Aún no has presentado promociones.",
  listLabel: "Mis promociones presentadas",
  columns: {
    subject: "Asunto",
    type: "Tipo",
    state: "Estado",
    sentAt: "Enviada",
    receivedAt: "Recibida",
  },
  view: "Ver",
  viewContext: (subject: string) => ` la promoción «${subject}»`,
  states: {
    recibida: "Recibida",
    en_atencion: "En atención",
    respondida: "Respondida",
    concluida: "Concluida",
  } as Record<string, string>,
  draftsTitle: "Borradores",
  draftsLead:
    "Un borrador no está firmado ni presentado: no tiene acuse. Guarda el tipo, el asunto, el escrito y los datos de los anexos; al continuarlo, vuelve a elegir los archivos.",
  draftsEmpty: "No tienes borradores.",
  draftUntitled: "(sin asunto)",
  draftUpdated: (when: string) => `Guardado el ${when}`,
  draftResume: "Continuar",
  draftResumeContext: (subject: string) => ` el borrador «${subject}»`,
  nextPage: "Promociones anteriores",
  firstPage: "Más recientes",
  pagerLabel: "Páginas de promociones",
  compose: {
    title: "Nueva promoción",
    back: "Volver a mis promociones",
    lead: "Escribe tu promoción y elige sus anexos. Al presentarla, tu navegador calcula la huella SHA-256 de cada archivo y firma con tu e.firma un manifiesto con tu RFC, el tipo, la huella del escrito y la de cada anexo. Tu llave privada no sale de este equipo.",
    type: "Tipo de promoción",
    typeHint: "Cada tipo admite sus propios anexos y límites.",
    chooseType: "Elige un tipo",
    limits: (kinds: string, files: number, perFile: number, total: number) =>
      files === 0
        ? "Este tipo no admite anexos."
        : `Admite ${kinds}; hasta ${files} archivos de hasta ${bytes(perFile)} cada uno y ${bytes(total)} en total.`,
    kindNames: {
      pdf: "PDF",
      xml: "XML",
      imagen: "imágenes (PNG o JPEG)",
      zip: "ZIP",
    } as Record<string, string>,
    subject: "Asunto",
    subjectHint: (max: number) => `Una línea, hasta ${max} caracteres.`,
    text: "Escrito",
    textHint: (max: number) => `Hasta ${max.toLocaleString("es-MX")} caracteres.`,
    notificacion: "Notificación que contestas",
    notificacionHint: "El requerimiento que contestas, de tu buzón.",
    chooseNotificacion: "Elige la notificación",
    noNotificaciones: "No tienes notificaciones que contestar.",
    notificacionOption: (oficio: string, actType: string) => `Oficio ${oficio} (${actType})`,
    files: "Anexos",
    filesHint: "Elige todos los anexos a la vez, en el orden en que deben presentarse.",
    filesTitle: "Anexos elegidos",
    hashing: "Calculando las huellas SHA-256…",
    fileRow: (size: number) => bytes(size),
    sha256: "SHA-256",
    draftFiles: "Anexos del borrador (vuelve a elegirlos):",
    draftFileMatch: "elegido",
    draftFileMissing: "falta elegirlo",
    efirmaTitle: "Firma con tu e.firma",
    efirmaLead:
      "Para guardar un borrador no se necesita la e.firma; para presentar la promoción, sí.",
    signAs: (name: string, rfc: string) => `Firmarás como ${name} (${rfc}).`,
    submit: "Firmar y presentar",
    submitting: "Firmando y presentando…",
    saveDraft: "Guardar borrador",
    savingDraft: "Guardando…",
    draftSaved: (when: string) => `Borrador guardado el ${when}.`,
    filedTitle: "Promoción presentada",
    filedLead: (receivedAt: string) => `Se tiene por recibida el ${receivedAt}.`,
    filedSentNote:
      "Si la enviaste en día inhábil, se tiene por recibida a las 00:00 horas del día hábil siguiente.",
    filedView: "Ver la promoción",
    another: "Presentar otra promoción",
    errors: {
      typeMissing: "Elige el tipo de promoción.",
      typeElsewhere:
        "Ese tipo se presenta desde «Medios de contacto» de tu buzón, no como promoción firmada.",
      fileUnreadable: (name: string) => `No se pudo leer «${name}». Vuelve a elegirlo.`,
      notSessionEfirma: (certificateRfc: string, sessionRfc: string) =>
        `La e.firma elegida es de ${certificateRfc}, no de ${sessionRfc}, con cuya e.firma ingresaste. Firma con la misma e.firma.`,
      answerLost:
        "No llegó la respuesta del servidor: es posible que tu promoción sí se haya recibido. Vuelve a «Firmar y presentar»: se enviará la misma firma y, si ya se recibió, verás su acuse sin presentarla dos veces.",
      manifestMismatch: (part: string) =>
        `No se firmó ni se envió nada: el manifiesto que el servidor pidió firmar no coincide con tu promoción (${part}). Vuelve a intentarlo; si se repite, no la presentes desde este equipo y repórtalo al IMSS.`,
    },
    /** What differs between the manifest to sign and the promoción in this browser. */
    manifestParts: {
      formato: "no tiene la forma de un manifiesto de promoción",
      rfc: "el RFC no es el de tu sesión",
      tipo: "el tipo de promoción es otro",
      asunto: "el asunto es otro",
      escrito: "la huella SHA-256 o el tamaño del escrito es otro",
      notificacion: "la notificación que contestas es otra",
      anexos: "los anexos no son los que elegiste: nombre, tamaño o huella SHA-256",
    },
    /** What each refusal of the server means, said before the server's own words. */
    refusals: {
      attachment_too_large: "Un anexo es más grande de lo que admite este tipo de promoción.",
      attachment_count: "El número de anexos no es el que admite este tipo de promoción.",
      attachment_kind_not_allowed: "Un anexo es de un tipo de archivo que no se admite.",
      attachment_mismatch:
        "Un anexo cambió entre la firma y el envío (su huella SHA-256 ya no coincide). Vuelve a elegirlo y firma de nuevo.",
      promocion_signer_mismatch:
        "Firmaste con una e.firma distinta a la de tu sesión. Usa la misma e.firma con la que ingresaste.",
      promocion_signature_refused: "Tu e.firma o la firma no se pudieron validar.",
      promocion_challenge_invalid:
        "El tiempo para firmar venció o la firma ya se usó. Vuelve a presentarla.",
      promocion_invalid: "La promoción tiene datos que corregir.",
      unknown_promocion_type: "Ese tipo de promoción no existe.",
      promocion_type_elsewhere:
        "Ese tipo se presenta desde «Medios de contacto» de tu buzón, no como promoción firmada.",
    } as Record<string, string>,
  },
  detail: {
    back: "Volver a mis promociones",
    facts: "Datos de la promoción",
    type: "Tipo",
    state: "Estado",
    sentAt: "Enviada",
    receivedAt: "Recibida (Lineamientos 6.3)",
    signer: "Firmó",
    notificacion: "Contesta la notificación",
    dueOn: "Plazo para contestar",
    inTime: "¿En tiempo?",
    yes: "Sí",
    no: "No",
    unknown: "No se sabe",
    text: "Escrito",
    textSha256: "SHA-256 del escrito",
    attachments: "Anexos",
    noAttachments: "Sin anexos.",
    acuseTitle: "Acuse de recibo",
    manifest: "Manifiesto firmado y firma electrónica",
    manifestSummary: "Ver el texto exacto que se firmó",
    signatureLead:
      "La e.firma firmó este manifiesto, que nombra el escrito y cada anexo por su huella SHA-256. El acuse de recibo lista ambos archivos con la misma huella.",
    manifestDownload: "Descargar el manifiesto firmado",
    signatureDownload: "Descargar la firma electrónica",
    signatureVerify: "Con los dos archivos cualquiera comprueba la firma en la",
    signatureVerifyLink: "verificación de firmas",
    signatureOpenssl: "o, sin este sistema, con OpenSSL:",
    opensslCommand:
      "openssl cms -verify -binary -inform DER -in firma-promocion.p7s -content manifiesto-firmado.txt -noverify -out /dev/null",
    timelineTitle: "Seguimiento",
    answerTitle: "Respuesta del Instituto",
    answerByNotificacion: (oficio: string | null) =>
      oficio
        ? `El Instituto respondió con una notificación (oficio ${oficio}).`
        : "El Instituto respondió con una notificación.",
    answerByComunicado: (title: string | null) =>
      title
        ? `El Instituto respondió con un comunicado: «${title}».`
        : "El Instituto respondió con un comunicado.",
    answerAvailable: (when: string) => `Disponible desde el ${when}.`,
    openNotificacion: "Ver la notificación en «Mis notificaciones»",
    openComunicado: "Ver el comunicado en «Mis comunicados»",
    answerByEstrados: (oficio: string | null) =>
      `${oficio ? `El Instituto respondió con una notificación (oficio ${oficio})` : "El Instituto respondió con una notificación"}. Como tu Buzón IMSS no estaba habilitado, o no tenía medios de contacto validados, cuando se emitió, se notifica por estrados electrónicos (Código Fiscal de la Federación, art. 139): no aparece en «Mis notificaciones», sino en la página pública de los estrados.`,
    estradosFacts: "Publicación en los estrados",
    estradosPublishedAt: "Fecha de publicación",
    estradosDays: "Días de publicación",
    estradosFromTo: (first: string, last: string) => `Del ${first} al ${last}`,
    estradosNotifiedOn: "Notificada el",
    estradosNotifiedOnValue: (date: string) => `${date} (decimoprimer día hábil)`,
    estradosEffectiveOn: "Surte efectos",
    estradosListedUntil: "Figura en los estrados hasta",
    estradosPending: (when: string) =>
      `Se publicará en los estrados el ${when}; desde entonces podrás consultarla ahí.`,
    estradosGone: (until: string) =>
      `Su publicación ya no figura en la página pública de los estrados: se mostró hasta el ${until}.`,
    openEstrados: "Ver la publicación en los estrados electrónicos",
    events: {
      recibida: "Recibida: acuse de recibo",
      en_atencion: "En atención por el Instituto",
      respondida: "Respondida",
      concluida: "Concluida",
      nota_interna: "Nota interna",
      respuesta_cancelada: "La respuesta se canceló; la promoción vuelve a atención",
    } as Record<string, string>,
  },
  staff: {
    nav: "Atención de promociones",
    title: "Atención de promociones",
    lead: "Las promociones que los particulares presentaron, la recibida primero. Tómala para atenderla, agrega notas internas (el particular nunca las ve) y respóndela con una notificación firmada o un comunicado, o concluye su atención.",
    filters: {
      title: "Filtrar",
      state: "Estado",
      anyState: "Todos los estados",
      type: "Tipo",
      anyType: "Todos los tipos",
      assignee: "Asignada a",
      anyAssignee: "Cualquiera",
      unassigned: "Sin asignar",
      mine: "A mí",
      rfc: "RFC de quien la presentó",
      from: "Recibida desde",
      to: "Recibida hasta",
      apply: "Filtrar",
      clear: "Quitar filtros",
    },
    empty: "No hay promociones con esos filtros.",
    listLabel: "Promociones recibidas",
    columns: {
      subject: "Asunto",
      rfc: "RFC",
      type: "Tipo",
      state: "Estado",
      receivedAt: "Recibida",
      assignee: "Asignada a",
      attachments: "Anexos",
    },
    unassigned: "Sin asignar",
    nextPage: "Más promociones",
    firstPage: "Desde la primera",
    pagerLabel: "Páginas de la bandeja",
    back: "Volver a la bandeja",
    facts: "Datos de la promoción",
    particular: "Presentó (RFC)",
    assignee: "La atiende",
    answer: "Respuesta",
    answerNotificacion: (oficio: string | null) =>
      oficio ? `Notificación, oficio ${oficio}` : "Notificación",
    answerComunicado: (title: string | null) => (title ? `Comunicado «${title}»` : "Comunicado"),
    answerByEstrados:
      "Se notifica por estrados: el buzón no estaba habilitado o no tenía medios validados.",
    conclusion: "Motivo de la conclusión",
    download: "Descargar",
    downloadContext: (name: string) => ` el anexo «${name}»`,
    timelineTitle: "Línea de tiempo (con notas internas)",
    actionsTitle: "Atención",
    take: "Tomarla",
    takenByYou: "La atiendes tú.",
    takenBy: (rfc: string) => `La atiende ${rfc}.`,
    reassignTo: "Reasignar a (RFC)",
    reassignHint: "Personal con rol operador o administrador.",
    reassign: "Reasignar",
    noteTitle: "Notas internas",
    noteLead: "Solo las ve el personal del Instituto; el particular nunca las ve.",
    noNotes: "Aún no hay notas internas.",
    note: "Nueva nota interna",
    noteHint: "Hasta 4,000 caracteres.",
    addNote: "Agregar nota",
    answerTitle: "Responder con una notificación",
    answerLead: (rfc: string) =>
      `El acto va dirigido a ${rfc}, quien presentó la promoción. Se firma aquí con tu e.firma (la llave no sale de este equipo) y se deposita como cualquier notificación; la promoción queda respondida.`,
    answerNeedsTake: "Para responderla, alguien con rol operador debe tomarla primero.",
    actType: "Tipo de acto",
    chooseType: "Elige un tipo",
    oficio: "Número de oficio",
    issuingUnit: "Unidad emisora",
    document: "Documento (PDF) de la respuesta",
    signAndAnswer: "Firmar y responder",
    comunicadoTitle: "Responder con un comunicado",
    comunicadoLead: (rfc: string) =>
      `Cuando la respuesta solo informa: un comunicado dirigido solo a ${rfc}, sin plazo legal.`,
    comunicadoSubject: "Título",
    comunicadoBody: "Texto",
    sendComunicado: "Publicar y responder",
    concludeTitle: "Concluir sin respuesta",
    concludeReason: "Motivo",
    concludeHint: "El particular lo verá en el seguimiento de su promoción.",
    conclude: "Concluir",
    done: {
      en_atencion: "La promoción quedó en atención.",
      nota_interna: "Nota interna agregada.",
      concluida: "La promoción quedó concluida.",
      respondida: "La promoción quedó respondida.",
    } as Record<string, string>,
    working: "Guardando…",
    finalNote: "La promoción ya está cerrada: no admite más cambios.",
    answeredNote:
      "La promoción está respondida: no admite más cambios. Si el acto de la respuesta se cancela antes de notificarse, vuelve a atención para responderse de nuevo.",
    answerCancelled: (notificacionId: string | undefined, motivo: string | undefined) =>
      [notificacionId && `Acto cancelado: ${notificacionId}.`, motivo && `Motivo: ${motivo}`]
        .filter(Boolean)
        .join(" "),
    aclaraciones: {
      title: "Aclaraciones de medios de contacto",
      lead: "«No recibí el correo de validación»: las presenta quien registró un correo y no le llegó el código, dentro de las 24 horas siguientes, antes de habilitar su buzón. Atiéndela con la respuesta que la persona leerá en su buzón.",
      filterLabel: "Estado de las aclaraciones",
      filters: { abierta: "Abiertas", atendida: "Atendidas" },
      statuses: { abierta: "Abierta", atendida: "Atendida" },
      empty: {
        abierta: "No hay aclaraciones abiertas.",
        atendida: "Aún no hay aclaraciones atendidas.",
      },
      listLabel: (estado: "abierta" | "atendida") =>
        estado === "atendida" ? "Aclaraciones atendidas" : "Aclaraciones abiertas",
      about: (rfc: string) => `Aclaración de ${rfc}`,
      email: "Correo que no llegó",
      filedAt: "Presentada",
      acuse: "Folio del acuse",
      registration: "Folio del registro del correo",
      description: "Lo que explicó",
      attendedAt: "Fecha de atención",
      attendedBy: "La atendió (RFC)",
      answer: "Respuesta",
      note: "Respuesta para la persona",
      noteHint:
        "La lee en su buzón («Mis medios de contacto»): qué se hizo o qué debe hacer. Hasta 2,000 caracteres. Solo se responde una vez.",
      attend: "Atender",
      attendContext: (rfc: string) => ` la aclaración de ${rfc}`,
      done: (rfc: string) =>
        `La aclaración de ${rfc} quedó atendida; la persona ya ve la respuesta en su buzón.`,
      noteMissing: "Escribe la respuesta para la persona.",
      more: "Ver más",
      moreContext: (estado: "abierta" | "atendida") =>
        estado === "atendida" ? " aclaraciones atendidas" : " aclaraciones abiertas",
      loadingMore: "Cargando…",
      moreLoaded: (n: number) =>
        n === 0
          ? "No hay más aclaraciones."
          : n === 1
            ? "Se cargó 1 aclaración más."
            : `Se cargaron ${n} aclaraciones más.`,
    },
    errors: {
      noteMissing: "Escribe la nota.",
      reasonMissing: "Escribe el motivo.",
      rfcInvalid: "Escribe un RFC válido.",
      actTypeMissing: "Elige el tipo de acto.",
      oficioMissing: "Escribe el número de oficio.",
      issuingUnitMissing: "Escribe la unidad emisora.",
      documentMissing: "Elige el PDF de la respuesta.",
      notPdf: (name: string) => `«${name}» no es un PDF.`,
      titleMissing: "Escribe el título.",
      bodyMissing: "Escribe el texto.",
      notSessionEfirma: (certificateRfc: string, sessionRfc: string) =>
        `Ese certificado es de ${certificateRfc}: firma con tu propia e.firma (${sessionRfc}).`,
    },
  },
};
