import { type Kysely, sql } from "kysely";

/**
 * A promoción answered by an act that is cancelled before it is notified goes back to atención
 * (`respuesta_cancelada`, docs/promociones.md) and may be answered again by a new act. So
 * `respondida` is no longer once per promoción: `promocion_events_once` keeps `recibida` and
 * `concluida`. What stays unique: an act or a comunicado answers at most one promoción (0033),
 * and one act's cancellation reopens at most one promoción, once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table promocion_events drop constraint promocion_events_type_check,
      add constraint promocion_events_type_check check (type in (
        'recibida', 'en_atencion', 'nota_interna', 'respondida', 'concluida',
        'respuesta_cancelada'
      ))
  `.execute(db);
  await sql`drop index promocion_events_once`.execute(db);
  await sql`
    create unique index promocion_events_once on promocion_events (promocion_id, type)
      where type in ('recibida', 'concluida')
  `.execute(db);
  await sql`
    create unique index promocion_events_answer_cancelled
      on promocion_events ((data ->> 'notificacionId'))
      where type = 'respuesta_cancelada'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index promocion_events_answer_cancelled`.execute(db);
  await sql`drop index promocion_events_once`.execute(db);
  await sql`
    create unique index promocion_events_once on promocion_events (promocion_id, type)
      where type in ('recibida', 'respondida', 'concluida')
  `.execute(db);
  await sql`
    alter table promocion_events drop constraint promocion_events_type_check,
      add constraint promocion_events_type_check check (type in (
        'recibida', 'en_atencion', 'nota_interna', 'respondida', 'concluida'
      ))
  `.execute(db);
}
