import { Buffer } from "node:buffer";
import { type AcuseExport, verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import { AppError } from "../../platform/http/errors.ts";
import { PdfReadError, readAcuseFromPdf } from "../../platform/pdf/read-attachments.ts";
import type { EvidenceService } from "../evidence/service.ts";
import type { StoredAcuseRow } from "../evidence/store.ts";
import { type OfflineTrust, verifyAcuseExport } from "./offline.ts";
import type { SignatureVerifier } from "./signature.ts";
import type {
  AcuseVerification,
  DocumentVerification,
  SignatureVerification,
  VerificationCheck,
} from "./types.ts";

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

export interface VerificationServiceOptions {
  evidence: EvidenceService;
  /** Builds the verifier of public servants' signatures, given how to find sealing acuses. */
  signatures: (
    acusesSealing: (sha256: string) => Promise<DocumentVerification["acuses"]>,
  ) => SignatureVerifier;
}

/**
 * The public «Verificación de documentos» (issue 4 §4): an acuse by folio and code (the QR
 * link), an uploaded acuse PDF or JSON export, an original document by its SHA-256, and a
 * document signed by a public servant. Every answer re-checks the evidence cryptographically
 * with the same code a verifier runs offline (offline.ts), against the Institute's own seal
 * certificate, log key and TSA: a row altered in the database fails like a tampered file.
 */
export function createVerificationService(options: VerificationServiceOptions) {
  const { evidence } = options;

  const trust = (): OfflineTrust => ({
    sealCertificates: [evidence.sealCertificate()],
    logVerifierKey: evidence.verifierKey(),
    tsaCertificates: evidence.tsaCertificates(),
  });

  const linksOf = (folio: string, code: string) => {
    const base = `/api/v1/acuses/${encodeURIComponent(folio)}`;
    const query = `?codigo=${encodeURIComponent(code)}`;
    return {
      pdf: `${base}/pdf${query}`,
      json: `${base}/json${query}`,
      tlogProof: `${base}/tlog-proof`,
    };
  };

  /** Recomputes verdict and summary once extra checks were added. */
  function conclude(result: AcuseVerification): AcuseVerification {
    if (result.checks.some((c) => c.outcome === "failed")) {
      const failed = result.checks.filter((c) => c.outcome === "failed").map((c) => c.title);
      return {
        ...result,
        verdict: "alterado",
        summary: `No es auténtico o fue alterado: no pasó ${failed.map((t) => `«${t}»`).join(", ")}.`,
      };
    }
    return result;
  }

  async function acusesSealing(sha256: string): Promise<DocumentVerification["acuses"]> {
    const rows = await evidence.acusesSealing(sha256.toLowerCase());
    const found: DocumentVerification["acuses"] = [];
    for (const row of rows) {
      const checked = await verifyAcuseExport(await evidence.exportOf(row), trust());
      if (checked.verdict !== "autentico" || !checked.acuse) continue;
      const document = checked.acuse.documents.find(
        (d) => d.sha256.toLowerCase() === sha256.toLowerCase(),
      );
      found.push({
        ...checked.acuse,
        documentName: document?.name ?? "",
        log: checked.log,
      });
    }
    return found;
  }

  const signatures = options.signatures(acusesSealing);

  /** Checks an export someone brought against what the Institute holds under its folio. */
  async function checkBrought(exported: AcuseExport, pdf?: Uint8Array): Promise<AcuseVerification> {
    const result = await verifyAcuseExport(exported, trust());
    const folio = exported.acuse.folio;
    const stored = await evidence.acuseByFolio(folio);
    const extra: VerificationCheck[] = [];
    let row: StoredAcuseRow | undefined;
    if (!stored) {
      extra.push({
        id: "coincide_con_registro",
        outcome: "failed",
        title: "Coincide con el registro del Instituto",
        detail: `El Instituto no tiene un acuse con el folio ${folio}.`,
      });
    } else {
      const same =
        stored.cadenaOriginal === exported.cadenaOriginal && stored.seal === exported.seal.trim();
      extra.push({
        id: "coincide_con_registro",
        outcome: same ? "ok" : "failed",
        title: "Coincide con el registro del Instituto",
        detail: same
          ? `La cadena original y el sello son los que el Instituto conserva con el folio ${folio}.`
          : `Los datos no son los que el Instituto conserva con el folio ${folio}: se muestran abajo los datos del archivo, no los del Instituto.`,
      });
      if (same) row = await evidence.acuseByFolioAndCode(folio, verificationCodeOf(stored.seal));
    }
    if (pdf && row) {
      const identical = Buffer.from(await evidence.pdfOf(row)).equals(Buffer.from(pdf));
      extra.push({
        id: "pdf_identico",
        outcome: identical ? "ok" : "warning",
        title: "PDF idéntico al del Instituto",
        detail: identical
          ? "El archivo es, byte por byte, el PDF que el Instituto emite para este acuse."
          : "El PDF no es idéntico al que emite el Instituto (pudo guardarse con otro programa o alterarse su contenido visible); los datos sellados que lleva adjuntos sí se comprobaron: confía en los que se muestran aquí.",
      });
    }
    const concluded = conclude({ ...result, checks: [...result.checks, ...extra] });
    return row ? { ...concluded, links: linksOf(folio, verificationCodeOf(row.seal)) } : concluded;
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
        };
      }
      const result = await verifyAcuseExport(await evidence.exportOf(stored), trust());
      return { ...conclude(result), links: linksOf(folio, code) };
    },

    /** An acuse PDF someone uploaded. */
    async uploadedPdf(bytes: Uint8Array): Promise<AcuseVerification> {
      let exported: AcuseExport;
      try {
        exported = await readAcuseFromPdf(bytes);
      } catch (error) {
        if (error instanceof PdfReadError) {
          throw new AppError(
            error.code === "too_large" ? "payload_too_large" : "validation",
            error.message,
          );
        }
        throw new AppError("validation", `No se pudo leer el acuse del PDF: ${messageOf(error)}`);
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
      const acuses = await acusesSealing(sha256);
      const lower = sha256.toLowerCase();
      return acuses.length > 0
        ? {
            verdict: "autentico",
            summary:
              acuses.length === 1
                ? `El documento es íntegro: es el que hace constar el acuse ${acuses[0]!.folio}.`
                : `El documento es íntegro: lo hacen constar ${acuses.length} acuses.`,
            sha256: lower,
            acuses,
          }
        : {
            verdict: "no_encontrado",
            summary:
              "Ningún acuse del Buzón IMSS hace constar un documento con esta huella: o no se presentó ni se notificó por el buzón, o el archivo fue modificado (basta un byte para cambiar la huella).",
            sha256: lower,
            acuses: [],
          };
    },

    /** A document signed by a public servant (detached CMS), by the document's SHA-256. */
    async signedDocument(input: { sha256: string; firma: string }): Promise<SignatureVerification> {
      return signatures.verify(input);
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export type VerificationService = ReturnType<typeof createVerificationService>;
