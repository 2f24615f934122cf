import { sql } from "kysely";
import type { CalendarData, DeclaredDay } from "../../domain/calendar/calendar.ts";
import type { Db } from "../../platform/db/schema.ts";

export interface StoredCalendarVersion extends CalendarData {
  id: string;
  note: string;
  createdBy: string;
  createdAt: Date;
}

type Row = {
  id: string;
  authority: string;
  version: string;
  days: unknown;
  years: number[] | null;
  note: string;
  created_by: string;
  created_at: Date;
};

/** Every SQL statement about calendar versions. The table is append-only (see its migration). */
export function createCalendarStore(db: Db) {
  const toVersion = (row: Row): StoredCalendarVersion => ({
    id: String(row.id),
    authority: row.authority,
    version: row.version,
    days: row.days as DeclaredDay[],
    ...(row.years ? { years: row.years } : {}),
    note: row.note,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  });
  const columns = [
    "id",
    "authority",
    "version",
    "days",
    "years",
    "note",
    "created_by",
    "created_at",
  ] as const;

  return {
    async latest(authority: string, executor: Db = db): Promise<StoredCalendarVersion | undefined> {
      const row = await executor
        .selectFrom("calendar_versions")
        .select(columns)
        .where("authority", "=", authority)
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },

    /** The id of each authority's latest version (a handful of rows: no parsing of days). */
    async latestIds(authorities: readonly string[]): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom("calendar_versions")
        .select(["authority", sql<string>`max(id)`.as("id")])
        .where("authority", "in", authorities)
        .groupBy("authority")
        .execute();
      return new Map(rows.map((r) => [r.authority, String(r.id)]));
    },

    async byId(id: string): Promise<StoredCalendarVersion | undefined> {
      const row = await db
        .selectFrom("calendar_versions")
        .select(columns)
        .where("id", "=", id)
        .executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },

    async byVersion(
      authority: string,
      version: string,
    ): Promise<StoredCalendarVersion | undefined> {
      const row = await db
        .selectFrom("calendar_versions")
        .select(columns)
        .where("authority", "=", authority)
        .where("version", "=", version)
        .executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },

    async list(authority: string): Promise<Omit<StoredCalendarVersion, "days">[]> {
      const rows = await db
        .selectFrom("calendar_versions")
        .select(["id", "authority", "version", "note", "created_by", "created_at"])
        .where("authority", "=", authority)
        .orderBy("id", "desc")
        .execute();
      return rows.map((r) => {
        const { days: _days, years: _years, ...rest } = toVersion({ ...r, days: [], years: null });
        return rest;
      });
    },

    async countWithPrefix(authority: string, prefix: string, executor: Db = db): Promise<number> {
      const row = await executor
        .selectFrom("calendar_versions")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("authority", "=", authority)
        .where("version", "like", `${prefix.replaceAll(/[\\%_]/g, "\\$&")}%`)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async exists(authority: string, version: string, executor: Db = db): Promise<boolean> {
      const row = await executor
        .selectFrom("calendar_versions")
        .select("id")
        .where("authority", "=", authority)
        .where("version", "=", version)
        .executeTakeFirst();
      return row !== undefined;
    },

    async insert(
      version: CalendarData & { note: string; createdBy: string },
      executor: Db = db,
    ): Promise<StoredCalendarVersion> {
      const row = await executor
        .insertInto("calendar_versions")
        .values({
          authority: version.authority,
          version: version.version,
          days: JSON.stringify(version.days),
          years: version.years ? JSON.stringify(version.years) : null,
          note: version.note,
          created_by: version.createdBy,
        })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toVersion(row);
    },

    /**
     * Runs `work` holding a lock on the authority's calendar, so two administrators adding days
     * at once get two versions in order rather than one lost update.
     */
    async withAuthorityLock<T>(authority: string, work: (tx: Db) => Promise<T>): Promise<T> {
      return db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${`calendar:${authority}`}))`.execute(tx);
        return work(tx);
      });
    },
  };
}

export type CalendarStore = ReturnType<typeof createCalendarStore>;
