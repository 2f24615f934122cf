import type { ColumnType, Generated, Kysely } from "kysely";

/** Tables as Kysely sees them. Every table's SQL lives in ./migrations. */
export interface Database {
  calendar_versions: CalendarVersionsTable;
}

export interface CalendarVersionsTable {
  id: Generated<string>;
  authority: string;
  version: string;
  /** The declared days of this version, `[{date, reason, source}]`, sorted by date. */
  days: ColumnType<unknown, string, never>;
  note: string;
  created_by: string;
  created_at: ColumnType<Date, never, never>;
}

export type Db = Kysely<Database>;
