import type { Migration } from "kysely/migration";
import * as calendarVersions from "./0001_calendar_versions.ts";
import * as auth from "./0002_auth.ts";
import * as evidence from "./0003_evidence.ts";
import * as evidenceNodes from "./0004_evidence_nodes.ts";
import * as apiTokens from "./0005_api_tokens.ts";
import * as rateLimits from "./0006_rate_limits.ts";
import * as jobLeases from "./0007_job_leases.ts";
import * as pdfSignatureTimestamps from "./0008_pdf_signature_timestamps.ts";
import * as delivery from "./0009_delivery.ts";
import * as padron from "./0010_padron.ts";
import * as mailbox from "./0011_mailbox.ts";
import * as terms from "./0012_terms.ts";
import * as calendarAuthority from "./0013_calendar_authority.ts";
import * as aclaracionAtendida from "./0014_aclaracion_atendida.ts";
import * as medioPadron2020 from "./0015_medio_padron_2020.ts";
import * as acuseHabilitacion from "./0016_acuse_habilitacion.ts";
import * as acuseStatements from "./0017_acuse_statements.ts";
import * as blobs from "./0018_blobs.ts";
import * as notificaciones from "./0019_notificaciones.ts";
import * as estrados from "./0020_estrados.ts";
import * as notificacionesDocumento from "./0021_notificaciones_documento.ts";
import * as promociones from "./0022_promociones.ts";
import * as descargaPosterior from "./0023_descarga_posterior.ts";
import * as documentos from "./0029_documentos.ts";
import * as comunicados from "./0030_comunicados.ts";
import * as expedientes from "./0032_expedientes.ts";
import * as promocionAtencion from "./0033_promocion_atencion.ts";
import * as expedientesPorRfc from "./0034_expedientes_por_rfc.ts";
import * as respuestaCancelada from "./0036_respuesta_cancelada.ts";
import * as promocionEstado from "./0037_promocion_estado.ts";
import * as aclaracionesOrden from "./0038_aclaraciones_orden.ts";
import * as expedientesTextoCompleto from "./0039_expedientes_texto_completo.ts";

/** Every migration, in order. Names are stored in the database: never rename one. */
export const migrations: Record<string, Migration> = {
  "0001_calendar_versions": calendarVersions,
  "0002_auth": auth,
  "0003_evidence": evidence,
  "0004_evidence_nodes": evidenceNodes,
  "0005_api_tokens": apiTokens,
  "0006_rate_limits": rateLimits,
  "0007_job_leases": jobLeases,
  "0008_pdf_signature_timestamps": pdfSignatureTimestamps,
  "0009_delivery": delivery,
  "0010_padron": padron,
  "0011_mailbox": mailbox,
  "0012_terms": terms,
  "0013_calendar_authority": calendarAuthority,
  "0014_aclaracion_atendida": aclaracionAtendida,
  "0015_medio_padron_2020": medioPadron2020,
  "0016_acuse_habilitacion": acuseHabilitacion,
  "0017_acuse_statements": acuseStatements,
  "0018_blobs": blobs,
  "0019_notificaciones": notificaciones,
  "0020_estrados": estrados,
  "0021_notificaciones_documento": notificacionesDocumento,
  "0022_promociones": promociones,
  "0023_descarga_posterior": descargaPosterior,
  "0029_documentos": documentos,
  "0030_comunicados": comunicados,
  "0032_expedientes": expedientes,
  "0033_promocion_atencion": promocionAtencion,
  "0034_expedientes_por_rfc": expedientesPorRfc,
  "0036_respuesta_cancelada": respuestaCancelada,
  "0037_promocion_estado": promocionEstado,
  "0038_aclaraciones_orden": aclaracionesOrden,
  "0039_expedientes_texto_completo": expedientesTextoCompleto,
};
