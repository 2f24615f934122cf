import { Buffer } from "node:buffer";
import { type Zippable, zipSync } from "fflate";
import type { Authority } from "../../domain/calendar/calendar.ts";
import { AppError, internalError } from "../../domain/errors.ts";
import type { AcuseExport } from "../../domain/evidence/acuse-export.ts";
import { parseCheckpointBody, parseSignedNote } from "../../domain/evidence/checkpoint.ts";
import { parseTlogProof } from "../../domain/evidence/tlog-proof.ts";
import { formatInstant, zonaCentroInstants } from "../../domain/time/zona-centro.ts";
import type { BlobStore } from "../../platform/blobs/blob-store.ts";
import type { Clock } from "../../platform/clock.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import type { Db } from "../../platform/db/schema.ts";
import type { AuthEvent } from "../auth/store.ts";
import { type CalendarService, IMSS, TFJA } from "../calendario/service.ts";
import type { EvidenceService } from "../evidence/service.ts";
import { AVISO_EVIDENCE_FORMAT } from "./aviso.ts";
import type { NotificacionService } from "./service.ts";
import type { NotificacionEventRow, NotificacionRow } from "./store.ts";
import { staffItemOf } from "./views.ts";

/**
 * The evidence package of one act (issue 11 §3): one ZIP a court, the addressee or an auditor
 * can check without trusting our servers — the signed document and its detached CMS as
 * deposited, every acuse its events carry (export JSON and PDF, whatever their kind: the aviso,
 * the opening or the constancia, a cancellation, the estrados'…), the timeline, the avisos'
 * addresses and outcomes, the calendar versions used, one checkpoint every acuse's log proof
 * leads to, SHA256SUMS and a LEEME.txt saying how to check each file with `buzon verify`,
 * `openssl` and `sha256sum`.
 *
 * The archive is deterministic: entries in a fixed order with one fixed timestamp, stored with
 * fixed compression, so the same evidence gives the same bytes (and the same SHA-256) each time
 * it is asked for. What can still change it is new evidence: a later acuse, a TSA time-stamp
 * that arrives after the acuse, a delivery attempt, the act's state as time passes.
 */

export const EVIDENCE_TIMELINE_FORMAT = "buzon-imss-linea-de-tiempo/1";
/** aviso.json's format: the aviso's evidence's (AVISO_EVIDENCE_FORMAT). */
export const EVIDENCE_AVISO_FORMAT = AVISO_EVIDENCE_FORMAT;

/** The one timestamp of every entry (DOS time has no zone: local components, read back as-is). */
const ENTRY_TIME = new Date(2000, 0, 1, 0, 0, 0);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const instantOf = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());
const instantText = (date: Date) => formatInstant(instantOf(date));

export interface EvidencePackagerOptions {
  db: Db;
  clock: Clock;
  evidence: EvidenceService;
  notificaciones: NotificacionService;
  calendars: CalendarService;
  blobs: BlobStore;
  /**
   * The aviso's evidence with whole addresses: the sweep's `avisoEvidence(id, { full: true })`
   * (addressee, instant made available, each address of both avisos with every delivery attempt,
   * the three-day term, the acuse).
   */
  avisoEvidence: (actId: string) => Promise<object | undefined>;
  /** Writes to the audit trail (auth_events): who took which act's package, and when. */
  audit: (executor: Db, event: AuthEvent) => Promise<void>;
}

/**
 * Who takes a package: a staff member by session or API token, or an operator at the command
 * line (no RFC proven: `by` names the system user).
 */
export type EvidenceReader =
  | {
      via: "sesion" | "token_api";
      rfc: string;
      sessionId?: string | undefined;
      ip?: string | undefined;
      requestId?: string | undefined;
    }
  | { via: "linea_de_comandos"; by: string };

/** One acuse as it goes into the package. */
interface PackagedAcuse {
  folio: string;
  kind: string;
  exported: AcuseExport;
  pdf: Buffer;
  event: string;
}

/** The evidence package: its file name, bytes and what it holds. */
export interface EvidencePackage {
  actId: string;
  fileName: string;
  bytes: Buffer;
  /** Entry names in archive order. */
  entries: string[];
}

function notFound(reference: string): AppError {
  return new AppError(
    "not_found",
    `No encontramos un acto notificado con el identificador o folio de acuse «${reference}».`,
  );
}

export function createEvidencePackager(options: EvidencePackagerOptions) {
  const { db, evidence, notificaciones, calendars, blobs, avisoEvidence } = options;

  /** The act named by its id or by the folio of any acuse its events carry. */
  async function actIdOf(reference: string): Promise<string> {
    const ref = reference.trim();
    if (UUID.test(ref)) return ref.toLowerCase();
    const row = await db
      .selectFrom("notificacion_events")
      .select("notificacion_id")
      .where("acuse_folio", "=", ref)
      .executeTakeFirst();
    if (!row) throw notFound(reference);
    return row.notificacion_id;
  }

  /** Every acuse of the act, in the order of its events (one entry per folio). */
  async function acusesOf(events: readonly NotificacionEventRow[]): Promise<PackagedAcuse[]> {
    const seen = new Set<string>();
    const out: PackagedAcuse[] = [];
    for (const event of events) {
      const folio = event.acuse_folio;
      if (!folio || seen.has(folio)) continue;
      seen.add(folio);
      const exported = await evidence.exportByFolio(folio);
      const row = exported
        ? await evidence.acuseByFolioAndCode(folio, exported.verificationCode)
        : undefined;
      if (!exported || !row) {
        throw internalError(`el evento ${event.type} nombra el acuse ${folio}, que no existe`);
      }
      out.push({
        folio,
        kind: exported.acuse.kind,
        exported,
        pdf: await evidence.pdfOf(row),
        event: event.type,
      });
    }
    return out;
  }

  /**
   * One checkpoint for all: the first that covers the act's latest acuse. Every export's proof
   * is re-made against it, so `buzon verify --punto-de-control checkpoint.txt` confirms each
   * one against the same signed tree; the PDFs keep the proof they were issued with.
   */
  async function alignProofs(
    acuses: PackagedAcuse[],
  ): Promise<{ checkpoint: string; proofs: Map<string, string> } | undefined> {
    const parsed = acuses
      .filter((a) => a.exported.log)
      .map((a) => ({ a, proof: parseTlogProof(a.exported.log!.proof) }));
    if (parsed.length === 0) return undefined;
    const newest = parsed.reduce((x, y) => (y.proof.index > x.proof.index ? y : x));
    const checkpoint = newest.proof.checkpoint;
    const size = parseCheckpointBody(parseSignedNote(checkpoint).text).size;
    const proofs = new Map<string, string>();
    for (const { a, proof } of parsed) {
      const text =
        proof.checkpoint === checkpoint
          ? a.exported.log!.proof
          : await evidence.tlogProofFor(a.folio, a.exported.verificationCode, size);
      proofs.set(a.folio, text);
      a.exported = { ...a.exported, log: { ...a.exported.log!, proof: text } };
    }
    return { checkpoint, proofs };
  }

  /** The calendar versions the act's dates and acuses were computed with, as published. */
  async function calendarsOf(
    row: NotificacionRow,
    events: readonly NotificacionEventRow[],
    acuses: readonly PackagedAcuse[],
    tfjaVersion: string,
  ): Promise<Map<string, unknown>> {
    const wanted = new Set<string>([`${IMSS}|${row.calendar_version}`]);
    for (const e of events) {
      const v = (e.data as { calendarVersion?: unknown } | null)?.calendarVersion;
      if (typeof v === "string") wanted.add(`${IMSS}|${v}`);
    }
    for (const a of acuses) wanted.add(`${IMSS}|${a.exported.acuse.calendarVersion}`);
    wanted.add(`${TFJA}|${tfjaVersion}`);
    const files = new Map<string, unknown>();
    for (const key of [...wanted].sort()) {
      const [authority, version] = key.split("|") as [Authority, string];
      // A version an acuse names that this system never stored (an acuse whose instant needs
      // no calendar) is not a calendar to exhibit.
      const file = await calendars.versionFile(version, authority).catch((error: unknown) => {
        if (error instanceof AppError && error.code === "not_found") return undefined;
        throw error;
      });
      if (file) files.set(`calendarios/${safeName(authority)}-${safeName(version)}.json`, file);
    }
    return files;
  }

  return {
    actIdOf,

    /**
     * The ZIP of the act `reference` (its id, or the folio of any of its acuses), handed to
     * `reader` only once the audit trail says so: who, when, which act, which bytes. The
     * record is in auth_events, not in the act's timeline, so the package stays the same bytes
     * however many times it is taken.
     */
    async packageOf(reference: string, reader: EvidenceReader): Promise<EvidencePackage> {
      const actId = await actIdOf(reference);
      const { view, events } = await notificaciones.actView(actId).catch((error: unknown) => {
        if (error instanceof AppError && error.code === "not_found") throw notFound(reference);
        throw error;
      });
      const row = view.row;
      const document = await blobs.get(row.document_sha256);
      // The store re-hashes on read; said again here because the package vouches for it.
      if (sha256Hex(document) !== row.document_sha256) {
        throw internalError(`el documento del acto ${row.id} no tiene la huella registrada`);
      }
      const acuses = await acusesOf(events);
      const aligned = await alignProofs(acuses);
      const ctx = await notificaciones.context();
      const calendarFiles = await calendarsOf(row, events, acuses, ctx.tfja.version);

      const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, "utf8");
      const files: [string, Uint8Array][] = [];
      files.push(["documento.pdf", document]);
      files.push(["documento.pdf.p7s", row.signature]);
      // The signed opening (CFF 134-I: the acuse is what the person signed): the exact text and
      // its .p7s, so `openssl cms -verify -binary -content` checks it (apertura.ts keeps both).
      for (const e of events) {
        const data = (e.data ?? {}) as { signedText?: unknown; signatureSha256?: unknown };
        if (typeof data.signedText !== "string" || typeof data.signatureSha256 !== "string") {
          continue;
        }
        const base = `apertura/${safeName(e.type)}`;
        files.push([`${base}-texto-firmado.txt`, Buffer.from(data.signedText, "utf8")]);
        files.push([`${base}-firma.p7s`, await blobs.get(data.signatureSha256)]);
      }
      const acuseNames: { folio: string; kind: string; event: string; base: string }[] = [];
      acuses.forEach((a, i) => {
        const base = `acuses/${String(i + 1).padStart(2, "0")}-${safeName(a.kind)}-${safeName(a.folio)}`;
        acuseNames.push({ folio: a.folio, kind: a.kind, event: a.event, base });
        files.push([`${base}.json`, json(a.exported)]);
        files.push([`${base}.pdf`, a.pdf]);
      });
      const staff = staffItemOf(view);
      files.push([
        "linea-de-tiempo.json",
        json({
          format: EVIDENCE_TIMELINE_FORMAT,
          acto: {
            ...staff,
            documentSha256: row.document_sha256,
            documentBytes: row.document_bytes,
            signerCertificateNumber: row.signer_certificate_number,
            calendarVersion: row.calendar_version,
            rulesVersion: row.rules_version,
          },
          calculadoAl: formatInstant(ctx.now),
          calendarioTfja: ctx.tfja.version,
          eventos: events.map((e) => ({
            evento: e.type,
            at: instantText(e.at),
            recordedAt: instantText(e.recorded_at),
            acuse: e.acuse_folio,
            actorRfc: e.actor_rfc,
            // Events written before every writer used formatInstant hold UTC (`Z`): shown in
            // Zona Centro like every other instant of the package (the rows stay as written).
            datos: zonaCentroInstants(e.data ?? {}),
          })),
          acuses: acuseNames.map((a) => ({
            folio: a.folio,
            kind: a.kind,
            evento: a.event,
            json: `${a.base}.json`,
            pdf: `${a.base}.pdf`,
          })),
        }),
      ]);
      files.push([
        "aviso.json",
        json({
          format: EVIDENCE_AVISO_FORMAT,
          estrados: row.estrados,
          ...(await avisoEvidence(row.id)),
        }),
      ]);
      for (const [name, file] of calendarFiles) files.push([name, json(file)]);
      if (aligned) {
        files.push(["checkpoint.txt", Buffer.from(aligned.checkpoint, "utf8")]);
        for (const a of acuseNames) {
          const proof = aligned.proofs.get(a.folio);
          if (proof) files.push([`${a.base}.tlog-proof`, Buffer.from(proof, "utf8")]);
        }
        const key = acuses.find((a) => a.exported.log)?.exported.log?.verifierKey;
        if (key) files.push(["verificador.txt", Buffer.from(`${key}\n`, "utf8")]);
      }
      const firstAcuse = acuseNames[0]?.base;
      files.push(["LEEME.txt", Buffer.from(readme(row, firstAcuse, aligned !== undefined))]);
      const sums = files.map(([name, bytes]) => `${sha256Hex(bytes)}  ${name}\n`).join("");
      files.push(["SHA256SUMS", Buffer.from(sums, "utf8")]);

      const zippable: Zippable = {};
      for (const [name, bytes] of files) {
        // PDFs and the CMS are already compressed or tiny: stored; text deflated at a fixed level.
        const level = name.endsWith(".pdf") || name.endsWith(".p7s") ? 0 : 6;
        zippable[name] = [new Uint8Array(bytes), { mtime: ENTRY_TIME, level }];
      }
      const bytes = Buffer.from(zipSync(zippable, { mtime: ENTRY_TIME }));
      // Nothing else is decided here: one statement, committed before a byte leaves.
      await options.audit(db, {
        at: new Date(options.clock().epochMilliseconds),
        event: "evidencia",
        outcome: "aceptado",
        reason: "paquete_entregado",
        rfc: reader.via === "linea_de_comandos" ? null : reader.rfc,
        sessionId: reader.via === "sesion" ? (reader.sessionId ?? null) : null,
        ip: reader.via === "linea_de_comandos" ? null : (reader.ip ?? null),
        requestId: reader.via === "linea_de_comandos" ? null : (reader.requestId ?? null),
        detail: {
          notificacionId: row.id,
          referencia: reference,
          rfcDelBuzon: row.rfc,
          via: reader.via,
          ...(reader.via === "linea_de_comandos" ? { by: reader.by } : {}),
          sha256: sha256Hex(bytes),
          bytes: bytes.byteLength,
        },
      });
      return {
        actId: row.id,
        fileName: `evidencia-${row.id}.zip`,
        bytes,
        entries: files.map(([name]) => name),
      };
    },
  };
}

/** Names inside the archive: letters, digits, «.», «_» and «-» only. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

function readme(row: NotificacionRow, firstAcuse: string | undefined, withLog: boolean): string {
  const acuse = firstAcuse ?? "acuses/01-<tipo>-<folio>";
  const lines = [
    "PAQUETE DE EVIDENCIA DE UNA NOTIFICACIÓN ELECTRÓNICA — BUZÓN IMSS",
    "",
    `Acto: ${row.id}`,
    `Oficio: ${row.oficio} (${row.issuing_unit})`,
    `Destinatario: RFC ${row.rfc}${row.registro_patronal ? `, registro patronal ${row.registro_patronal}` : ""}`,
    `Documento: ${row.document_name} — SHA-256 ${row.document_sha256} (${row.document_bytes} bytes)`,
    `Firmado por: RFC ${row.signer_rfc}, certificado ${row.signer_certificate_number}`,
    "",
    "CONTENIDO",
    "  documento.pdf           el acto tal como se depositó (se releyó del almacén y se comprobó su SHA-256)",
    "  documento.pdf.p7s       la firma electrónica (CMS desprendido, DER) de quien firmó el acto",
    "  apertura/<evento>-texto-firmado.txt  si se abrió: el texto exacto que la persona firmó con su e.firma",
    "  apertura/<evento>-firma.p7s          su firma (CMS desprendido, DER); se comprueba con",
    "     openssl cms -verify -binary -content apertura/abierta-texto-firmado.txt -inform DER -in apertura/abierta-firma.p7s -noverify -out /dev/null",
    "  acuses/NN-<tipo>-<folio>.json        cada acuse del acto exportado (formato buzon-imss-acuse/1)",
    "  acuses/NN-<tipo>-<folio>.pdf         el mismo acuse en PDF, firmado con el sello del Instituto",
    "  acuses/NN-<tipo>-<folio>.tlog-proof  su prueba de inclusión en el registro público",
    "  linea-de-tiempo.json    los eventos del acto en el orden en que se registraron (instante legal y de registro,",
    "                          hora de la Zona Centro, -06:00) y sus fechas",
    "  aviso.json              cada dirección a la que se envió el aviso (completa, con la clave de su mensaje) y el",
    "                          resultado de cada intento de entrega; el plazo de tres días («term») o, de un acto",
    "                          cancelado, la cancelación y su efecto («cancellation»; «term» nulo: no corre)",
    "  calendarios/            las versiones exactas de los calendarios con que se calcularon las fechas",
    "  checkpoint.txt          el punto de control firmado del registro contra el que se dan las pruebas",
    "  verificador.txt         la clave de verificación del registro que trae el paquete",
    "  SHA256SUMS              la huella SHA-256 de cada archivo anterior",
    "",
    "CÓMO VERIFICAR",
    "",
    "1. Que ningún archivo cambió:",
    "     sha256sum -c SHA256SUMS",
    "",
    "2. Que el documento es el que se firmó y quién lo firmó (OpenSSL):",
    "     openssl cms -verify -binary -content documento.pdf -inform DER -in documento.pdf.p7s -noverify -out /dev/null",
    "   «Verification successful» significa que la firma ampara exactamente esos bytes. Para comprobar",
    "   además la cadena del certificado contra la autoridad certificadora del SAT:",
    "     openssl cms -verify -binary -content documento.pdf -inform DER -in documento.pdf.p7s -CAfile ac-sat.pem -out /dev/null",
    "   El certificado del firmante se extrae con:",
    "     openssl cms -cmsout -print -inform DER -in documento.pdf.p7s | less",
    "     openssl pkcs7 -inform DER -in documento.pdf.p7s -print_certs",
    `   La huella del documento debe ser ${row.document_sha256}:`,
    "     sha256sum documento.pdf",
    "",
    "3. Cada acuse, sin conexión, con la herramienta del Buzón IMSS (npx buzon-imss verify …):",
    `     buzon verify ${acuse}.json${withLog ? " --verificador verificador.txt --punto-de-control checkpoint.txt" : ""}`,
    `     buzon verify ${acuse}.pdf`,
    "   Para no depender de lo que trae el paquete, use el certificado del sello y la clave del",
    "   registro que publica el Instituto (--sello-cer sello.cer, --verificador <clave>) y un punto de",
    "   control que usted haya guardado antes (--punto-de-control). Cada acuse dice su folio, su tipo,",
    "   el instante del evento y el instante en que surte efectos, y la huella SHA-256 del documento",
    "   que ampara, que debe ser la de documento.pdf.",
    "",
    "   El acuse del aviso (aviso_notificacion) sella además, si lo trae en su campo «statement», el",
    "   texto «aviso-notificacion.txt» (adjunto también al PDF; buzon verify comprueba su SHA-256 y tamaño):",
    "   destinatario, acto, momento en que el documento quedó disponible, el plazo de tres días, las",
    "   versiones del calendario y cada dirección a la que se dirigió el aviso, enmascarada y con una",
    "   huella. La huella de cada dirección de aviso.json (avisos «primero») se recalcula con",
    '     printf \'%s %s\' "<key>" "<address>" | sha256sum',
    "   y debe ser la que el texto sellado da a esa dirección. Los resultados de entrega son",
    "   posteriores al sello: constan solo en aviso.json (registro de solo inserción), no en el acuse.",
    "   Si el acto se canceló después del instante de su aviso y antes de sellarse el acuse del aviso,",
    "   su texto es «Aviso de notificación de un acto cancelado»: sin plazo, dice la cancelación con el",
    "   folio de su acuse, que no corren los tres días ni habrá notificación, y el resultado de cada",
    "   aviso al sellarse (los que la cancelación retiró, como retirados: sin envío registrado; no se",
    "   sella mientras un aviso está en envío). De un acto cancelado, cuando sea que se canceló,",
    "   aviso.json no da plazo: «cancellation» dice el instante de la cancelación, el folio de su",
    "   acuse y su efecto, con las palabras de ese texto. De un acto en estrados tampoco (CFF 139):",
    "   «estradosPublication» da las fechas de su publicación. aviso.json es del formato",
    "   buzon-imss-aviso/2 («term» puede ser null; «cancellation» y «estradosPublication» nuevos).",
    "",
    "4. En línea: la dirección «verificationUrl» de cada acuse (o el código QR de su PDF) abre la",
    "   página pública de verificación del Instituto con su folio y código.",
    "",
    "Las fechas y horas están en la hora de la Zona Centro (UTC-06:00). Los calendarios incluidos",
    "son los días inhábiles declarados en cada versión; las reglas están en docs/plazos.md.",
    "",
  ];
  return lines.join("\n");
}

export type EvidencePackager = ReturnType<typeof createEvidencePackager>;
