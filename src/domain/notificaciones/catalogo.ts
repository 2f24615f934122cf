import { ActError } from "./errors.ts";

/**
 * The catalogue of acts the Institute notifies through the Buzón IMSS: numeral 7 of the
 * «Relación de trámites y servicios» approved with the Lineamientos (DOF 5 ago 2024), 7.1 to
 * 7.18, as data (`catalogos/actos-anexo-7.json`), so a new act type is a reviewed change of a
 * file, not of code. Pure: the feature reads the file and hands the JSON here.
 */
export interface ActType {
  /** «7.1» … «7.18»: the numeral of the annex. */
  id: string;
  /** The name as the annex writes it. */
  name: string;
  /** Whether the act can be challenged (recurso de inconformidad, juicio de nulidad). */
  recurrible: boolean;
  /**
   * Whether the act, as the Institute issues it, states the medios de defensa. False doubles
   * the terms to challenge it (LFDC art. 23; computeNotificacion's `sinMediosDeDefensa`).
   */
  senalaMediosDeDefensa: boolean;
  /**
   * Business days the addressee has to answer a requerimiento, when a rule fixes one; null when
   * the act fixes its own term or asks for nothing. `nota` says where it comes from.
   */
  plazoRespuestaDiasHabiles: number | null;
  /** Why the flags are what they are, when it is not obvious. */
  nota: string | null;
}

export interface ActCatalogue {
  version: string;
  source: string;
  types: readonly ActType[];
  /** The type with this id, or a 422 `unknown_act_type` naming the valid ones. */
  require(id: string, pointer?: string): ActType;
  find(id: string): ActType | undefined;
}

const ID = /^7\.(?:[1-9]|1[0-8])$/;
const KEYS = new Set([
  "id",
  "name",
  "recurrible",
  "senalaMediosDeDefensa",
  "plazoRespuestaDiasHabiles",
  "nota",
]);

function invalid(detail: string): ActError {
  return new ActError("act_catalogue_invalid", `Catálogo de actos inválido: ${detail}`);
}

/** Validates the catalogue's JSON: every numeral 7.1–7.18 once, each with its flags. */
export function parseActCatalogue(json: unknown): ActCatalogue {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw invalid("se esperaba un objeto JSON.");
  }
  const doc = json as Record<string, unknown>;
  if (typeof doc.version !== "string" || doc.version.trim() === "") {
    throw invalid("falta «version».");
  }
  if (typeof doc.source !== "string" || doc.source.trim() === "") {
    throw invalid("falta «source» (la fuente legal del catálogo).");
  }
  if (!Array.isArray(doc.types) || doc.types.length === 0) {
    throw invalid("«types» debe ser una lista no vacía.");
  }
  const types: ActType[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of doc.types.entries()) {
    const at = `types[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw invalid(`${at} debe ser un objeto.`);
    }
    const t = entry as Record<string, unknown>;
    for (const key of Object.keys(t)) {
      if (!KEYS.has(key)) throw invalid(`${at} tiene un campo desconocido «${key}».`);
    }
    if (typeof t.id !== "string" || !ID.test(t.id)) {
      throw invalid(`${at}.id debe ser un numeral del anexo, de «7.1» a «7.18».`);
    }
    if (seen.has(t.id)) throw invalid(`el tipo ${t.id} aparece dos veces.`);
    seen.add(t.id);
    if (typeof t.name !== "string" || t.name.trim() === "") {
      throw invalid(`${at}.name debe ser el nombre del acto.`);
    }
    if (typeof t.recurrible !== "boolean") throw invalid(`${at}.recurrible debe ser booleano.`);
    const senala = t.senalaMediosDeDefensa ?? true;
    if (typeof senala !== "boolean") {
      throw invalid(`${at}.senalaMediosDeDefensa debe ser booleano.`);
    }
    const plazo = t.plazoRespuestaDiasHabiles ?? null;
    if (plazo !== null && (!Number.isInteger(plazo) || (plazo as number) < 1)) {
      throw invalid(`${at}.plazoRespuestaDiasHabiles debe ser un entero positivo o null.`);
    }
    const nota = t.nota ?? null;
    if (nota !== null && typeof nota !== "string") throw invalid(`${at}.nota debe ser texto.`);
    types.push({
      id: t.id,
      name: t.name.trim(),
      recurrible: t.recurrible,
      senalaMediosDeDefensa: senala,
      plazoRespuestaDiasHabiles: plazo as number | null,
      nota: nota as string | null,
    });
  }
  types.sort((a, b) => Number(a.id.slice(2)) - Number(b.id.slice(2)));
  const byId = new Map(types.map((t) => [t.id, t]));
  return {
    version: doc.version,
    source: doc.source,
    types,
    find: (id) => byId.get(id),
    require(id, pointer = "/actType") {
      const found = byId.get(id);
      if (found) return found;
      throw new ActError(
        "unknown_act_type",
        `El tipo de acto «${id}» no está en el catálogo del anexo 7 (${types.map((t) => t.id).join(", ")}).`,
        { pointer },
      );
    },
  };
}
