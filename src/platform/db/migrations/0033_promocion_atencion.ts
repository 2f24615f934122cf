import { type Kysely, sql } from "kysely";

/**
 * The staff's attention to promociones (issue 12 §1): nothing new is stored apart from the
 * events of 0022 (who took it, internal notes, the answer, the conclusion). The staff's queue
 * reads the promociones oldest received first, by (received_at, id); and one notification or
 * comunicado answers at most one promoción, whatever two staff members do at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index promociones_received on promociones (received_at, id)`.execute(db);
  await sql`
    create unique index promocion_events_answer_notificacion
      on promocion_events ((data ->> 'notificacionId'))
      where type = 'respondida' and data ? 'notificacionId'
  `.execute(db);
  await sql`
    create unique index promocion_events_answer_comunicado
      on promocion_events ((data ->> 'comunicadoId'))
      where type = 'respondida' and data ? 'comunicadoId'
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index promocion_events_answer_comunicado`.execute(db);
  await sql`drop index promocion_events_answer_notificacion`.execute(db);
  await sql`drop index promociones_received`.execute(db);
}
