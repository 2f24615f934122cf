import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Audience,
  type CheckedComunicado,
  type ComunicadoInput,
  checkComunicado,
  parseSubdelegaciones,
  type Subdelegacion,
} from "../../domain/comunicados/comunicado.ts";
import { AppError } from "../../domain/errors.ts";
import { formatInstant } from "../../domain/time/zona-centro.ts";
import type { Clock } from "../../platform/clock.ts";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import type { Db } from "../../platform/db/schema.ts";
import { enqueueMany, type MessageTemplate } from "../delivery/outbox.ts";
import { escapeHtml } from "../notificaciones/templates.ts";
import { decodeCursor, encodeCursor } from "../promociones/service.ts";
import { type ComunicadoRow, createComunicadoStore, type ReaderRow } from "./store.ts";

export const SUBDELEGACIONES_FILE = "catalogos/subdelegaciones.json";

export async function loadSubdelegaciones(
  path = join(PACKAGE_ROOT, SUBDELEGACIONES_FILE),
): Promise<readonly Subdelegacion[]> {
  return parseSubdelegaciones(JSON.parse((await readFile(path, "utf8")).replace(/^\uFEFF/, "")));
}

/** The e-mail of a comunicado: its title and where to read it; never anything of the reader. */
export const COMUNICADO_TEMPLATE = "comunicado";

export const comunicadoTemplates: Record<string, MessageTemplate> = {
  [COMUNICADO_TEMPLATE]: {
    subject: (d) => `Comunicado del IMSS: ${d.titulo}`,
    text: (d) =>
      [
        "Comunicado del Instituto Mexicano del Seguro Social — Buzón IMSS",
        "",
        `  ${d.titulo}`,
        "",
        `Consúltalo en «Mis comunicados» de tu Buzón IMSS: ${d.enlace}`,
        "",
        "El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.",
      ].join("\n"),
    html: (d) => `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Comunicado del IMSS</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;color:#212121;max-width:600px">
<h1 style="font-size:20px;color:#611232">Comunicado del IMSS</h1>
<p><strong>${escapeHtml(d.titulo ?? "")}</strong></p>
<p>Consúltalo en «Mis comunicados» de tu Buzón IMSS: <a href="${escapeHtml(d.enlace ?? "")}">${escapeHtml(d.enlace ?? "")}</a></p>
<p style="font-size:12px;color:#555">El IMSS nunca te pedirá tu e.firma, su contraseña ni códigos por correo o por teléfono.</p>
</body></html>`,
    sms: (d) => `IMSS: nuevo comunicado en tu Buzón IMSS. ${d.enlace}`,
  },
};

/** What the particular reads in the list (the contract's fields, then the page's). */
export interface ComunicadoItem {
  id: string;
  title: string;
  publishedAt: string;
  read: boolean;
  readAt: string | null;
  excerpt: string;
}

export interface ComunicadoDetail extends ComunicadoItem {
  body: string;
}

/** What staff see of a comunicado. */
export interface ComunicadoStaffView {
  id: string;
  title: string;
  body: string;
  audience: Audience;
  audienceLabel: string;
  sendEmail: boolean;
  publishedAt: string;
  scheduled: boolean;
  createdAt: string;
  createdBy: string;
  readers: number;
  emailsEnqueued: boolean | null;
}

const EXCERPT = 160;
const UNREAD_CAP = 100;
const EMAIL_PAGE = 5000;
const NO_UUID = "00000000-0000-0000-0000-000000000000";

const instantOf = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime());

function notFound(): AppError {
  return new AppError("not_found", "No encontramos ese comunicado en tu Buzón IMSS.");
}

function audienceOf(row: ComunicadoRow): Audience {
  if (row.audience === "rfc") return { kind: "rfc", rfc: row.audience_rfc ?? "" };
  if (row.audience === "subdelegacion") {
    return { kind: "subdelegacion", subdelegacion: row.audience_subdelegacion ?? "" };
  }
  return { kind: "general" };
}

function itemOf(row: ReaderRow): ComunicadoItem {
  const flat = row.body.replace(/\s+/g, " ").trim();
  return {
    id: row.id,
    title: row.title,
    publishedAt: formatInstant(instantOf(row.published_at)),
    read: row.read_at !== null,
    readAt: row.read_at ? formatInstant(instantOf(row.read_at)) : null,
    excerpt: flat.length > EXCERPT ? `${flat.slice(0, EXCERPT - 1)}…` : flat,
  };
}

/**
 * «Mis comunicados» (issue 12 §3; docs/documentos.md): staff compose, preview and schedule;
 * the particular lists what reaches them, reads and marks; the worker enqueues the e-mails of
 * those that ask for them once they are published.
 */
export function createComunicadoService(options: {
  db: Db;
  clock: Clock;
  subdelegaciones: readonly Subdelegacion[];
  publicUrl: string;
}) {
  const { db, clock, subdelegaciones } = options;
  const store = createComunicadoStore(db);
  const link = `${options.publicUrl.replace(/\/$/, "")}/buzon/comunicados`;

  const audienceLabel = (a: Audience): string => {
    switch (a.kind) {
      case "general":
        return "Todas las personas particulares";
      case "rfc":
        return `El RFC ${a.rfc}`;
      case "subdelegacion": {
        const s = subdelegaciones.find((x) => x.id === a.subdelegacion);
        return `RFC con registro patronal en ${s?.name ?? `la subdelegación ${a.subdelegacion}`}`;
      }
    }
  };

  const check = (input: ComunicadoInput): CheckedComunicado =>
    checkComunicado(input, { now: clock(), subdelegaciones });

  async function reachOf(c: CheckedComunicado): Promise<number> {
    switch (c.audience.kind) {
      case "general":
        return store.padronSize();
      case "rfc":
        return 1;
      case "subdelegacion":
        return store.segmentSize(c.claves);
    }
  }

  const staffViewOf = (
    row: ComunicadoRow & { readers?: string },
    now: Temporal.Instant,
  ): ComunicadoStaffView => {
    const audience = audienceOf(row);
    return {
      id: row.id,
      title: row.title,
      body: row.body,
      audience,
      audienceLabel: audienceLabel(audience),
      sendEmail: row.send_email,
      publishedAt: formatInstant(instantOf(row.published_at)),
      scheduled: row.published_at.getTime() > now.epochMilliseconds,
      createdAt: formatInstant(instantOf(row.created_at)),
      createdBy: row.created_by,
      readers: Number(row.readers ?? 0),
      emailsEnqueued: null,
    };
  };

  return {
    subdelegaciones: () => subdelegaciones,

    /** What would be published, without publishing: the text as stored and how many it reaches. */
    async preview(input: ComunicadoInput) {
      const c = check(input);
      return {
        title: c.title,
        body: c.body,
        audience: c.audience,
        audienceLabel: audienceLabel(c.audience),
        sendEmail: c.sendEmail,
        publishedAt: formatInstant(c.publishedAt),
        scheduled: Temporal.Instant.compare(c.publishedAt, clock()) > 0,
        reach: await reachOf(c),
      };
    },

    /** Publishes (or schedules) a comunicado: one row, whatever its audience. */
    async compose(
      input: ComunicadoInput,
      by: string,
      hooks: { record?: (tx: Db, row: ComunicadoRow) => Promise<void> } = {},
    ): Promise<ComunicadoStaffView> {
      const c = check(input);
      const now = clock();
      const row: ComunicadoRow = {
        id: randomUUID(),
        title: c.title,
        body: c.body,
        audience: c.audience.kind,
        audience_rfc: c.audience.kind === "rfc" ? c.audience.rfc : null,
        audience_subdelegacion:
          c.audience.kind === "subdelegacion" ? c.audience.subdelegacion : null,
        audience_claves: c.claves,
        send_email: c.sendEmail,
        published_at: new Date(c.publishedAt.epochMilliseconds),
        created_at: new Date(now.epochMilliseconds),
        created_by: by,
      };
      const { record } = hooks;
      if (record) {
        // Another capability's decision (a promoción answered by it) commits with the row.
        await db.transaction().execute(async (tx) => {
          await createComunicadoStore(tx).insert(row);
          await record(tx, row);
        });
      } else {
        await store.insert(row);
      }
      return staffViewOf(row, now);
    },

    /** Composes it unless this author already composed one with this title (the demo's seed). */
    async composeOnce(input: ComunicadoInput, by: string): Promise<void> {
      if (await store.byAuthorAndTitle(by, input.title.normalize("NFC").trim())) return;
      await this.compose(input, by);
    },

    /** Staff: every comunicado, newest first, with how many have read it. */
    async staffList(query: { limit: number; cursor?: string | undefined }) {
      const rows = await store.all(decodeCursor(query.cursor, "querystring:/cursor"), query.limit);
      const now = clock();
      const last = rows.at(-1);
      return {
        items: rows.map((r) => staffViewOf(r, now)),
        next: rows.length === query.limit && last ? encodeCursor(last.published_at, last.id) : null,
      };
    },

    /** «Mis comunicados»: those that reach the RFC, published by now, newest first. */
    async list(
      rfc: string,
      query: { limit: number; cursor?: string | undefined; read?: boolean | undefined },
    ) {
      const rows = await store.forReader(rfc, new Date(clock().epochMilliseconds), {
        before: decodeCursor(query.cursor, "querystring:/antesDe"),
        limit: query.limit,
        read: query.read,
      });
      const last = rows.at(-1);
      return {
        items: rows.map(itemOf),
        next: rows.length === query.limit && last ? encodeCursor(last.published_at, last.id) : null,
      };
    },

    /** One comunicado that reaches the RFC and is published; 404 otherwise (scheduled too). */
    async detail(rfc: string, id: string): Promise<ComunicadoDetail> {
      const [row] = await store.forReader(rfc, new Date(clock().epochMilliseconds), {
        limit: 1,
        id,
      });
      if (!row) throw notFound();
      return { ...itemOf(row), body: row.body };
    },

    /** Marks it read for the RFC, once (idempotent: the first instant stays). */
    async markRead(rfc: string, id: string): Promise<void> {
      const now = clock();
      const [row] = await store.forReader(rfc, new Date(now.epochMilliseconds), { limit: 1, id });
      if (!row) throw notFound();
      if (row.read_at === null) await store.markRead(id, rfc, new Date(now.epochMilliseconds));
    },

    /** Unread, for the menu's badge: counted up to 100 (`capped` says «99+»). */
    async unread(rfc: string): Promise<{ unread: number; capped: boolean }> {
      const n = await store.unread(rfc, new Date(clock().epochMilliseconds), UNREAD_CAP);
      return { unread: Math.min(n, UNREAD_CAP - 1), capped: n >= UNREAD_CAP };
    },

    /**
     * The worker's pass: for each published comunicado that asks for e-mail and has none
     * enqueued, one message per validated e-mail of an enabled mailbox it reaches (the audience
     * resolved now, page by page), then the mark that it was done. Keys are per comunicado and
     * means, so a pass cut short repeats nothing when it runs again.
     */
    async enqueueDueEmails(): Promise<number> {
      const now = clock();
      let total = 0;
      for (const c of await store.dueForEmail(new Date(now.epochMilliseconds))) {
        let after = NO_UUID;
        let messages = 0;
        for (;;) {
          const page = await store.emailPage(c, after, EMAIL_PAGE);
          if (page.length === 0) break;
          messages += await enqueueMany(
            db,
            page.map((m) => ({
              key: `comunicado:${c.id}:${m.id}`,
              channel: "correo" as const,
              to: m.value,
              template: COMUNICADO_TEMPLATE,
              data: { titulo: c.title, enlace: link },
              rfc: m.rfc,
            })),
            now,
          );
          after = page.at(-1)!.id;
          if (page.length < EMAIL_PAGE) break;
        }
        await store.recordEnvio(db, c.id, new Date(now.epochMilliseconds), messages);
        total += messages;
      }
      return total;
    },
  };
}

export type ComunicadoService = ReturnType<typeof createComunicadoService>;
