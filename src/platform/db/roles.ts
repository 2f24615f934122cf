import { sql } from "kysely";
import { ConfigError } from "../config.ts";
import type { Db } from "./schema.ts";

/** Kysely's bookkeeping of the migrations (the migrator in database.ts uses these names). */
export const MIGRATION_TABLE = "schema_migrations";
export const MIGRATION_LOCK_TABLE = "schema_migrations_lock";

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Projections only their owner's triggers write (security definer): the serving role reads
 * them, so its credentials cannot change what they say without appending the events they follow.
 */
export const TRIGGER_WRITTEN = ["promocion_estado"] as const;

/**
 * Gives the serving role (the one `buzon serve` connects as) what it needs on the tables the
 * migration role owns, and nothing more: reading and writing rows, never owning a table, so it
 * cannot `ALTER TABLE … DISABLE TRIGGER` (only an owner can) and the append-only triggers hold
 * even against the server's own credentials. No TRUNCATE, TRIGGER or REFERENCES. The
 * migrations' own bookkeeping it may only read (to see whether any is pending): were it able
 * to delete a row there, the next `buzon migrate` would run that migration again. Default
 * privileges carry the same grants to the tables later migrations create. Idempotent; run by
 * the owner after every migration (`buzon migrate` with DATABASE_SERVING_ROLE). The tables in
 * TRIGGER_WRITTEN it may only read.
 */
export async function grantServingRole(db: Db, role: string): Promise<void> {
  if (!ROLE_NAME.test(role)) {
    throw new ConfigError(`DATABASE_SERVING_ROLE no es un nombre de rol válido: «${role}».`);
  }
  const r = sql.id(role);
  const statements = [
    sql`grant usage on schema public to ${r}`,
    sql`grant select, insert, update, delete on all tables in schema public to ${r}`,
    sql`revoke truncate, references, trigger on all tables in schema public from ${r}`,
    sql`revoke insert, update, delete on ${sql.table(MIGRATION_TABLE)}, ${sql.table(MIGRATION_LOCK_TABLE)} from ${r}`,
    ...TRIGGER_WRITTEN.map(
      (table) => sql`revoke insert, update, delete on ${sql.table(table)} from ${r}`,
    ),
    sql`grant usage, select on all sequences in schema public to ${r}`,
    sql`alter default privileges in schema public grant select, insert, update, delete on tables to ${r}`,
    sql`alter default privileges in schema public grant usage, select on sequences to ${r}`,
  ];
  for (const statement of statements) await statement.execute(db);
}
