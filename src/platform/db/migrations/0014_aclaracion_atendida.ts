import { type Kysely, sql } from "kysely";

/**
 * An aclaración attended by staff: the queue's row says so (when, by whom, the note the person
 * reads), and the mailbox's history gets an `aclaracion_atendida` event (append-only).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailbox_events drop constraint mailbox_events_type_check,
      add constraint mailbox_events_type_check check (type in (
        'medio_registrado', 'medio_validado', 'medio_cancelado', 'medio_eliminado',
        'terminos_firmados', 'habilitacion_2020', 'aclaracion_atendida'
      ))
  `.execute(db);
  await sql`
    alter table mailbox_aclaraciones
      add column attended_note text,
      add constraint mailbox_aclaraciones_attended check (
        (status = 'abierta' and attended_at is null and attended_by is null and attended_note is null)
        or (status = 'atendida' and attended_at is not null and attended_by is not null
            and attended_note is not null)
      )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table mailbox_aclaraciones
      drop constraint mailbox_aclaraciones_attended,
      drop column attended_note
  `.execute(db);
  await sql`
    alter table mailbox_events drop constraint mailbox_events_type_check,
      add constraint mailbox_events_type_check check (type in (
        'medio_registrado', 'medio_validado', 'medio_cancelado', 'medio_eliminado',
        'terminos_firmados', 'habilitacion_2020'
      ))
  `.execute(db);
}
