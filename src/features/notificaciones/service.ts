import { Buffer } from "node:buffer";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { AppError, CodedError } from "../../domain/errors.ts";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { parseRfc } from "../../domain/identifiers/rfc.ts";
import { type ActCatalogue, parseActCatalogue } from "../../domain/notificaciones/catalogo.ts";
import type { NotificacionState } from "../../domain/notificaciones/lifecycle.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { CalendarService } from "../calendario/service.ts";
import {
  createDeposit,
  type DepositHooks,
  type DepositInput,
  type DepositOptions,
  type Depositor,
} from "./deposit.ts";
import { createDocumentDownload, type DocumentReader } from "./documento.ts";
import type {
  Deposited,
  NotificacionDetail,
  NotificacionItem,
  StaffDetail,
  StaffItem,
} from "./schemas.ts";
import {
  acuseSealsOf,
  eventsOf,
  type Keyset,
  listNotificaciones,
  listNotificacionesWithEvents,
  type NotificacionEventRow,
  type NotificacionRow,
  type NotificacionSummaryRow,
  notificacionById,
} from "./store.ts";
import {
  type ActView,
  detailOf,
  itemOf,
  staffDetailOf,
  staffItemOf,
  type ViewContext,
  viewOf,
} from "./views.ts";

/** The catalogue of annex 7 shipped with the code. */
export const ACT_CATALOGUE_FILE = "catalogos/actos-anexo-7.json";

/**
 * Idempotency keys of the acts that answer a promoción (promociones/atencion.ts): only a deposit
 * that records the answer in its own transaction (with `hooks.record`) may use them, so an act
 * deposited by the general routes can never hold a promoción's answer key.
 */
export const RESERVED_KEY_PREFIX = "promocion:";

function reservedKeyRefused(): AppError {
  const detail = `Las claves que empiezan con «${RESERVED_KEY_PREFIX}» son de las respuestas a promociones, que se depositan desde «Atención de promociones». Usa otra clave de idempotencia.`;
  return new AppError("validation", detail, {
    errors: [{ pointer: "/idempotencyKey", detail }],
  });
}

/** Reads and validates the catalogue (a start-up refusal when it is not valid). */
export async function loadActCatalogue(
  path = join(PACKAGE_ROOT, ACT_CATALOGUE_FILE),
): Promise<ActCatalogue> {
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  return parseActCatalogue(JSON.parse(text));
}

export interface NotificacionServiceOptions extends Omit<DepositOptions, "calendar" | "catalogue"> {
  db: Db;
  clock: Clock;
  catalogue: ActCatalogue;
  calendars: CalendarService;
  blobs: BlobStore;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Never says whether someone else's act exists (issue 11: 404, never 403). */
function notFound(): AppError {
  return new AppError("not_found", "No encontramos esa notificación en tu Buzón IMSS.");
}

/** Opaque keyset cursor: the last row's deposit instant and id. */
export function encodeCursor(row: Pick<NotificacionRow, "deposited_at" | "id">): string {
  return Buffer.from(`${row.deposited_at.toISOString()}|${row.id}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string | undefined, pointer: string): Keyset | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = at ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id || !UUID.test(id)) {
    const detail = "El cursor de paginación no es válido: usa el que devolvió la página anterior.";
    throw new AppError("validation", detail, { errors: [{ pointer, detail }] });
  }
  return { depositedAt: date, id };
}

/**
 * Electronic notifications (issue 11): the deposit (deposit.ts), «Mis notificaciones» of the
 * signed-in particular (list ≠ open: reading the list changes nothing), the detail with its
 * timeline and the engine's dates, the document once notified, and the staff follow-up.
 *
 * Extension points for the later use cases (docs/notificaciones.md): `actView(id)` gives the
 * act's row, projection and engine dates at now; `context()` the calendars in force; the store's
 * `appendNotificacionEvent` writes an event (once-only types are no-ops when repeated).
 */
export function createNotificacionService(options: NotificacionServiceOptions) {
  const { db, catalogue, calendars, blobs } = options;
  const deposit = createDeposit({
    ...options,
    calendar: () => calendars.calendar(),
  });
  const download = createDocumentDownload({ db, blobs, context: () => context() });

  /**
   * A chunk of acts (the batch; one act is a chunk of one): each act's answer — its state read
   * as the list reads it — or its refusal, in input order.
   */
  async function depositMany(
    inputs: readonly (DepositInput | CodedError)[],
    depositor: Depositor,
    hooks?: DepositHooks,
  ): Promise<((Deposited & { created: boolean }) | CodedError)[]> {
    const checked = inputs.map((input) =>
      !hooks?.record &&
      !(input instanceof CodedError) &&
      input.idempotencyKey.trim().startsWith(RESERVED_KEY_PREFIX)
        ? reservedKeyRefused()
        : input,
    );
    const outcomes = await deposit.many(checked, depositor, hooks);
    const rows = outcomes.flatMap((o) => (o instanceof CodedError ? [] : [o.row]));
    if (rows.length === 0) return outcomes as CodedError[];
    const [events, ctx] = await Promise.all([
      eventsOf(
        db,
        rows.map((r) => r.id),
      ),
      context(),
    ]);
    return outcomes.map((o) => {
      if (o instanceof CodedError) return o;
      // The state only: the shared clock of the aviso's date (the lists') gives it.
      const view = viewOf(o.row, events.get(o.row.id) ?? [], ctx);
      return {
        id: o.row.id,
        state: view.projection.state,
        depositedAt: formatInstant(
          Temporal.Instant.fromEpochMilliseconds(o.row.deposited_at.getTime()),
        ),
        avisoAt: formatInstant(Temporal.Instant.fromEpochMilliseconds(o.row.aviso_at.getTime())),
        created: o.created,
      };
    });
  }

  async function context(): Promise<ViewContext> {
    const { imss, tfja } = await calendars.current();
    return { imss, tfja, catalogue, now: options.clock() };
  }

  async function views(
    rows: NotificacionSummaryRow[],
    ctx: ViewContext,
    read?: Map<string, NotificacionEventRow[]>,
  ) {
    const events =
      read ??
      (await eventsOf(
        db,
        rows.map((r) => r.id),
      ));
    return rows.map((row) => {
      const own = events.get(row.id) ?? [];
      return { view: viewOf(row, own, ctx), events: own };
    });
  }

  /** One act with its own full clock (explanation and warnings of its exact aviso). */
  async function one(row: NotificacionRow) {
    const events = (await eventsOf(db, [row.id])).get(row.id) ?? [];
    return { view: viewOf(row, events, await context(), true), events };
  }

  /** The act `id` if it is addressed to `rfc`; any other case is the same 404. */
  async function ownAct(rfc: string, id: string): Promise<NotificacionRow> {
    if (!UUID.test(id)) throw notFound();
    const row = await notificacionById(db, id);
    if (!row || row.rfc !== rfc) throw notFound();
    return row;
  }

  /** The verification codes of these acuses (the last characters of each seal). */
  async function codesOf(folios: readonly string[], rfc?: string): Promise<Map<string, string>> {
    const seals = await acuseSealsOf(db, folios, rfc);
    return new Map(seals.map((a) => [a.folio, verificationCodeOf(a.seal)]));
  }

  /**
   * Whether the particular sees it: from the aviso's instant on (lifecycle), never before; an
   * act cancelled before that instant was never made available, and one on estrados is not in
   * the mailbox.
   */
  function visible(view: ActView): boolean {
    return view.projection.visibleToAddressee;
  }

  return {
    catalogue: () => catalogue,
    context,

    /** One act (POST /api/v1/notificaciones): a chunk of one, its refusal thrown. */
    async deposit(
      input: DepositInput,
      depositor: Depositor,
      hooks?: DepositHooks,
    ): Promise<Deposited & { created: boolean }> {
      const [result] = await depositMany([input], depositor, hooks);
      if (result instanceof CodedError) throw result;
      return result!;
    },

    depositMany,

    /**
     * The particular's acts, newest first, from the aviso's instant on (an act not yet available
     * is not shown). Keyset pages: `next` is the cursor after the last row read.
     */
    async list(
      rfc: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<{ items: NotificacionItem[]; next: string | null }> {
      const [ctx, { rows, events }] = await Promise.all([
        context(),
        listNotificacionesWithEvents(db, {
          rfc,
          before: decodeCursor(query.cursor, "querystring:/antesDe"),
          limit: query.limit,
        }),
      ]);
      const items = (await views(rows, ctx, events))
        .filter(({ view }) => visible(view))
        .map(({ view }) => itemOf(view));
      const last = rows.at(-1);
      return { items, next: rows.length === query.limit && last ? encodeCursor(last) : null };
    },

    /**
     * Of these acts, those their addressee sees now (the list's rule), with their items and
     * events, in the given order: «Mis expedientes» reads its rows (and their events, when it
     * read them with the rows) and asks this.
     */
    async visibleItems(
      rows: NotificacionSummaryRow[],
      events?: Map<string, NotificacionEventRow[]>,
    ): Promise<{ item: NotificacionItem; events: NotificacionEventRow[] }[]> {
      const ctx = await context();
      return (await views(rows, ctx, events))
        .filter(({ view }) => visible(view))
        .map(({ view, events }) => ({ item: itemOf(view), events }));
    },

    async detail(rfc: string, id: string): Promise<NotificacionDetail> {
      const row = await ownAct(rfc, id);
      const { view, events } = await one(row);
      if (!visible(view)) throw notFound();
      const detail = detailOf(view, events);
      // The addressee's own acuses come with their verification codes, so the page links each
      // to the public verification and its PDF without the person typing anything.
      const folios = detail.timeline.flatMap((t) => (t.acuse ? [t.acuse] : []));
      if (folios.length === 0) return detail;
      const codes = await codesOf(folios, rfc);
      return {
        ...detail,
        timeline: detail.timeline.map((t) => {
          const code = t.acuse ? codes.get(t.acuse) : undefined;
          return code ? { ...t, acuseCodigo: code } : t;
        }),
      };
    },

    /**
     * The PDF, once notified (issue 11 §6): before, a 403 saying how to open it. The first
     * download after a notification by law is recorded (documento.ts).
     */
    async document(reader: DocumentReader, id: string): Promise<{ name: string; bytes: Buffer }> {
      return download(reader, await ownAct(reader.rfc, id));
    },

    /** The act as everything else reads it: row, projection and dates now (or a 404). */
    async actView(
      id: string,
    ): Promise<{ view: ActView<NotificacionRow>; events: NotificacionEventRow[] }> {
      if (!UUID.test(id)) throw notFound();
      const row = await notificacionById(db, id);
      if (!row) throw notFound();
      const { view, events } = await one(row);
      return { view: view, events: events };
    },

    /**
     * One act as the staff follow it (issue 11 §5): its follow-up item and every event in legal
     * order (views.ts, inLegalOrder), each with its acuse's folio and who. `withCodes`: the staff who
     * receive the evidence package (notificador, administrador, auditor) get each acuse's
     * verification code too, so the page links its PDF and verification; the others, only the
     * folio (the code is printed on the acuse).
     */
    async staffDetail(id: string, options: { withCodes: boolean }): Promise<StaffDetail> {
      const row = UUID.test(id) ? await notificacionById(db, id) : undefined;
      if (!row) throw new AppError("not_found", "No hay un acto con ese identificador.");
      const { view, events } = await one(row);
      const detail = staffDetailOf(view, events);
      if (!options.withCodes) return detail;
      const codes = await codesOf(detail.timeline.flatMap((t) => (t.acuse ? [t.acuse] : [])));
      return {
        ...detail,
        timeline: detail.timeline.map((t) => {
          const code = t.acuse ? codes.get(t.acuse) : undefined;
          return code ? { ...t, acuseCodigo: code } : t;
        }),
      };
    },

    /**
     * The staff follow-up: every act newest first, by RFC, state and act type. The state is a
     * projection (it moves with time), so it is filtered after projecting: a page reads rows
     * until it has `limit` matches or has read SCAN_LIMIT, and `next` resumes after the last read.
     */
    async staffList(query: {
      rfc?: string | undefined;
      state?: NotificacionState | undefined;
      actType?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    }): Promise<{ items: StaffItem[]; next: string | null }> {
      const rfc =
        query.rfc === undefined || query.rfc.trim() === ""
          ? undefined
          : parseRfc(query.rfc, { context: "certificate", pointer: "querystring:/rfc" }).value;
      if (query.actType !== undefined) catalogue.require(query.actType, "querystring:/actType");
      const ctx = await context();
      const items: StaffItem[] = [];
      let before = decodeCursor(query.cursor, "querystring:/cursor");
      let read = 0;
      let more = true;
      while (items.length < query.limit && read < SCAN_LIMIT) {
        const batch = Math.min(Math.max(query.limit * 2, 50), SCAN_LIMIT - read);
        const rows = await listNotificaciones(db, {
          rfc,
          actType: query.actType,
          before,
          limit: batch,
        });
        read += rows.length;
        let seen = 0;
        for (const { view } of await views(rows, ctx)) {
          seen++;
          before = { depositedAt: view.row.deposited_at, id: view.row.id };
          if (query.state !== undefined && view.projection.state !== query.state) continue;
          items.push(staffItemOf(view));
          if (items.length === query.limit) break;
        }
        if (rows.length < batch && seen === rows.length) {
          more = false;
          break;
        }
      }
      return {
        items,
        next:
          more && before !== undefined
            ? encodeCursor({ deposited_at: before.depositedAt, id: before.id })
            : null,
      };
    },
  };
}

/** Rows one staff page reads at most when filtering by state. */
const SCAN_LIMIT = 5000;

export type NotificacionService = ReturnType<typeof createNotificacionService>;
