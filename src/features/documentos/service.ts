import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  checkPeriod,
  type DocumentoCatalogue,
  DocumentoError,
  type DocumentoKind,
  isPdf,
  parseDocumentoCatalogue,
  periodLabel,
} from "../../domain/documentos/kinds.ts";
import { AppError, CodedError, internalError } from "../../domain/errors.ts";
import { parseRegistroPatronal } from "../../domain/identifiers/registro-patronal.ts";
import { parseRfc } from "../../domain/identifiers/rfc.ts";
import { formatInstant, toZonaCentro } from "../../domain/time/zona-centro.ts";
import { recordBlob } from "../../platform/blobs/blob-records.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import { PACKAGE_ROOT } from "../../platform/config.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { Db } from "../../platform/db/schema.ts";
import { decodeCursor, encodeCursor } from "../promociones/service.ts";
import { createDocumentoStore, type DocumentoFilters, type DocumentoRow } from "./store.ts";

export const DOCUMENTO_CATALOGUE_FILE = "catalogos/documentos.json";

export async function loadDocumentoCatalogue(
  path = join(PACKAGE_ROOT, DOCUMENTO_CATALOGUE_FILE),
): Promise<DocumentoCatalogue> {
  const text = (await readFile(path, "utf8")).replace(/^\uFEFF/, "");
  return parseDocumentoCatalogue(JSON.parse(text));
}

/** One document to publish, as the API, the lote and the demo give it. */
export interface PublishInput {
  rfc: string;
  kind: string;
  period: string;
  registroPatronal?: string | undefined;
  /** The name it downloads with; default `<kind>-<period>[-<registro>].pdf`. */
  fileName?: string | undefined;
  document: Uint8Array;
}

export interface Publisher {
  /** The staff member's RFC, or `token … de RFC` (actorOf). */
  by: string;
  via: "api" | "linea_de_comandos" | "demo";
}

export interface Published {
  id: string;
  sha256: string;
  publishedAt: string;
  /** False when these bytes were already published as this same document. */
  created: boolean;
}

/** The particular's view of one document: the contract's fields and what the page shows. */
export interface DocumentoView {
  id: string;
  kind: string;
  period: string;
  registroPatronal: string | null;
  sha256: string;
  kindName: string;
  periodLabel: string;
  fileName: string;
  bytes: number;
  publishedAt: string;
}

const FILE_NAME_MAX = 200;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\"]/;

function notFound(): AppError {
  return new AppError("not_found", "No encontramos ese documento en tu Buzón IMSS.");
}

/**
 * «Mis documentos» (issue 12 §2; docs/documentos.md): publish (one at a time; the lote and the
 * API loop over it), the particular's list and download, and the lookup by hash behind the
 * public verification.
 */
export function createDocumentoService(options: {
  db: Db;
  clock: Clock;
  blobs: BlobStore;
  catalogue: DocumentoCatalogue;
}) {
  const { db, clock, blobs, catalogue } = options;
  const store = createDocumentoStore(db);

  const viewOf = (row: DocumentoRow): DocumentoView => {
    const kind = catalogue.find(row.kind);
    return {
      id: row.id,
      kind: row.kind,
      period: row.period,
      registroPatronal: row.registro_patronal,
      sha256: row.sha256,
      kindName: kind?.name ?? row.kind,
      periodLabel: kind ? periodLabel(kind.periodo, row.period) : row.period,
      fileName: row.file_name,
      bytes: Number(row.bytes),
      publishedAt: formatInstant(
        Temporal.Instant.fromEpochMilliseconds(row.published_at.getTime()),
      ),
    };
  };

  /** The same bytes as this same document (→ already published), or as another (→ refused). */
  function sameOrConflict(
    existing: DocumentoRow,
    wanted: Omit<
      DocumentoRow,
      "id" | "published_at" | "published_by" | "via" | "bytes" | "file_name"
    >,
  ): Published {
    const same =
      existing.rfc === wanted.rfc &&
      existing.kind === wanted.kind &&
      existing.period === wanted.period &&
      existing.registro_patronal === wanted.registro_patronal;
    if (!same) {
      // Never says whose it is: the publisher may hold a wrong file, not a right to know.
      throw new DocumentoError(
        "documento_hash_conflict",
        "Este mismo archivo (la misma huella SHA-256) ya se publicó como otro documento: revisa que el PDF sea el de este RFC, tipo y periodo.",
        { pointer: "/document" },
      );
    }
    return {
      id: existing.id,
      sha256: existing.sha256,
      publishedAt: formatInstant(
        Temporal.Instant.fromEpochMilliseconds(existing.published_at.getTime()),
      ),
      created: false,
    };
  }

  function fileNameOf(
    input: PublishInput,
    kind: DocumentoKind,
    period: string,
    registro: string | null,
  ) {
    const given = input.fileName?.trim();
    if (!given) return `${kind.id}-${period}${registro ? `-${registro}` : ""}.pdf`;
    const name = basename(given.normalize("NFC"));
    if (UNSAFE_NAME.test(name) || name.length > FILE_NAME_MAX || !/\.pdf$/i.test(name)) {
      throw new AppError(
        "validation",
        `El nombre del archivo debe terminar en .pdf, tener hasta ${FILE_NAME_MAX} caracteres y no llevar «/», «\\», comillas ni caracteres de control.`,
        { pointer: "/fileName" },
      );
    }
    return name;
  }

  return {
    catalogue: () => catalogue,

    /**
     * Publishes one document for a particular: the kind from the catalogue, the period that
     * fits it, the registro patronal that is the RFC's in the padrón (or none, when the kind
     * takes none), a PDF within the kind's size. The bytes go to the blob store first, then one
     * transaction records the blob and the document. The same bytes published again as the same
     * document answer the first publication (`created: false`); as another, a refusal.
     *
     * `authority`: the publisher's, judged again as the first statement of that transaction
     * (guard.ts `recheckRoleWithin`, the CLI's staff role), reading the session's, token's or
     * staff member's row FOR SHARE: a logout, revocation or baja committed first refuses the
     * publication, one issued meanwhile waits for its commit.
     */
    async publish(
      input: PublishInput,
      publisher: Publisher,
      hooks: { authority?: (tx: Db) => Promise<void> } = {},
    ): Promise<Published> {
      const kind = catalogue.require(input.kind, "/kind");
      const rfc = parseRfc(input.rfc, { context: "form", pointer: "/rfc" }).value;
      const now = clock();
      const period = checkPeriod(kind, input.period, toZonaCentro(now).toPlainDate(), "/period");
      const registroText = input.registroPatronal?.trim() ?? "";
      let registro: string | null = null;
      if (kind.registroPatronal === "requerido") {
        if (registroText === "") {
          throw new DocumentoError(
            "documento_registro_invalid",
            `${kind.name}: indica el registro patronal al que corresponde.`,
            { pointer: "/registroPatronal" },
          );
        }
        registro = parseRegistroPatronal(registroText, { pointer: "/registroPatronal" }).value;
      } else if (registroText !== "") {
        throw new DocumentoError(
          "documento_registro_invalid",
          `${kind.name} es del RFC, no de un registro patronal: deja vacío el registro patronal.`,
          { pointer: "/registroPatronal" },
        );
      }
      const bytes = input.document;
      if (bytes.byteLength > kind.maxBytes) {
        throw new DocumentoError(
          "documento_too_large",
          `El PDF mide ${bytes.byteLength.toLocaleString("es-MX")} bytes: ${kind.name} admite hasta ${kind.maxBytes.toLocaleString("es-MX")}.`,
          { pointer: "/document" },
        );
      }
      if (!isPdf(bytes)) {
        throw new DocumentoError(
          "documento_not_pdf",
          "El documento no es un PDF completo (debe empezar con «%PDF-» y terminar con «%%EOF»).",
          { pointer: "/document" },
        );
      }
      const fileName = fileNameOf(input, kind, period, registro);
      const sha256 = sha256Hex(bytes);
      const wanted = { rfc, kind: kind.id, period, registro_patronal: registro, sha256 };
      const existing = await store.bySha256(sha256);
      if (existing) return sameOrConflict(existing, wanted);

      const padron = await store.padronOf(rfc, registro ?? undefined);
      if (!padron.inPadron) {
        throw new DocumentoError(
          "addressee_not_in_padron",
          `El RFC ${rfc} no está en el padrón: no se le pueden publicar documentos.`,
          { pointer: "/rfc" },
        );
      }
      if (!padron.registroOwned) {
        throw new DocumentoError(
          "registro_patronal_not_of_addressee",
          `El registro patronal ${registro} no es del RFC ${rfc} en el padrón.`,
          { pointer: "/registroPatronal" },
        );
      }

      // Bytes first, outside the transaction (blob-records.ts): an orphan is harmless.
      await blobs.put(bytes);
      const row: DocumentoRow = {
        id: randomUUID(),
        ...wanted,
        bytes: bytes.byteLength,
        file_name: fileName,
        published_at: new Date(now.epochMilliseconds),
        published_by: publisher.by,
        via: publisher.via,
      };
      const inserted = await db.transaction().execute(async (tx) => {
        if (hooks.authority) {
          // Answered, not thrown: a refusal it logged in this transaction commits with it.
          const refusal = await hooks.authority(tx).then(
            () => undefined,
            (error: unknown) => {
              if (error instanceof CodedError) return error;
              throw error;
            },
          );
          if (refusal) return refusal;
        }
        await recordBlob(tx, {
          sha256,
          bytes: bytes.byteLength,
          mediaType: "application/pdf",
          at: now,
        });
        return store.insert(tx, row);
      });
      if (inserted instanceof CodedError) throw inserted;
      if (!inserted) {
        // Another publication of the same bytes committed in between.
        const first = await store.bySha256(sha256);
        if (!first) throw internalError(`documento ${sha256} ni insertado ni encontrado`);
        return sameOrConflict(first, wanted);
      }
      return { id: row.id, sha256, publishedAt: formatInstant(now), created: true };
    },

    /** «Mis documentos»: the RFC's own, newest first, with filters; `next` continues. */
    async list(
      rfc: string,
      query: DocumentoFilters & { limit: number; cursor?: string | undefined },
    ): Promise<{ items: DocumentoView[]; next: string | null }> {
      const before = decodeCursor(query.cursor, "querystring:/antesDe");
      const rows = await store.list(
        rfc,
        {
          kind: query.kind,
          period: query.period,
          registroPatronal: query.registroPatronal?.trim().toUpperCase(),
        },
        before,
        query.limit,
      );
      const last = rows.at(-1);
      return {
        items: rows.map(viewOf),
        next: rows.length === query.limit && last ? encodeCursor(last.published_at, last.id) : null,
      };
    },

    /** One of the RFC's documents; 404 for any other, whoever's it is. */
    async detail(rfc: string, id: string): Promise<DocumentoView> {
      const row = await store.ownById(rfc, id);
      if (!row) throw notFound();
      return viewOf(row);
    },

    /**
     * The bytes of one of the RFC's documents. The store re-hashes them on every read and
     * refuses altered bytes (blob_corrupt); they are also held to the size recorded.
     */
    async download(rfc: string, id: string): Promise<{ view: DocumentoView; bytes: Buffer }> {
      const row = await store.ownById(rfc, id);
      if (!row) throw notFound();
      const bytes = await blobs.get(row.sha256);
      return { view: viewOf(row), bytes };
    },

    /**
     * What the public verification may say of a document by its hash: that the Institute
     * published it in «Mis documentos», its kind, period and date — never the RFC, the name or
     * the registro patronal, since whoever asks may hold only the hash, not the file.
     */
    async publicFacts(sha256: string) {
      const row = await store.bySha256(sha256.toLowerCase());
      if (!row) return undefined;
      const view = viewOf(row);
      return {
        kind: view.kind,
        kindName: view.kindName,
        period: view.period,
        periodLabel: view.periodLabel,
        publishedOn: view.publishedAt.slice(0, 10),
      };
    },
  };
}

export type DocumentoService = ReturnType<typeof createDocumentoService>;
