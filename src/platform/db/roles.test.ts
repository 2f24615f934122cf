import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSystem } from "../../system.ts";
import { buzonInProcess } from "../../testing/cli.ts";
import { TEST_CALENDAR } from "../../testing/server.ts";
import { loadConfig } from "../config.ts";
import { migrationStatus, openDatabase } from "./database.ts";
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./roles.ts";

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
