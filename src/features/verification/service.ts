import { Buffer } from "node:buffer";
import { AppError } from "../../domain/errors.ts";
import { type AcuseExport, verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { spanishDate } from "../../domain/time/zona-centro.ts";
import { BusyError, createLimiter } from "../../platform/concurrency.ts";
import { sha256Hex } from "../../platform/crypto/digest.ts";
import { PdfReadError, readAcuseFromPdf } from "../../platform/pdf/read-attachments.ts";
import type { EvidenceService } from "../evidence/service.ts";
import {
  alteredUnreadablePdf,
  notIssuedSummary,
  type OfflineTrust,
  verifyAcuseExport,
} from "./offline.ts";
import { olderCopyCheck, pdfSignatureCheck } from "./pdf-signature.ts";
import type { SignatureVerifier } from "./signature.ts";
import type {
  AcuseVerification,
  DocumentVerification,
  SealingAcuse,
  SignatureVerification,
  VerificationCheck,
} from "./types.ts";

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
/** A document's answer lists this many acuses at most (with the total). */
const MAX_LISTED = 10;
/** The total is counted up to this many acuses (each is re-verified to be counted). */
const MAX_COUNTED = 50;
/**
 * PDFs parsed at once per process (each may take up to MAX_READ_MEMORY while pdf.js reads it),
 * how many may wait for a turn (each holds its upload), and for how long.
 */
const PDF_READS = {
  running: 2,
  waiting: 8,
  waitMs: 15_000,
  busyDetail: "Hay muchas verificaciones de PDF en curso. Intenta de nuevo en unos segundos.",
};

export interface VerificationServiceOptions {
  evidence: EvidenceService;
  /** Builds the verifier of public servants' signatures, given how to find sealing acuses. */
  signatures: (acusesSealing: (sha256: string) => Promise<SealingAcuse[]>) => SignatureVerifier;
  /** A document the Institute published in «Mis documentos» with this hash (kind, period, date). */
  publishedDocument?: (sha256: string) => Promise<PublishedDocumentFacts | undefined>;
}

export interface PublishedDocumentFacts {
  kind: string;
  kindName: string;
  period: string;
  periodLabel: string;
  publishedOn: string;
}

/**
 * The public «Verificación de documentos» (issue 4 §4): an acuse by folio and code (the QR
 * link), an uploaded acuse PDF or JSON export, an original document by its SHA-256, and a
 * document signed by a public servant. Every answer re-checks the evidence cryptographically
 * with the same code a verifier runs offline (offline.ts), against the Institute's own seal
 * certificates, log key, TSA and address: a row altered in the database fails like a tampered
 * file. Nothing about an acuse is shown without its folio and code.
 */
export function createVerificationService(options: VerificationServiceOptions) {
  const { evidence } = options;

  const trust = (): OfflineTrust => ({
    sealCertificates: evidence.sealCertificates(),
    logVerifierKey: evidence.verifierKey(),
    tsaCertificates: evidence.tsaCertificates(),
    onlyTrustedStamps: true,
    publicUrl: evidence.publicUrl(),
  });

  const linksOf = (folio: string, code: string) => {
    const base = `/api/v1/acuses/${encodeURIComponent(folio)}`;
    const query = `?codigo=${encodeURIComponent(code)}`;
    return {
      pdf: `${base}/pdf${query}`,
      json: `${base}/json${query}`,
      tlogProof: `${base}/tlog-proof${query}`,
    };
  };

  /** Recomputes verdict and summary once extra checks were added. */
  function conclude(result: AcuseVerification): AcuseVerification {
    const failed = result.checks.filter((c) => c.outcome === "failed");
    if (failed.length === 0) return result;
    const pdf = failed.find((c) => c.id === "firma_pdf");
    return {
      ...result,
      verdict: "alterado",
      summary: pdf
        ? notIssuedSummary(pdf)
        : `No es auténtico o fue alterado: no pasó ${failed.map((c) => `«${c.title}»`).join(", ")}.`,
    };
  }

  /**
   * What a document's holder may see of the acuses that seal it: what and when, not who. Each
   * acuse is re-verified; one that does not verify (or cannot be exported) is neither listed
   * nor counted.
   */
  async function acusesSealing(sha256: string): Promise<{ total: number; acuses: SealingAcuse[] }> {
    const lower = sha256.toLowerCase();
    const rows = await evidence.acusesSealing(lower, MAX_COUNTED);
    const trusted = trust();
    const acuses: SealingAcuse[] = [];
    let total = 0;
    for (const row of rows) {
      let checked: AcuseVerification;
      try {
        const exported = await evidence.exportOf(row);
        // A sealed statement is a text the Institute writes from a few guessable facts (an
        // RFC and a phone, ADR 0012): found by its hash it would confirm a guess about a
        // person. It verifies only by folio and code.
        if (exported.statement && sha256Hex(exported.statement.text) === lower) continue;
        checked = await verifyAcuseExport(exported, trusted);
      } catch {
        continue;
      }
      if (checked.verdict !== "autentico" || !checked.acuse) continue;
      total++;
      if (acuses.length === MAX_LISTED) continue;
      const { acuse } = checked;
      acuses.push({
        kind: acuse.kind,
        kindLabel: acuse.kindLabel,
        eventAt: acuse.eventAt,
        eventAtText: acuse.eventAtText,
        countsAt: acuse.countsAt,
        countsAtText: acuse.countsAtText,
        documentName: acuse.documents.find((d) => d.sha256.toLowerCase() === lower)?.name ?? "",
        log: checked.log,
      });
    }
    return { total, acuses };
  }

  const signatures = options.signatures(async (sha256) => (await acusesSealing(sha256)).acuses);

  const inPdfTurn = createLimiter(PDF_READS);

  /**
   * Checks an export someone brought (with the PDF it came in, if any) against what the
   * Institute holds under its folio. When it fails but its folio and code still identify a
   * record, the record's data come back apart (`record`): those are the authentic ones.
   */
  async function checkBrought(exported: AcuseExport, pdf?: Uint8Array): Promise<AcuseVerification> {
    const result = await verifyAcuseExport(exported, trust(), pdf);
    const folio = exported.acuse.folio;
    // Only the holder of the sealed data matches: a folio alone tells nothing (no oracle).
    const row = await evidence.acuseByFolioAndCode(folio, verificationCodeOf(exported.seal));
    const same =
      row !== undefined &&
      row.cadenaOriginal === exported.cadenaOriginal &&
      row.seal === exported.seal.trim();
    const matches: VerificationCheck = {
      id: "coincide_con_registro",
      outcome: same ? "ok" : "failed",
      title: "Coincide con el registro del Instituto",
      detail: same
        ? `Los datos sellados son los que el Instituto conserva con el folio ${folio}.`
        : `El Instituto no conserva un acuse con el folio ${folio} y estos datos: lo que se muestra viene del archivo, no del Instituto.`,
    };
    const concluded = conclude({ ...result, checks: [...result.checks, matches] });
    if (!row || !same) return concluded;
    const links = linksOf(folio, verificationCodeOf(row.seal));
    if (concluded.verdict !== "alterado") return { ...concluded, links };
    const authentic = await verifyAcuseExport(await evidence.exportOf(row), trust());
    if (authentic.verdict !== "autentico" || !authentic.acuse) return concluded;
    const withRecord = { ...concluded, links, record: authentic.acuse };
    return olderCopy(withRecord) ?? withRecord;
  }

  /**
   * An unsigned PDF whose attachments are the record and pass every other check: still
   * `alterado`, but said plainly to be perhaps an older copy, with the way to the sealed one.
   */
  function olderCopy(result: AcuseVerification): AcuseVerification | undefined {
    const failed = result.checks.filter((c) => c.outcome === "failed");
    const pdf = failed.length === 1 && failed[0] ? olderCopyCheck(failed[0]) : undefined;
    if (!pdf) return undefined;
    return {
      ...result,
      summary: notIssuedSummary(pdf),
      checks: result.checks.map((c) => (c.id === "firma_pdf" ? pdf : c)),
      olderCopy: true,
    };
  }

  return {
    /** By folio and the code printed on the acuse (what the QR link carries). */
    async byFolio(folio: string, code: string): Promise<AcuseVerification> {
      const stored = await evidence.acuseByFolioAndCode(folio, code);
      if (!stored) {
        // The same answer for an unknown folio and a wrong code: no oracle for folios.
        return {
          verdict: "no_encontrado",
          summary: `No encontramos un acuse con el folio ${folio} y ese código de verificación. Revisa ambos datos tal como aparecen en tu acuse (el código distingue mayúsculas y minúsculas).`,
          checks: [],
          demonstration: false,
        };
      }
      const result = await verifyAcuseExport(await evidence.exportOf(stored), trust());
      return { ...conclude(result), links: linksOf(folio, code) };
    },

    /**
     * An acuse PDF someone uploaded. A PDF that cannot be read is refused with its own code
     * (PdfReadError, AcuseExportError, BusyError: problems of the one table); anything else is
     * ours, an internal error.
     */
    async uploadedPdf(bytes: Uint8Array): Promise<AcuseVerification> {
      let exported: AcuseExport;
      try {
        exported = await inPdfTurn(() => readAcuseFromPdf(bytes));
      } catch (error) {
        // A signed PDF whose attachments were damaged (bytes overwritten in them) is an altered
        // acuse: an answer, not a refusal. An unsigned PDF without them is just not an acuse.
        const attachmentsUnreadable =
          !(error instanceof BusyError) &&
          !(error instanceof PdfReadError && error.code !== "no_acuse_attachment");
        if (attachmentsUnreadable && Buffer.from(bytes).includes("/ByteRange")) {
          const signature = await pdfSignatureCheck(
            bytes,
            evidence.sealCertificates(),
            evidence.tsaCertificates(),
            { onlyTrustedStamps: true },
          );
          if (signature.outcome === "failed") return alteredUnreadablePdf(signature);
        }
        throw error;
      }
      return checkBrought(exported, bytes);
    },

    /** An acuse JSON export someone uploaded (already parsed with parseAcuseExport). */
    async uploadedExport(exported: AcuseExport): Promise<AcuseVerification> {
      return checkBrought(exported);
    },

    /** Acuses that seal a document, by the SHA-256 the browser computed. */
    async byDocumentHash(sha256: string): Promise<DocumentVerification> {
      if (!SHA256_HEX.test(sha256)) {
        throw new AppError(
          "validation",
          "La huella SHA-256 del documento debe tener 64 dígitos hexadecimales.",
        );
      }
      const { total, acuses } = await acusesSealing(sha256);
      const lower = sha256.toLowerCase();
      const documento = await options.publishedDocument?.(lower);
      if (documento && acuses.length === 0) {
        return {
          verdict: "autentico",
          summary: `El documento es íntegro: el Instituto lo publicó en «Mis documentos» el ${spanishDate(Temporal.PlainDate.from(documento.publishedOn))} como ${documento.kindName}, ${documento.periodLabel}.`,
          sha256: lower,
          total: 0,
          acuses: [],
          documento,
        };
      }
      return acuses.length > 0
        ? {
            verdict: "autentico",
            summary:
              total === 1
                ? `El documento es íntegro: es el que hace constar un acuse de ${acuses[0]!.kindLabel.toLowerCase()}.`
                : `El documento es íntegro: lo hacen constar ${total >= MAX_COUNTED ? `al menos ${total}` : total} acuses${total > acuses.length ? ` (se muestran los primeros ${acuses.length})` : ""}.`,
            sha256: lower,
            total,
            acuses,
            ...(documento ? { documento } : {}),
          }
        : {
            verdict: "no_encontrado",
            summary:
              "Ningún acuse del Buzón IMSS hace constar un documento con esta huella: o no se presentó ni se notificó por el buzón, o el archivo fue modificado (basta un byte para cambiar la huella).",
            sha256: lower,
            total: 0,
            acuses: [],
          };
    },

    /** A document signed by a public servant (detached CMS), by the document's SHA-256. */
    async signedDocument(input: { sha256: string; firma: string }): Promise<SignatureVerification> {
      return signatures.verify(input);
    },
  };
}

export type VerificationService = ReturnType<typeof createVerificationService>;
