import type { NonBusinessDay } from "../calendar/cff-holidays.ts";

/**
 * The version of the rule set below. Bump it (and keep the old behaviour reachable) whenever a
 * rule changes, so a date computed under the old rules can still be explained.
 */
export const RULES_VERSION = "lineamientos-2024-08-06.4";

/** Every rule the engine applies, with its legal basis. Stored in results: renaming is a migration. */
export const RULES = {
  horario_notificacion: {
    basis: "Lineamientos 7.2; CFF arts. 12, 13 y 134-I",
    summary:
      "Las notificaciones se hacen de 09:30 a 18:00 (Zona Centro) en días hábiles; fuera de ese horario se tienen por hechas a las 09:30 del día hábil siguiente.",
  },
  plazo_apertura: {
    basis: "Lineamientos 7.4; CFF art. 134-I",
    summary:
      "Tres días hábiles para abrir el documento, contados a partir del día hábil siguiente al envío del aviso.",
  },
  cuarto_dia: {
    basis: "Lineamientos 7.5 y 7.6; CFF art. 134-I",
    summary:
      "Si no se abre, la notificación se tiene por hecha al cuarto día hábil, contado igual que el plazo de apertura.",
  },
  apertura: {
    basis: "Lineamientos 7.4 y 7.5; CFF art. 134-I",
    summary:
      "Si se abre antes, la notificación queda hecha en el momento de la apertura, ajustado al horario de notificación.",
  },
  estrados: {
    basis: "CFF art. 139; Lineamientos 7.8; LSS art. 286-M",
    summary:
      "Sin buzón habilitado, el documento se publica diez días hábiles en los estrados electrónicos, contados a partir del día siguiente a su publicación; se tiene por notificado el decimoprimer día hábil contado de la misma forma.",
  },
  surte_efectos: {
    basis: "CFF art. 135",
    summary: "La notificación surte efectos el día hábil siguiente a aquel en que fue hecha.",
  },
  recurso_inconformidad: {
    basis: "LSS art. 294; Reglamento del Recurso de Inconformidad art. 6",
    summary:
      "15 días hábiles, contados a partir del día hábil siguiente a aquel en que surte efectos la notificación.",
  },
  juicio_nulidad: {
    basis: "LFPCA arts. 13, fracción I, inciso a), y 74; calendario del TFJA",
    summary:
      "30 días hábiles del Tribunal Federal de Justicia Administrativa (solo los días en que sus Salas abren), contados a partir del día hábil siguiente a aquel en que surte efectos la notificación.",
  },
  prorroga_ultimo_dia: {
    basis: "CFF art. 12, último párrafo",
    summary:
      "Si el último día de un plazo, o la fecha determinada, es inhábil o las oficinas permanecen cerradas, el plazo se prorroga hasta el siguiente día hábil; vale también para plazos por periodos o con fecha fija.",
  },
  medios_de_defensa: {
    basis:
      "Ley Federal de los Derechos del Contribuyente arts. 1 y 23; LSS arts. 9 (CFF supletorio), 270 y 287 (el IMSS como organismo fiscal autónomo)",
    summary:
      "Si el acto omite señalar el recurso o juicio que procede, el plazo y la autoridad, el particular cuenta con el doble del plazo para el recurso de inconformidad y para el juicio de nulidad.",
  },
  conocimiento: {
    basis: "CFF art. 135, segundo párrafo",
    summary:
      "La manifestación de conocer el acto surte efectos de notificación desde la fecha en que se manifiesta haberlo conocido, si es anterior a la fecha en que surtiría efectos la notificación.",
  },
  aviso_fuera_de_horario: {
    basis: "Lineamientos 7.2 y 7.4; CFF art. 13; SCJN 2a./J. 123/2005",
    summary:
      "Lectura debatible: un aviso después de las 18:00 o en día inhábil se cuenta desde el día hábil siguiente a su fecha; otra lectura lo tiene por enviado a las 09:30 del día hábil siguiente. Antes de las 09:30 de un día hábil la fecha del aviso es la misma en ambas lecturas.",
  },
  apertura_antes_de_horario: {
    basis: "Lineamientos 7.2 y 7.5",
    summary:
      "Lectura debatible: una apertura entre las 00:00 y las 09:29 de un día hábil cuenta a las 09:30 del día hábil siguiente; otra lectura la tiene por hecha a las 09:30 del mismo día.",
  },
  transmision_poder_ejecutivo: {
    basis: "CFF art. 12, primer párrafo; CPEUM art. 83 (reforma de 2014)",
    summary:
      "Lectura debatible: desde 2024 el día de la transmisión del Poder Ejecutivo es el 1 de octubre, aunque el CFF art. 12 aún dice «1o. de diciembre».",
  },
  calendario_sin_declaracion: {
    basis: "CFF art. 12; LFPCA art. 74",
    summary:
      "Para un año sin versión publicada del calendario de una autoridad solo se conocen los días del CFF art. 12 y los fines de semana.",
  },
  conocimiento_anterior_al_aviso: {
    basis: "CFF art. 135, segundo párrafo",
    summary:
      "Un conocimiento manifestado anterior al aviso hace correr los plazos desde esa fecha: pueden haberse acortado o estar ya vencidos.",
  },
  recepcion_promocion: {
    basis: "Lineamientos 6.3",
    summary:
      "Las promociones se reciben de 00:00 a 23:59; en día inhábil se tienen por recibidas a la primera hora (00:00) del día hábil siguiente.",
  },
  validacion_medios: {
    basis: "Lineamientos 5.2",
    summary:
      "Los medios de contacto deben confirmarse dentro de las 72 horas siguientes a su registro.",
  },
  habilitacion: {
    basis: "Lineamientos, transitorio primero; CFF art. 12, tercer y último párrafos",
    summary:
      "180 días naturales para habilitar el Buzón IMSS, contando el día de entrada en vigor; si el último es inhábil, el plazo se prorroga al siguiente día hábil.",
  },
  conservacion: {
    basis: "Lineamientos 6.1 y 7.7",
    summary: "Acuses y notificaciones se pueden consultar e imprimir durante 5 años.",
  },
} as const;

export type RuleId = keyof typeof RULES;

/** One step of an explanation: which rule, what it did, and which days it stepped over. */
export interface ExplanationStep {
  rule: RuleId;
  basis: string;
  text: string;
  skippedDays: NonBusinessDay[];
}

/** A debatable reading the engine took, with what the other reading would give. */
export interface Warning {
  code:
    | "aviso_fuera_de_horario"
    | "apertura_antes_de_horario"
    | "transmision_poder_ejecutivo"
    | "calendario_sin_declaracion"
    | "conocimiento_anterior_al_aviso";
  text: string;
  /** The dates under the other reading, when it changes the computation. */
  otherReading: {
    notifiedAt: string;
    effectiveOn: string;
    recursoInconformidadBy: string;
    juicioNulidadBy: string;
  } | null;
}

export function step(
  rule: RuleId,
  text: string,
  skippedDays: NonBusinessDay[] = [],
): ExplanationStep {
  return { rule, basis: RULES[rule].basis, text, skippedDays };
}
