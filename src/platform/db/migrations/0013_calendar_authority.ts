import { type Kysely, sql } from "kysely";

/**
 * Calendars per authority: IMSS (notifications, promociones, recurso de inconformidad) and TFJA
 * (juicio de nulidad, LFPCA arts. 13 y 74). Each version also records the years whose
 * declaration it holds, so a year with none is told apart from a year with no declared day
 * (null: the years of its days). Days may carry a CFF art. 12 `kind` inside `days`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table calendar_versions
      add column years jsonb check (years is null or jsonb_typeof(years) = 'array'),
      add constraint calendar_versions_authority_known check (authority in ('IMSS', 'TFJA'))
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table calendar_versions
      drop constraint calendar_versions_authority_known,
      drop column years
  `.execute(db);
}
