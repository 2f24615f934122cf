import { type Kysely, sql } from "kysely";

/**
 * Issue 11 §2: the first access after an act was notified by law is recorded and changes
 * nothing. The signed access already writes `acceso_posterior` with its acuse; a plain download
 * of the document is its own type, `descarga_posterior` (no signature, no acuse), so it never
 * takes the signed access away. Once per act: its own partial unique index, beside
 * `notificacion_events_once` (left as it is: the sweeps probe it by type).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table notificacion_events drop constraint notificacion_events_type_check,
      add constraint notificacion_events_type_check check (type in (
        'depositada', 'aviso_emitido', 'segundo_aviso', 'abierta', 'acceso_posterior',
        'descarga_posterior', 'constancia_cuarto_dia', 'cancelada', 'publicada_en_estrados',
        'notificada_por_estrados'
      ))
  `.execute(db);
  await sql`
    create unique index notificacion_events_once_descarga on notificacion_events (notificacion_id)
      where type = 'descarga_posterior'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index notificacion_events_once_descarga`.execute(db);
  await sql`
    alter table notificacion_events drop constraint notificacion_events_type_check,
      add constraint notificacion_events_type_check check (type in (
        'depositada', 'aviso_emitido', 'segundo_aviso', 'abierta', 'acceso_posterior',
        'constancia_cuarto_dia', 'cancelada', 'publicada_en_estrados',
        'notificada_por_estrados'
      ))
  `.execute(db);
}
