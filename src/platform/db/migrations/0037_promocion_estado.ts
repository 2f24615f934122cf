import { type Kysely, sql } from "kysely";

/**
 * The staff's queue by state or assignee without reading every promoción's history: each
 * promoción's state and assignee as its events project them, kept by a trigger on
 * `promocion_events` in the very statement that appends the event (so in its transaction, and
 * whatever code appends it). It is a projection, not evidence: the events stay the record, and
 * the same projection in SQL (the lateral reads this replaces) rebuilds it at any time —
 * `docs/promociones.md` says how. Indexed for the queue's order, oldest received first, within
 * a state and within an assignee.
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
  await sql`
    create index promocion_estado_state on promocion_estado (state, received_at, promocion_id)
  `.execute(db);
  await sql`
    create index promocion_estado_assignee
      on promocion_estado (assignee, received_at, promocion_id)
  `.execute(db);
  // The lifecycle's projection (src/domain/promociones/lifecycle.ts): the state is the last event
  // that is not a note (respuesta_cancelada leads back to en_atencion), the assignee the last
  // en_atencion's. Events of one promoción are appended under its lock, one at a time.
  await sql`
    create function promocion_estado_apply() returns trigger language plpgsql as $$
    begin
      if new.type = 'recibida' then
        insert into promocion_estado (promocion_id, state, assignee, received_at)
          select p.id, 'recibida', null, p.received_at from promociones p
           where p.id = new.promocion_id;
        if not found then
          raise exception 'promoción % sin fila en promociones', new.promocion_id;
        end if;
      elsif new.type <> 'nota_interna' then
        update promocion_estado
           set state = case when new.type = 'respuesta_cancelada' then 'en_atencion'
                            else new.type end,
               assignee = case when new.type = 'en_atencion' then new.data ->> 'assignee'
                               else assignee end
         where promocion_id = new.promocion_id;
        if not found then
          raise exception 'promoción % sin estado: su evento recibida falta', new.promocion_id;
        end if;
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
 * Writes every promoción's row again from its events, as the trigger would have: what this
 * migration does for the promociones already filed, and what an operator runs (in a transaction)
 * if the projection were ever in doubt. The events are the record; this table only follows them.
 */
export async function rebuildPromocionEstado(db: Kysely<unknown>): Promise<void> {
  await sql`delete from promocion_estado`.execute(db);
  await sql`
    insert into promocion_estado (promocion_id, state, assignee, received_at)
    select p.id,
           (select case when e.type = 'respuesta_cancelada' then 'en_atencion' else e.type end
              from promocion_events e
             where e.promocion_id = p.id and e.type <> 'nota_interna'
             order by e.id desc limit 1),
           (select e.data ->> 'assignee' from promocion_events e
             where e.promocion_id = p.id and e.type = 'en_atencion'
             order by e.id desc limit 1),
           p.received_at
      from promociones p
     where exists (select 1 from promocion_events e
                    where e.promocion_id = p.id and e.type = 'recibida')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger promocion_estado_apply on promocion_events`.execute(db);
  await sql`drop function promocion_estado_apply()`.execute(db);
  await sql`drop table promocion_estado`.execute(db);
}
