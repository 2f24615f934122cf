import { chmodSync, mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import { Migrator } from "kysely/migration";
import pg from "pg";
import { CodedError } from "../../domain/errors.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { rebuildPromocionEstado } from "./migrations/0037_promocion_estado.ts";
import { migrations } from "./migrations/index.ts";
import { grantServingRole, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./roles.ts";
import type { Database, Db } from "./schema.ts";

export type Engine = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  engine: Engine;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { engine: "postgres"; url: string; poolSize?: number }
  | { engine: "pglite"; dataDir: string }
  | { engine: "pglite"; instance: PGlite };

/** Where the configuration puts the data: PostgreSQL when DATABASE_URL is set, else PGlite. */
export function databaseTargetOf(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): DatabaseTarget {
  return config.databaseUrl
    ? { engine: "postgres", url: config.databaseUrl }
    : { engine: "pglite", dataDir: config.dataDir };
}

/** Opens the system of record: PostgreSQL when a URL is configured, else embedded PGlite. */
export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  if (target.engine === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // An idle client's network error must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: "postgres", close: () => db.destroy() };
  }
  let pglite: PGlite;
  let unlock = () => {};
  if ("instance" in target) {
    pglite = target.instance;
  } else {
    // The files hold the evidence: only this system's user may read or change them.
    mkdirSync(target.dataDir, { recursive: true, mode: 0o700 });
    chmodSync(target.dataDir, 0o700);
    unlock = lockDataDir(target.dataDir);
    pglite = new PGlite(target.dataDir);
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: "pglite",
    async close() {
      try {
        await db.destroy();
        // Kysely closes PGlite only if it ever ran a query; closing twice is harmless.
        if (!pglite.closed) await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}

export interface MigrationReport {
  applied: string[];
}

export type MigrationErrorCode =
  | "migration_failed"
  | "migrations_pending"
  | "migrations_out_of_order"
  | "migrations_unknown";

/** The schema is not as this code needs it: a migration failed, is missing or is out of order. */
export class MigrationError extends CodedError<MigrationErrorCode> {}

/** The role the system serves with could rewrite the evidence: it refuses to start. */
export class ServingRoleError extends CodedError<"serving_role_unsafe"> {}

export interface MigrationStatus {
  /** Migrations the database ran, by name. */
  executed: string[];
  /** Migrations of this code the database has not run, by name. */
  pending: string[];
}

/**
 * Which migrations the database ran and which it lacks, read without writing anything (the
 * serving role may only read the bookkeeping) and without taking the migration lock.
 */
export async function migrationStatus(db: Db): Promise<MigrationStatus> {
  const table = await sql<{ name: string | null }>`
    select to_regclass(${MIGRATION_TABLE})::text as name`.execute(db);
  const executed = table.rows[0]?.name
    ? (
        await sql<{ name: string }>`
          select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db)
      ).rows.map((r) => r.name)
    : [];
  const ran = new Set(executed);
  return {
    executed,
    pending: Object.keys(migrations)
      .filter((name) => !ran.has(name))
      .sort(),
  };
}

/**
 * Refuses, in Spanish, a database that ran a migration this code does not have (it is newer
 * than the code) or that lacks one older than the last it ran: a database never applies a
 * migration older than one it already ran, since the later one may have been written against
 * a schema without it.
 */
function refuseDisorder({ executed, pending }: MigrationStatus): void {
  const unknown = executed.filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new MigrationError(
      "migrations_unknown",
      `La base de datos ya aplicó migraciones que esta versión del programa no tiene (${unknown.join(", ")}): es más nueva que el programa. Instale la versión que la migró o una posterior.`,
    );
  }
  const last = executed.at(-1);
  const older = last === undefined ? [] : pending.filter((name) => name < last);
  if (last !== undefined && older.length > 0) {
    throw new MigrationError(
      "migrations_out_of_order",
      `La migración ${older.join(", ")} es anterior a ${last}, que la base de datos ya aplicó: las migraciones se aplican solo en orden. Una migración nueva debe llevar un nombre posterior a ${last}.`,
    );
  }
}

/**
 * Applies pending migrations, in order only: refuses to run on a database newer than this
 * code, or to apply a migration older than one the database already ran.
 */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  refuseDisorder(await migrationStatus(db));
  // Kysely checks the same again under its lock (another process may migrate meanwhile) and
  // refuses out-of-order migrations by default (allowUnorderedMigrations stays off).
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new MigrationError(
      "migration_failed",
      `La migración ${failed?.migrationName ?? "(desconocida)"} falló: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return {
    applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName),
  };
}

/**
 * `buzon migrate`, the only command that migrates with the roles apart: connects as
 * MIGRATION_DATABASE_URL's role (the owner of the tables) when set, else as the configured
 * database's, applies pending migrations, and grants DATABASE_SERVING_ROLE its rights on every
 * table, including those just created.
 */
export async function migrateAsOwner(
  config: {
    databaseUrl: string | undefined;
    dataDir: string;
    migrationDatabaseUrl: string | undefined;
    databaseServingRole: string | undefined;
  },
  options: { rebuildProjections?: boolean } = {},
): Promise<MigrationReport> {
  const owner = openDatabase(
    config.migrationDatabaseUrl
      ? { engine: "postgres", url: config.migrationDatabaseUrl, poolSize: 1 }
      : databaseTargetOf(config),
  );
  try {
    if (config.databaseServingRole && owner.engine === "postgres") {
      const { rows } = await sql<{ role: string }>`select current_user as role`.execute(owner.db);
      if (rows[0]?.role === config.databaseServingRole) {
        throw new ServingRoleError(
          "serving_role_unsafe",
          `MIGRATION_DATABASE_URL se conecta como «${config.databaseServingRole}», el mismo DATABASE_SERVING_ROLE: el rol que sirve no debe ser dueño de las tablas. Migre con otro rol (docs/operacion.md).`,
        );
      }
    }
    const report = await migrateToLatest(owner.db);
    if (options.rebuildProjections) {
      // The projections only their triggers write, rewritten from their events in one go.
      await owner.db.transaction().execute(async (tx) => {
        await rebuildPromocionEstado(tx as unknown as Kysely<unknown>);
      });
    }
    if (config.databaseServingRole && owner.engine === "postgres") {
      await grantServingRole(owner.db, config.databaseServingRole);
    }
    return report;
  } finally {
    await owner.close();
  }
}

/**
 * Makes the schema ready for `serve`, `worker` and the other commands that use the data.
 * Without a serving role of its own (development, demo, PGlite, one role for everything) they
 * migrate as they start. With the roles apart (DATABASE_SERVING_ROLE) they never migrate and
 * never hold the owner's credentials: they refuse to start while migrations are pending, and
 * when the role they connect as could disable the append-only triggers.
 */
export async function ensureSchemaReady(
  database: DatabaseHandle,
  servingRole: string | undefined,
): Promise<void> {
  if (!servingRole) {
    await migrateToLatest(database.db);
    return;
  }
  await refuseUnsafeServingRole(database.db, servingRole);
  const status = await migrationStatus(database.db);
  refuseDisorder(status);
  if (status.pending.length > 0) {
    throw new MigrationError(
      "migrations_pending",
      `Hay migraciones pendientes (${status.pending.join(", ")}) y este proceso no migra: ejecute buzon migrate (con MIGRATION_DATABASE_URL) y vuelva a iniciarlo.`,
    );
  }
}

/**
 * Only an owner of a table (or a member of its owner, or a superuser) can disable its
 * triggers; the owner of the schema can drop the table; the owner of the trigger function can
 * replace it. The role serving must be none of these, and must hold DATABASE_SERVING_ROLE's
 * rights (the ones `buzon migrate` grants).
 */
async function refuseUnsafeServingRole(db: Db, servingRole: string): Promise<void> {
  const { rows } = await sql<{
    role: string;
    superuser: boolean;
    serves_as: boolean | null;
    tables: string[];
    functions: string[];
    owns_schema: boolean | null;
  }>`
    select current_user as role,
      (select rolsuper from pg_roles where rolname = current_user) as superuser,
      (select pg_has_role(oid, 'USAGE') from pg_roles where rolname = ${servingRole}) as serves_as,
      array(select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p')
              and pg_has_role(c.relowner, 'MEMBER') order by 1) as tables,
      array(select p.proname::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and pg_has_role(p.proowner, 'MEMBER') order by 1) as functions,
      (select pg_has_role(nspowner, 'MEMBER') from pg_namespace where nspname = 'public') as owns_schema
  `.execute(db);
  const [found] = rows;
  if (!found) {
    throw new ServingRoleError("serving_role_unsafe", "No se pudo leer el rol de la conexión.");
  }
  const how = "(docs/operacion.md, «Un rol para migrar y otro para servir»)";
  const risk = "podría apagar los disparadores de solo inserción y reescribir la evidencia";
  if (found.superuser) {
    throw new ServingRoleError(
      "serving_role_unsafe",
      `DATABASE_URL se conecta como «${found.role}», que es superusuario: ${risk}. Sirva con el rol DATABASE_SERVING_ROLE ${how}.`,
    );
  }
  const owned = [
    ...found.tables.map((t) => `la tabla ${t}`),
    ...found.functions.map((f) => `la función ${f}`),
    ...(found.owns_schema ? ["el esquema public"] : []),
  ];
  if (owned.length > 0) {
    const shown =
      owned.length > 3
        ? `${owned.slice(0, 3).join(", ")} y ${owned.length - 3} más`
        : owned.join(", ");
    throw new ServingRoleError(
      "serving_role_unsafe",
      `DATABASE_URL se conecta como «${found.role}», dueño de ${shown}: ${risk}. Sirva con un rol que no sea dueño de nada y migre con MIGRATION_DATABASE_URL ${how}.`,
    );
  }
  if (found.serves_as === null) {
    throw new ServingRoleError(
      "serving_role_unsafe",
      `DATABASE_SERVING_ROLE nombra el rol «${servingRole}», que no existe en la base de datos ${how}.`,
    );
  }
  if (!found.serves_as) {
    throw new ServingRoleError(
      "serving_role_unsafe",
      `DATABASE_URL se conecta como «${found.role}», que no es DATABASE_SERVING_ROLE («${servingRole}») ni tiene sus permisos ${how}.`,
    );
  }
}
