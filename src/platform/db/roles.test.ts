import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendMailboxEvent } from "../../features/mailbox/store.ts";
import { buildSystem } from "../../system.ts";
import { promocionInput } from "../../testing/acuse-input.ts";
import { buzonInProcess } from "../../testing/cli.ts";
import { TEST_OWNER_ROLE, TEST_SERVING_ROLE } from "../../testing/database.ts";
import { createTestSystem, TEST_CALENDAR, type TestSystem } from "../../testing/server.ts";
import { loadConfig } from "../config.ts";
import { migrationStatus, openDatabase } from "./database.ts";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./roles.ts";
import type { Db } from "./schema.ts";

const baseUrl = process.env.TEST_DATABASE_URL;
if (!baseUrl) console.log("SKIP: roles de PostgreSQL (TEST_DATABASE_URL no está definida)");

/** The URL of `database` as `user` (trust authentication on the test server). */
function urlAs(user: string, database: string): string {
  const url = new URL(baseUrl ?? "");
  url.username = user;
  url.password = "";
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs the statements as the test server's superuser, in `database` when named; answers the last one's rows. */
async function asAdmin(statements: string[], database?: string): Promise<unknown[]> {
  const admin = new pg.Client({
    connectionString: database ? urlAs(new URL(baseUrl ?? "").username, database) : baseUrl,
  });
  await admin.connect();
  try {
    let rows: unknown[] = [];
    for (const statement of statements) rows = (await admin.query(statement)).rows;
    return rows;
  } finally {
    await admin.end();
  }
}

describe.skipIf(!baseUrl)("the serving role apart from the migration role (PostgreSQL)", () => {
  const suffix = randomBytes(4).toString("hex");
  const owner = `buzon_migra_${suffix}`;
  const serving = `buzon_app_${suffix}`;
  const stranger = `buzon_otro_${suffix}`;
  const database = `buzon_roles_${suffix}`;
  const dataDir = mkdtempSync(join(tmpdir(), "buzon-roles-"));
  /** The deployment's environment: serves as the serving role, migrates as the owner. */
  const env = (): Record<string, string> => ({
    BUZON_ENV: "test",
    LOG_LEVEL: "silent",
    DATA_DIR: dataDir,
    CHECKPOINT_INTERVAL_SECONDS: "1",
    DATABASE_URL: urlAs(serving, database),
    MIGRATION_DATABASE_URL: urlAs(owner, database),
    DATABASE_SERVING_ROLE: serving,
  });
  /** `buzon serve`'s system, connected as `user` with the roles apart. */
  const systemAs = (user: string) =>
    buildSystem({
      config: loadConfig({ ...env(), DATABASE_URL: urlAs(user, database) }),
      database: openDatabase({ engine: "postgres", url: urlAs(user, database), poolSize: 2 }),
      initialCalendar: TEST_CALENDAR,
      trustAnchors: [],
    });
  let system: Awaited<ReturnType<typeof buildSystem>>;

  beforeAll(async () => {
    await asAdmin([
      `create role ${owner} login`,
      `create role ${serving} login`,
      `create role ${stranger} login`,
      `create database ${database} owner ${owner}`,
    ]);
  });

  afterAll(async () => {
    await system?.app.close();
    await asAdmin([
      `drop database if exists ${database} with (force)`,
      `drop role if exists ${serving}`,
      `drop role if exists ${owner}`,
      `drop role if exists ${stranger}`,
    ]);
  });

  it("does not start serve, worker, personal or padron before `buzon migrate`, and never migrates them", async () => {
    const padron = join(dataDir, "padron.csv");
    writeFileSync(padron, "rfc\n");
    for (const args of [
      ["serve", "--port", "0"],
      ["worker"],
      ["personal", "listar"],
      ["padron", "importar", padron],
    ]) {
      const { code, stdout, stderr } = await buzonInProcess(args, env());
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(
        /^Error: Hay migraciones pendientes \(0001_calendar_versions, .*ejecute buzon migrate/,
      );
    }
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      expect((await migrationStatus(served.db)).executed).toEqual([]);
    } finally {
      await served.close();
    }
  });

  it("migrates only through `buzon migrate`, as the owner, and then serves as the serving role", async () => {
    const migrated = await buzonInProcess(["migrate"], env());
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain("0001_calendar_versions");
    const owners = await asAdmin(
      [`select distinct tableowner from pg_tables where schemaname = 'public'`],
      database,
    );
    expect(owners).toEqual([{ tableowner: owner }]);
    system = await systemAs(serving);
  });

  it("serves and writes as a role that owns no table", async () => {
    await system.staff.set({ rfc: "CACX7605101P8", role: "auditor" }, "pruebas");
    expect((await system.staff.list()).map((s) => s.rfc)).toEqual(["CACX7605101P8"]);
    // The change and its audit event were written by the serving role.
    expect((await system.auth.events({ limit: 5 }))[0]).toMatchObject({ event: "personal" });
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      const owned = await sql<{ n: number }>`
        select count(*)::int as n from pg_tables
        where schemaname = 'public' and tableowner = current_user`.execute(served.db);
      expect(owned.rows[0]?.n).toBe(0);
    } finally {
      await served.close();
    }
  });

  it("cannot disable, truncate or get around the append-only triggers", async () => {
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      for (const table of ["acuses", "auth_events", "log_leaves"]) {
        for (const which of [sql`all`, sql`user`, sql.id(`${table}_append_only`)]) {
          await expect(
            sql`alter table ${sql.table(table)} disable trigger ${which}`.execute(served.db),
          ).rejects.toThrow(/must be owner/);
        }
        await expect(sql`truncate ${sql.table(table)}`.execute(served.db)).rejects.toThrow(
          /permission denied/,
        );
      }
      await expect(sql`delete from auth_events`.execute(served.db)).rejects.toThrow();
      await expect(
        sql`create trigger sin_efecto before insert on auth_events for each row execute function forbid_change()`.execute(
          served.db,
        ),
      ).rejects.toThrow(/must be owner|permission denied/);
    } finally {
      await served.close();
    }
    // The owner can (that is why it is kept apart): shown in a transaction that rolls back.
    const migrating = openDatabase({
      engine: "postgres",
      url: urlAs(owner, database),
      poolSize: 1,
    });
    try {
      await expect(
        migrating.db.transaction().execute(async (tx) => {
          await sql`alter table acuses disable trigger acuses_append_only`.execute(tx);
          throw new Error("deshacer");
        }),
      ).rejects.toThrow("deshacer");
    } finally {
      await migrating.close();
    }
  });

  it("lets the serving role read the migrations' bookkeeping, never change it", async () => {
    const served = openDatabase({ engine: "postgres", url: urlAs(serving, database), poolSize: 1 });
    try {
      expect((await migrationStatus(served.db)).pending).toEqual([]);
      for (const [table, column] of [
        [MIGRATION_TABLE, "name"],
        [MIGRATION_LOCK_TABLE, "is_locked"],
      ] as const) {
        const t = sql.table(table);
        await sql`select * from ${t}`.execute(served.db);
        for (const change of [
          sql`delete from ${t}`,
          sql`update ${t} set ${sql.ref(column)} = ${sql.ref(column)}`,
          sql`truncate ${t}`,
        ]) {
          await expect(change.execute(served.db), table).rejects.toThrow(/permission denied/);
        }
      }
      await expect(
        sql`insert into schema_migrations (name, timestamp) values ('9999_x', 'now')`.execute(
          served.db,
        ),
      ).rejects.toThrow(/permission denied/);
      await expect(
        sql`update schema_migrations_lock set is_locked = 1`.execute(served.db),
      ).rejects.toThrow(/permission denied/);
    } finally {
      await served.close();
    }
    // Rights granted again by a later `buzon migrate` leave it the same.
    expect((await buzonInProcess(["migrate"], env())).stdout).toContain("ya está al día");
    const rights = await asAdmin(
      [
        `select table_name::text, string_agg(privilege_type, ',' order by privilege_type) as rights
       from information_schema.role_table_grants
       where grantee = '${serving}' and table_name like 'schema_migrations%'
       group by table_name order by table_name`,
      ],
      database,
    );
    expect(rights).toEqual([
      { table_name: MIGRATION_TABLE, rights: "SELECT" },
      { table_name: MIGRATION_LOCK_TABLE, rights: "SELECT" },
    ]);
  });

  it("refuses to serve as a role that could disable the triggers, or that lacks the serving role's rights", async () => {
    await expect(systemAs(owner)).rejects.toMatchObject({
      code: "serving_role_unsafe",
      detail: expect.stringMatching(
        new RegExp(
          `^DATABASE_URL se conecta como «${owner}», dueño de la tabla \\w+, .* podría apagar los disparadores de solo inserción`,
        ),
      ),
    });
    await expect(systemAs("postgres")).rejects.toMatchObject({
      detail: expect.stringContaining("que es superusuario: podría apagar los disparadores"),
    });
    await expect(systemAs(stranger)).rejects.toMatchObject({
      detail: expect.stringContaining(`no es DATABASE_SERVING_ROLE («${serving}»)`),
    });
    // The worker as well, from the command line.
    const worker = await buzonInProcess(["worker"], {
      ...env(),
      DATABASE_URL: urlAs(owner, database),
    });
    expect(worker.code).toBe(2);
    expect(worker.stderr).toContain(`DATABASE_URL se conecta como «${owner}», dueño de`);
    // And `buzon migrate` refuses to migrate as the serving role itself.
    const migrate = await buzonInProcess(["migrate"], {
      ...env(),
      MIGRATION_DATABASE_URL: urlAs(serving, database),
    });
    expect(migrate.code).toBe(2);
    expect(migrate.stderr).toContain("el mismo DATABASE_SERVING_ROLE");
  });
});

/**
 * Every PostgreSQL test runs the application as the test helper's serving role: here, that
 * role, on a system the helper built, meets the same walls a stolen serving credential would.
 */
describe.skipIf(!baseUrl)("the tests' own databases, as the serving role (PostgreSQL)", () => {
  let system: TestSystem;
  /** The tables with the append-only triggers that hold rows once the system has worked. */
  const WRITTEN = [
    "acuses",
    "auth_events",
    "calendar_versions",
    "log_checkpoints",
    "log_leaves",
    "mailbox_events",
    "seal_certificates",
  ];

  beforeAll(async () => {
    // Starting checks the role as `buzon serve` does: no superuser, owner of nothing.
    system = await createTestSystem({ engine: "postgres" });
    await system.evidence.issueAcuse(
      promocionInput([{ name: "Escrito.pdf", sha256: "ab".repeat(32), bytes: 10 }]),
    );
    await system.evidence.publishCheckpoint();
    await system.staff.set({ rfc: "CACX7605101P8", role: "auditor" }, "pruebas");
    await appendMailboxEvent(system.database.db, {
      type: "habilitacion_2020",
      rfc: "EKU9003173C9",
      at: Temporal.Instant.from("2026-12-01T16:00:00Z"),
      data: { enabledAt: "2020-10-01T15:00:00Z", termsVersion: null },
    });
  }, 60_000);
  afterAll(async () => {
    await system?.app.close();
  });

  it("serves as a role that is no superuser and owns nothing; the owner is another role", async () => {
    const role = async (db: Db) =>
      (
        await sql<{ role: string; superuser: boolean; owned: number }>`
          select current_user as role,
            (select rolsuper from pg_roles where rolname = current_user) as superuser,
            (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and c.relowner = (select oid from pg_roles where rolname = current_user)) as owned`.execute(
          db,
        )
      ).rows[0];
    expect(await role(system.database.db)).toEqual({
      role: TEST_SERVING_ROLE,
      superuser: false,
      owned: 0,
    });
    expect(await role(system.database.asOwner)).toMatchObject({
      role: TEST_OWNER_ROLE,
      superuser: false,
    });
  });

  it("cannot disable or drop the append-only triggers, nor change, delete or truncate the evidence", async () => {
    const db = system.database.db;
    const { rows } = await sql<{ table: string; rows: number; column: string }>`
      select c.relname::text as table,
        (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I', c.relname), false, true, '')))[1]::text::int as rows,
        (select a.attname::text from pg_attribute a
          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            and a.attidentity = '' and a.attgenerated = '' order by a.attnum limit 1) as column
      from pg_trigger t join pg_class c on c.oid = t.tgrelid
      where t.tgname = c.relname || '_append_only'
      order by 1`.execute(db);
    const tables = rows.map((r) => r.table);
    for (const table of WRITTEN) expect(tables).toContain(table);
    // The refusals to change rows below are the trigger's: the rows are there.
    for (const table of WRITTEN) {
      expect(rows.find((r) => r.table === table)?.rows, table).toBeGreaterThan(0);
    }
    for (const { table, rows: count, column } of rows) {
      const t = sql.table(table);
      for (const which of [
        sql`all`,
        sql`user`,
        sql.id(`${table}_append_only`),
        sql.id(`${table}_no_truncate`),
      ]) {
        await expect(
          sql`alter table ${t} disable trigger ${which}`.execute(db),
          table,
        ).rejects.toThrow(/must be owner/);
      }
      for (const trigger of [`${table}_append_only`, `${table}_no_truncate`]) {
        await expect(
          sql`drop trigger ${sql.id(trigger)} on ${t}`.execute(db),
          trigger,
        ).rejects.toThrow(/must be owner/);
      }
      await expect(sql`truncate ${t} cascade`.execute(db), table).rejects.toThrow(
        /permission denied/,
      );
      if (count > 0) {
        await expect(
          sql`update ${t} set ${sql.ref(column)} = ${sql.ref(column)}`.execute(db),
          table,
        ).rejects.toThrow(/solo admite inserciones/);
        await expect(sql`delete from ${t}`.execute(db), table).rejects.toThrow(
          /solo admite inserciones/,
        );
      }
    }
    // Nor around them: replacing or dropping the trigger function, replica mode (which skips
    // ordinary triggers), or a trigger of its own.
    await expect(
      sql`create or replace function forbid_change() returns trigger language plpgsql as $$ begin return new; end $$`.execute(
        db,
      ),
    ).rejects.toThrow(/permission denied for schema public|must be owner/);
    await expect(sql`drop function forbid_change() cascade`.execute(db)).rejects.toThrow(
      /must be owner/,
    );
    await expect(sql`set session_replication_role = replica`.execute(db)).rejects.toThrow(
      /permission denied/,
    );
    await expect(
      sql`create trigger sin_efecto before insert on acuses for each row execute function forbid_change()`.execute(
        db,
      ),
    ).rejects.toThrow(/permission denied|must be owner/);
    // Everything is as it was.
    const after = await sql<{ n: number }>`select count(*)::int as n from acuses`.execute(db);
    expect(after.rows[0]?.n).toBe(rows.find((r) => r.table === "acuses")?.rows);
  });
});
