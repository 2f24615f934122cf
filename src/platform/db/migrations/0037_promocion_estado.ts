import { type Kysely, sql } from "kysely";

/**
 * The staff's queue by state or assignee without reading every promoción's history: each
 * promoción's state and assignee as its events project them (src/domain/promociones:
 * projectPromocion, projectAtencion), kept by a trigger on `promocion_events` in the very
 * statement that appends an event — so in its transaction, whatever code appends it.
 *
 * A projection, not evidence: the events stay the record. One SQL function,
 * `promocion_estado_of`, projects a promoción from its events; the trigger rewrites that
 * promoción's row with it (so a row missing or wrong is healed by the next event), and
 * `rebuildPromocionEstado` rewrites them all. The trigger runs as the table's owner (security
 * definer) and the serving role may only read the table (roles.ts): with the server's own
 * credentials no one can hide a promoción from the queue without appending an event.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table promocion_estado (
      promocion_id uuid primary key references promociones (id),
      state text not null check (state in ('recibida', 'en_atencion', 'respondida', 'concluida')),
      assignee text,
      received_at timestamptz not null
    )
  `.execute(db);
  // The queue's order (oldest received first) alone, within a state, and within an assignee.
  await sql`
    create index promocion_estado_received on promocion_estado (received_at, promocion_id)
  `.execute(db);
  await sql`
    create index promocion_estado_state on promocion_estado (state, received_at, promocion_id)
  `.execute(db);
  await sql`
    create index promocion_estado_assignee
      on promocion_estado (assignee, received_at, promocion_id)
  `.execute(db);
  // The state: the last event that is not a note (respuesta_cancelada leads back to
  // en_atencion). The assignee: the last en_atencion that names one as a string.
  await sql`
    create function promocion_estado_of(id uuid)
      returns table (promocion_id uuid, state text, assignee text, received_at timestamptz)
      language sql stable set search_path = public, pg_temp as $$
      select p.id,
             (select case when e.type = 'respuesta_cancelada' then 'en_atencion' else e.type end
                from promocion_events e
               where e.promocion_id = p.id and e.type <> 'nota_interna'
               order by e.id desc limit 1),
             (select e.data ->> 'assignee' from promocion_events e
               where e.promocion_id = p.id and e.type = 'en_atencion'
                 and jsonb_typeof(e.data -> 'assignee') = 'string'
               order by e.id desc limit 1),
             p.received_at
        from promociones p
       where p.id = promocion_estado_of.id
         and exists (select 1 from promocion_events e
                      where e.promocion_id = p.id and e.type = 'recibida')
    $$
  `.execute(db);
  await sql`
    create function promocion_estado_apply() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
    begin
      if new.type <> 'nota_interna' then
        insert into promocion_estado (promocion_id, state, assignee, received_at)
          select * from promocion_estado_of(new.promocion_id)
          on conflict (promocion_id) do update
            set state = excluded.state, assignee = excluded.assignee,
                received_at = excluded.received_at;
      end if;
      return null;
    end
    $$
  `.execute(db);
  await sql`
    create trigger promocion_estado_apply after insert on promocion_events
      for each row execute function promocion_estado_apply()
  `.execute(db);
  await rebuildPromocionEstado(db);
}

/**
 * Writes every promoción's row again from its events, as the trigger would: what this migration
 * does for the promociones already filed, and what `buzon migrate --reconstruir-proyecciones`
 * does (as the owner, in one transaction) if the projection were ever in doubt.
 */
export async function rebuildPromocionEstado(db: Kysely<unknown>): Promise<void> {
  await sql`delete from promocion_estado`.execute(db);
  await sql`
    insert into promocion_estado (promocion_id, state, assignee, received_at)
    select s.* from promociones p, lateral promocion_estado_of(p.id) s
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger promocion_estado_apply on promocion_events`.execute(db);
  await sql`drop function promocion_estado_apply()`.execute(db);
  await sql`drop function promocion_estado_of(uuid)`.execute(db);
  await sql`drop table promocion_estado`.execute(db);
}
