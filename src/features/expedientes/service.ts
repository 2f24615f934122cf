import { Buffer } from "node:buffer";
import type { DocumentoCatalogue } from "../../domain/documentos/kinds.ts";
import { periodLabel } from "../../domain/documentos/kinds.ts";
import { AppError } from "../../domain/errors.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseFolio } from "../../domain/evidence/folio.ts";
import type { ActCatalogue } from "../../domain/notificaciones/catalogo.ts";
import type { PromocionCatalogue } from "../../domain/promociones/catalogo.ts";
import { type PromocionEventType, projectPromocion } from "../../domain/promociones/lifecycle.ts";
import { formatInstant, ZONA_CENTRO } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import type { Db } from "../../platform/db/schema.ts";
import { notificacionPath, PAGE_PATHS, promocionPath } from "../../platform/http/page-paths.ts";
import type { NotificacionService } from "../notificaciones/service.ts";
import {
  EXPEDIENTE_CLASES,
  EXPEDIENTES_PAGE,
  type ExpedienteClase,
  type ExpedienteFilters,
  type ExpedienteItem,
} from "./schemas.ts";
import { searchWords, typesMatching } from "./search.ts";
import {
  createExpedienteStore,
  type ExpedienteKey,
  type PageQuery,
  pageStatement,
} from "./store.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CURSOR = /^v1\|([^|]+)\|([a-z]+)\|([^|]+)$/;
/** Rounds of reading a page may take when notifications its addressee cannot see are skipped. */
const MAX_ROUNDS = 10;

const instantOf = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

function refuse(pointer: string, detail: string): AppError {
  return new AppError("validation", detail, { errors: [{ pointer, detail }] });
}

/** Opaque keyset cursor: the last item's instant, class and id. */
export function encodeCursor(key: ExpedienteKey): string {
  return Buffer.from(`v1|${key.at.toISOString()}|${key.clase}|${key.id}`, "utf8").toString(
    "base64url",
  );
}

export function decodeCursor(cursor: string | undefined): ExpedienteKey | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const invalid = () =>
    new AppError(
      "invalid_cursor",
      "El cursor de paginación no es válido: usa el que devolvió la página anterior.",
      { errors: [{ pointer: "querystring:/antesDe", detail: "Cursor inválido." }] },
    );
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  const m = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const at = m ? new Date(m[1] ?? "") : undefined;
  const clase = m?.[2] as ExpedienteClase | undefined;
  const id = m?.[3];
  if (
    !at ||
    Number.isNaN(at.getTime()) ||
    !clase ||
    !EXPEDIENTE_CLASES.includes(clase) ||
    !id ||
    !UUID.test(id)
  ) {
    throw invalid();
  }
  return { at, clase, id };
}

/** 00:00 Zona Centro of a YYYY-MM-DD day (plus `days`), or a 400 naming the field. */
export function dayStart(text: string, field: string, days = 0): Date {
  let date: Temporal.PlainDate;
  try {
    date = Temporal.PlainDate.from(text, { overflow: "reject" });
  } catch {
    throw refuse(
      `querystring:/${field}`,
      `La fecha «${text}» de «${field}» no existe en el calendario.`,
    );
  }
  if (date.year < 2000 || date.year > 2100) {
    throw refuse(
      `querystring:/${field}`,
      `La fecha «${text}» de «${field}» está fuera de rango (2000–2100).`,
    );
  }
  const zoned = date.add({ days }).toZonedDateTime({ timeZone: ZONA_CENTRO });
  return new Date(zoned.epochMilliseconds);
}

const acuseLinks = (folio: string, codigo: string) => ({
  folio,
  codigo,
  pdf: `/api/v1/acuses/${encodeURIComponent(folio)}/pdf?codigo=${encodeURIComponent(codigo)}`,
  verification: `${PAGE_PATHS.verification.replace(":folio?", encodeURIComponent(folio))}?codigo=${encodeURIComponent(codigo)}`,
});

interface Hydrated {
  key: ExpedienteKey;
  /** Without acuses' codes yet: the folios to look up. */
  item: Omit<ExpedienteItem, "acuses">;
  folios: string[];
}

/**
 * «Mis expedientes» (issue 12 §4; docs/expedientes.md): one searchable list of what the
 * Institute and the person exchanged — notifications (as «Mis notificaciones» shows them: the
 * notifications' own projection decides), promociones, documents and comunicados — newest
 * first, with every acuse of each item, a page at a time or whole (the CSV).
 */
export function createExpedienteService(options: {
  db: Db;
  clock: Clock;
  notificaciones: Pick<NotificacionService, "visibleItems">;
  actCatalogue: ActCatalogue;
  promocionCatalogue: PromocionCatalogue;
  documentoCatalogue: DocumentoCatalogue;
}) {
  const { db, clock, notificaciones } = options;
  const store = createExpedienteStore(db);
  const typeLists: Partial<Record<ExpedienteClase, readonly { id: string; name: string }[]>> = {
    notificacion: options.actCatalogue.types,
    promocion: options.promocionCatalogue.types,
    documento: options.documentoCatalogue.kinds,
  };

  /** The filters as the store reads them; every bad one is a 400 in Spanish. */
  async function queryOf(
    rfc: string,
    filters: ExpedienteFilters,
  ): Promise<Omit<PageQuery, "after" | "limit">> {
    const from = filters.desde === undefined ? undefined : dayStart(filters.desde, "desde");
    const until = filters.hasta === undefined ? undefined : dayStart(filters.hasta, "hasta", 1);
    if (from && until && from >= until) {
      throw refuse("querystring:/hasta", "«hasta» no puede ser anterior a «desde».");
    }
    const words = searchWords(filters.q).map((word) => ({
      word,
      types: Object.fromEntries(
        Object.entries(typeLists).map(([clase, types]) => [
          clase,
          typesMatching(word, types ?? []),
        ]),
      ),
    }));
    // A folio typed whole finds the act whose timeline names it (promociones carry theirs).
    const folio = filters.q?.trim().toUpperCase();
    let folioActs: string[] = [];
    if (folio && /^[A-Z]{1,8}-\d{8}-\d{9}(-\d{4})?$/.test(folio)) {
      try {
        parseFolio(folio);
        folioActs = await store.actsWithFolio(rfc, folio);
      } catch {
        folioActs = [];
      }
    }
    return {
      rfc,
      now: new Date(clock().epochMilliseconds),
      clases: filters.clase ? [filters.clase] : EXPEDIENTE_CLASES,
      words,
      folioActs,
      from,
      until,
      registroPatronal: filters.registroPatronal?.toUpperCase(),
    };
  }

  /**
   * The items of these keys (in their order; notifications their addressee does not see drop)
   * and the verification codes of their acuses, by folio. The acts' rows and everything else are
   * read at once; only the notifications' projection waits for their rows.
   */
  async function hydrate(
    rfc: string,
    keys: readonly ExpedienteKey[],
  ): Promise<{ hydrated: Hydrated[]; codes: Map<string, string> }> {
    const ids = (clase: ExpedienteClase) => keys.filter((k) => k.clase === clase).map((k) => k.id);
    const [acts, details] = await Promise.all([
      store.notificaciones(ids("notificacion")),
      store.details(rfc, {
        notificaciones: ids("notificacion"),
        promociones: ids("promocion"),
        documentos: ids("documento"),
        comunicados: ids("comunicado"),
      }),
    ]);
    const { promociones: promos, documentos: docs, comunicados: coms, seals } = details;
    const byKey = new Map<string, Hydrated>();
    const put = (key: ExpedienteKey | undefined, h: Omit<Hydrated, "key">) => {
      if (key) byKey.set(`${key.clase}|${key.id}`, { key, ...h });
    };
    const keyOf = (clase: ExpedienteClase, id: string) =>
      keys.find((k) => k.clase === clase && k.id === id);

    // Without acts the projection has nothing to decide (and its calendars need not be read).
    const visible =
      acts.rows.length === 0 ? [] : await notificaciones.visibleItems(acts.rows, acts.events);
    for (const { item, events } of visible) {
      put(keyOf("notificacion", item.id), {
        item: {
          clase: "notificacion",
          id: item.id,
          title: item.actTypeName,
          typeName: item.actTypeName,
          reference: item.oficio,
          registroPatronal: item.registroPatronal,
          date: item.avisoAt,
          state: item.state,
          link: notificacionPath(item.id),
          download: null,
        },
        folios: events.flatMap((e) => (e.acuse_folio ? [e.acuse_folio] : [])),
      });
    }
    for (const row of promos) {
      const events = row.events;
      put(keyOf("promocion", row.id), {
        item: {
          clase: "promocion",
          id: row.id,
          title: row.subject,
          typeName: options.promocionCatalogue.find(row.type)?.name ?? row.type,
          reference: row.acuse_folio,
          registroPatronal: null,
          date: formatInstant(instantOf(row.sent_at)),
          state: projectPromocion(events.map((e) => ({ type: e.type as PromocionEventType }))),
          link: promocionPath(row.id),
          download: null,
        },
        folios: [
          row.acuse_folio,
          ...events.flatMap((e) =>
            e.acuse_folio && e.type !== "nota_interna" ? [e.acuse_folio] : [],
          ),
        ],
      });
    }
    for (const row of docs) {
      const kind = options.documentoCatalogue.find(row.kind);
      const label = kind ? periodLabel(kind.periodo, row.period) : row.period;
      const params = new URLSearchParams({ tipo: row.kind, periodo: row.period });
      if (row.registro_patronal) params.set("registro", row.registro_patronal);
      put(keyOf("documento", row.id), {
        item: {
          clase: "documento",
          id: row.id,
          title: `${kind?.name ?? row.kind} — ${label}`,
          typeName: kind?.name ?? row.kind,
          reference: row.period,
          registroPatronal: row.registro_patronal,
          date: formatInstant(instantOf(row.published_at)),
          state: null,
          link: `${PAGE_PATHS.documentos}?${params}`,
          download: `/api/v1/documentos/${row.id}/archivo`,
        },
        folios: [],
      });
    }
    for (const row of coms) {
      put(keyOf("comunicado", row.id), {
        item: {
          clase: "comunicado",
          id: row.id,
          title: row.title,
          typeName: "Comunicado",
          reference: null,
          registroPatronal: null,
          date: formatInstant(instantOf(row.published_at)),
          state: row.read_at ? "leido" : "sin_leer",
          link: `${PAGE_PATHS.comunicados}?abierto=${row.id}`,
          download: null,
        },
        folios: [],
      });
    }
    return {
      hydrated: keys.flatMap((k) => byKey.get(`${k.clase}|${k.id}`) ?? []),
      codes: new Map(seals.map((a) => [a.folio, verificationCodeOf(a.seal)])),
    };
  }

  /** Every acuse of these items whose party is the RFC (those `codes` has), with its links. */
  function withAcuses(hydrated: Hydrated[], codes: Map<string, string>): ExpedienteItem[] {
    return hydrated.map(({ item, folios: own }) => ({
      ...item,
      acuses: [...new Set(own)].flatMap((folio) => {
        const code = codes.get(folio);
        return code ? [acuseLinks(folio, code)] : [];
      }),
    }));
  }

  /** One page: up to `limit` items after `after`, and the key to continue from, if any. */
  async function pageOf(
    rfc: string,
    query: Omit<PageQuery, "after" | "limit">,
    after: ExpedienteKey | undefined,
    limit: number,
  ): Promise<{ items: ExpedienteItem[]; next: ExpedienteKey | null }> {
    const kept: Hydrated[] = [];
    const codes = new Map<string, string>();
    let position = after;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // One more than asked tells whether a next page exists.
      const want = limit + 1 - kept.length;
      const keys = await store.pageKeys({ ...query, after: position, limit: want });
      const read = await hydrate(rfc, keys);
      kept.push(...read.hydrated);
      for (const [folio, code] of read.codes) codes.set(folio, code);
      position = keys.at(-1) ?? position;
      if (keys.length < want || kept.length > limit) {
        const page = kept.slice(0, limit);
        const more = kept.length > limit;
        return {
          items: withAcuses(page, codes),
          next: more ? (page.at(-1)?.key ?? null) : null,
        };
      }
    }
    // Many acts in a row the person cannot see: the page ends where reading stopped.
    return { items: withAcuses(kept, codes), next: position ?? null };
  }

  return {
    async list(
      rfc: string,
      filters: ExpedienteFilters & { antesDe?: string | undefined; limite?: number | undefined },
    ): Promise<{ items: ExpedienteItem[]; next: string | null }> {
      const after = decodeCursor(filters.antesDe);
      const query = await queryOf(rfc, filters);
      const page = await pageOf(rfc, query, after, filters.limite ?? EXPEDIENTES_PAGE);
      return { items: page.items, next: page.next ? encodeCursor(page.next) : null };
    },

    /** The whole list (the CSV), read a page at a time: memory stays one page. */
    async *all(rfc: string, filters: ExpedienteFilters): AsyncGenerator<ExpedienteItem> {
      const query = await queryOf(rfc, filters);
      let after: ExpedienteKey | undefined;
      for (;;) {
        const page = await pageOf(rfc, query, after, 200);
        yield* page.items;
        if (!page.next) return;
        after = page.next;
      }
    },

    /** The bare statement of one page (the benchmark's baseline). */
    async keysOnly(rfc: string, filters: ExpedienteFilters, limit: number) {
      return store.pageKeys({ ...(await queryOf(rfc, filters)), limit });
    },

    /** That statement unexecuted, to look at its plan (the benchmark's BENCH_EXPLAIN). */
    async pageStatement(rfc: string, filters: ExpedienteFilters, limit: number) {
      return pageStatement({ ...(await queryOf(rfc, filters)), limit });
    },
  };
}

export type ExpedienteService = ReturnType<typeof createExpedienteService>;
