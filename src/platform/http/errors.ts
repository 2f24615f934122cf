import type { ComunicadoErrorCode } from "../../domain/comunicados/comunicado.ts";
import type { DocumentoErrorCode } from "../../domain/documentos/kinds.ts";
import type { EfirmaErrorCode } from "../../domain/efirma/errors.ts";
import type { AppErrorCode, DomainErrorCode } from "../../domain/errors.ts";
import type { AcuseExportErrorCode } from "../../domain/evidence/acuse-export.ts";
import type { MailboxErrorCode } from "../../domain/mailbox/errors.ts";
import type { AperturaErrorCode } from "../../domain/notificaciones/apertura.ts";
import type { ActErrorCode } from "../../domain/notificaciones/errors.ts";
import type { EstradosErrorCode } from "../../domain/notificaciones/estrados.ts";
import type { NotificacionErrorCode } from "../../domain/notificaciones/lifecycle.ts";
import type { PromocionAtencionErrorCode } from "../../domain/promociones/atencion.ts";
import type { PromocionErrorCode } from "../../domain/promociones/errors.ts";
import type { PromocionLifecycleErrorCode } from "../../domain/promociones/lifecycle.ts";
import type { TermsErrorCode } from "../../domain/terms/errors.ts";
import type { BlobErrorCode } from "../blobs/blob-store.ts";
import type { BusyErrorCode } from "../concurrency.ts";
import type { CmsSignatureErrorCode } from "../crypto/cms-signature.ts";
import type { PdfReadErrorCode } from "../pdf/read-attachments.ts";

/** The codes a response may carry. Stable: clients branch on them. */
export type ProblemCode =
  | AppErrorCode
  | DomainErrorCode
  | EfirmaErrorCode
  | MailboxErrorCode
  | ActErrorCode
  | AperturaErrorCode
  | EstradosErrorCode
  | NotificacionErrorCode
  | PromocionErrorCode
  | PromocionLifecycleErrorCode
  | PromocionAtencionErrorCode
  | TermsErrorCode
  | PdfReadErrorCode
  | AcuseExportErrorCode
  | BusyErrorCode
  | CmsSignatureErrorCode
  | BlobErrorCode
  | DocumentoErrorCode
  | ComunicadoErrorCode;

export interface ProblemKind {
  status: number;
  /** Short Spanish title of the problem type (RFC 9457 `title`). */
  title: string;
}

/**
 * The one table from a refusal's code to its HTTP status and title. Any CodedError whose code
 * is here becomes that problem; one whose code is not is an internal error (logged, 500).
 */
export const PROBLEMS: Record<ProblemCode, ProblemKind> = {
  validation: { status: 400, title: "Solicitud inválida" },
  invalid_cursor: { status: 400, title: "Cursor de paginación inválido" },
  invalid_instant: { status: 400, title: "Fecha y hora inválida" },
  invalid_date: { status: 400, title: "Fecha inválida" },
  calendar_invalid: { status: 400, title: "Calendario inválido" },
  opened_before_aviso: { status: 400, title: "Apertura anterior al aviso" },
  out_of_range: { status: 400, title: "Valor fuera de rango" },
  invalid_rfc: { status: 400, title: "RFC inválido" },
  invalid_curp: { status: 400, title: "CURP inválida" },
  invalid_nss: { status: 400, title: "NSS inválido" },
  invalid_registro_patronal: { status: 400, title: "Registro patronal inválido" },
  invalid_email: { status: 400, title: "Correo electrónico inválido" },
  calendar_exhausted: { status: 422, title: "Calendario sin días hábiles" },
  not_a_certificate: { status: 400, title: "Certificado inválido" },
  not_a_key: { status: 400, title: "Llave privada inválida" },
  file_too_large: { status: 413, title: "Archivo demasiado grande" },
  wrong_password: { status: 400, title: "Contraseña incorrecta" },
  unsupported_key: { status: 400, title: "Llave privada no admitida" },
  key_mismatch: { status: 400, title: "La llave no corresponde al certificado" },
  csd_not_fiel: { status: 401, title: "Sello digital en lugar de e.firma" },
  certificate_expired: { status: 401, title: "Certificado vencido" },
  certificate_not_yet_valid: { status: 401, title: "Certificado aún no vigente" },
  certificate_revoked: { status: 401, title: "Certificado revocado" },
  unknown_issuer: { status: 401, title: "Emisor no reconocido" },
  rfc_mismatch: { status: 401, title: "El RFC no coincide" },
  signature_invalid: { status: 401, title: "Firma inválida" },
  challenge_invalid: { status: 401, title: "Desafío de acceso inválido" },
  revocation_unavailable: { status: 503, title: "Revocación no verificable" },
  unauthorized: { status: 401, title: "No autorizado" },
  forbidden: { status: 403, title: "Prohibido" },
  csrf: { status: 403, title: "Falta la protección contra falsificación de solicitudes" },
  rate_limited: { status: 429, title: "Demasiadas solicitudes" },
  not_found: { status: 404, title: "No encontrado" },
  conflict: { status: 409, title: "Conflicto" },
  payload_too_large: { status: 413, title: "Contenido demasiado grande" },
  unsupported_media_type: { status: 415, title: "Tipo de contenido no admitido" },
  internal: { status: 500, title: "Error interno" },
  admin_disabled: { status: 503, title: "Administración no disponible" },
  unavailable: { status: 503, title: "Servicio no disponible" },
  invalid_phone: { status: 400, title: "Teléfono celular inválido" },
  wrong_code: { status: 400, title: "Código incorrecto" },
  not_in_padron: { status: 403, title: "RFC fuera del padrón" },
  registro_patronal_ajeno: { status: 403, title: "Registro patronal de otro RFC" },
  means_limit: { status: 409, title: "Límite de medios de contacto" },
  duplicate_means: { status: 409, title: "Medio de contacto duplicado" },
  means_not_pending: { status: 409, title: "El medio de contacto no está pendiente" },
  removal_disables_mailbox: { status: 409, title: "Se deshabilitaría el Buzón" },
  aclaracion_not_allowed: { status: 409, title: "Aclaración no procedente" },
  code_expired: { status: 410, title: "Venció el plazo de validación" },
  code_locked: { status: 429, title: "Intentos agotados" },
  resend_too_soon: { status: 429, title: "Espera para pedir otro código" },
  too_many_registrations: { status: 429, title: "Demasiados registros de medios de contacto" },
  terms_text_invalid: { status: 400, title: "Texto de Términos y Condiciones inválido" },
  terms_unchanged: { status: 409, title: "Versión ya publicada" },
  terms_challenge_invalid: { status: 409, title: "Desafío de firma inválido" },
  terms_version_outdated: { status: 409, title: "Versión de Términos y Condiciones no vigente" },
  terms_signer_mismatch: { status: 403, title: "e.firma distinta a la de la sesión" },
  terms_signature_refused: { status: 422, title: "Firma o certificado rechazado" },
  terms_means_not_validated: { status: 409, title: "Medios de contacto sin validar" },
  terms_already_signed: { status: 409, title: "Términos y Condiciones ya firmados" },
  not_pdf: { status: 400, title: "No es un PDF legible" },
  no_acuse_attachment: { status: 400, title: "PDF sin los datos del acuse" },
  pdf_too_large: { status: 413, title: "PDF demasiado grande" },
  malformed_export: { status: 400, title: "Acuse exportado mal formado" },
  busy: { status: 503, title: "Servicio ocupado" },
  // A detached signature (.p7s) that cannot be evaluated; one that is evaluated and fails is a
  // verdict, not a refusal. The statuses are those the verification answered before (400, 413).
  cms_too_large: { status: 413, title: "Firma demasiado grande" },
  malformed_cms: { status: 400, title: "No es una firma CMS" },
  not_detached: { status: 400, title: "Firma no desprendida" },
  unsupported_algorithm: { status: 400, title: "Algoritmo de firma no admitido" },
  unsupported_content_type: { status: 400, title: "Contenido firmado no admitido" },
  multiple_signers: { status: 400, title: "Firma con varios firmantes" },
  no_signer_certificate: { status: 400, title: "Firma sin el certificado de quien firmó" },
  invalid_digest: { status: 400, title: "Huella del documento no válida" },
  // A document whose metadata exists but whose bytes the store does not give back (a restore
  // in progress, a replica behind): worth retrying. Bytes that no longer match their hash are
  // damage, never served.
  blob_missing: { status: 503, title: "Documento no disponible" },
  blob_corrupt: { status: 500, title: "Documento dañado" },
  // Electronic notifications (issue 11).
  unknown_act_type: { status: 422, title: "Tipo de acto desconocido" },
  act_catalogue_invalid: { status: 500, title: "Catálogo de actos inválido" },
  promocion_catalogue_invalid: { status: 500, title: "Catálogo de promociones inválido" },
  unknown_promocion_type: { status: 422, title: "Tipo de promoción desconocido" },
  promocion_type_elsewhere: { status: 422, title: "Esta promoción se presenta en otro lugar" },
  promocion_invalid: { status: 422, title: "Promoción inválida" },
  attachment_kind_not_allowed: { status: 422, title: "Tipo de archivo no admitido" },
  attachment_count: { status: 422, title: "Número de anexos no admitido" },
  attachment_too_large: { status: 413, title: "Anexo demasiado grande" },
  attachment_mismatch: { status: 422, title: "El anexo no es el que se firmó" },
  promocion_challenge_invalid: { status: 409, title: "Desafío de firma inválido" },
  promocion_signer_mismatch: { status: 403, title: "e.firma distinta a la de la sesión" },
  promocion_signature_refused: { status: 422, title: "Firma o certificado rechazado" },
  promocion_transition_invalid: { status: 409, title: "Cambio de estado no permitido" },
  promocion_already_assigned: { status: 409, title: "La promoción ya la atiende otra persona" },
  promocion_atencion_invalid: { status: 422, title: "Atención de la promoción inválida" },
  promocion_own: { status: 403, title: "Promoción propia" },
  idempotency_conflict: { status: 409, title: "Clave de idempotencia ya usada con otro contenido" },
  addressee_not_in_padron: { status: 422, title: "Destinatario fuera del padrón" },
  registro_patronal_not_of_addressee: {
    status: 422,
    title: "Registro patronal de otro RFC",
  },
  document_signature_invalid: { status: 422, title: "La firma no ampara el documento" },
  signer_not_authorized: { status: 403, title: "Firmante sin facultad para firmar actos" },
  not_yet_notified: { status: 403, title: "Notificación aún no realizada" },
  cancellation_not_authorized: { status: 403, title: "Sin facultad para cancelar este acto" },
  document_already_deposited: { status: 409, title: "Documento ya depositado" },
  act_cancelled: { status: 410, title: "Acto cancelado" },
  publicacion_concluida: { status: 410, title: "Publicación en estrados concluida" },
  // The lifecycle's refusals (src/domain/notificaciones/lifecycle.ts): a move the transition
  // table does not allow is the caller's conflict; a stored history it refuses is damage.
  illegal_transition: { status: 409, title: "Acción no procedente en el estado del acto" },
  invalid_history: { status: 500, title: "Historia del acto incoherente" },
  // The signed opening (CFF 134-I): as the Terms' signature, a refused certificate or signature
  // of a signed-in person is a 422, not the sign-in's 401 (which would end the session).
  opening_challenge_invalid: { status: 409, title: "Desafío de apertura inválido" },
  opening_signer_mismatch: { status: 403, title: "e.firma distinta a la de la sesión" },
  opening_signature_refused: { status: 422, title: "Firma o certificado rechazado" },
  already_opened: { status: 409, title: "Notificación ya abierta" },
  // «Mis documentos» and «Mis comunicados» (issue 12 §2–3).
  documento_catalogue_invalid: { status: 500, title: "Catálogo de documentos inválido" },
  unknown_documento_kind: { status: 422, title: "Tipo de documento desconocido" },
  documento_period_invalid: { status: 422, title: "Periodo que no corresponde al tipo" },
  documento_registro_invalid: { status: 422, title: "Registro patronal no procedente" },
  documento_not_pdf: { status: 422, title: "El documento no es un PDF" },
  documento_too_large: { status: 413, title: "Documento demasiado grande" },
  documento_hash_conflict: { status: 409, title: "Archivo ya publicado como otro documento" },
  comunicado_invalid: { status: 422, title: "Comunicado inválido" },
  unknown_subdelegacion: { status: 422, title: "Subdelegación desconocida" },
  subdelegaciones_catalogue_invalid: { status: 500, title: "Catálogo de subdelegaciones inválido" },
};

export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}
