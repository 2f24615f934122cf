import type { Insertable, Selectable } from "kysely";
import type {
  Db,
  TermsChallengesTable,
  TermsSignaturesTable,
  TermsVersionsTable,
} from "../../platform/db/schema.ts";

export type TermsVersionRow = Selectable<TermsVersionsTable>;
export type TermsChallengeRow = Selectable<TermsChallengesTable>;
export type TermsSignatureRow = Selectable<TermsSignaturesTable>;

/**
 * Every SQL statement of the Términos y Condiciones, built from an executor (the database or a
 * transaction): versions and signatures are append-only (see migration 0012).
 */
export function createTermsStore(db: Db) {
  return {
    /** The current version: the highest published. */
    async current(): Promise<TermsVersionRow | undefined> {
      return db
        .selectFrom("terms_versions")
        .selectAll()
        .orderBy("version", "desc")
        .limit(1)
        .executeTakeFirst();
    },

    async byVersion(version: number): Promise<TermsVersionRow | undefined> {
      return db
        .selectFrom("terms_versions")
        .selectAll()
        .where("version", "=", version)
        .executeTakeFirst();
    },

    /** Every version without its text, newest first. */
    async list() {
      return db
        .selectFrom("terms_versions")
        .select(["version", "sha256", "bytes", "note", "published_by", "published_at"])
        .orderBy("version", "desc")
        .execute();
    },

    /**
     * Publishes `row` as the version after the current one. Two administrators racing get one
     * version each or a primary-key refusal, never two texts under one number.
     */
    async publish(row: Omit<Insertable<TermsVersionsTable>, "version">): Promise<TermsVersionRow> {
      const latest = await db
        .selectFrom("terms_versions")
        .select((eb) => eb.fn.max("version").as("max"))
        .executeTakeFirst();
      const version = Number(latest?.max ?? 0) + 1;
      return db
        .insertInto("terms_versions")
        .values({ ...row, version })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    async insertChallenge(row: TermsChallengeRow): Promise<void> {
      await db.insertInto("terms_challenges").values(row).execute();
    },

    /**
     * Marks the session's challenge used and returns it, in one statement: two requests racing
     * with one challenge cannot both get it, and another session cannot spend it.
     */
    async consumeChallenge(id: string, sessionId: string, usedAt: Date) {
      return db
        .updateTable("terms_challenges")
        .set({ used_at: usedAt })
        .where("id", "=", id)
        .where("session_id", "=", sessionId)
        .where("used_at", "is", null)
        .returningAll()
        .executeTakeFirst();
    },

    async deleteExpiredChallenges(before: Date): Promise<void> {
      await db.deleteFrom("terms_challenges").where("expires_at", "<", before).execute();
    },

    async insertSignature(row: Insertable<TermsSignaturesTable>): Promise<void> {
      await db.insertInto("terms_signatures").values(row).execute();
    },

    async signatureByFolio(folio: string): Promise<TermsSignatureRow | undefined> {
      return db
        .selectFrom("terms_signatures")
        .selectAll()
        .where("acuse_folio", "=", folio)
        .executeTakeFirst();
    },

    /** The newest signature of the RFC's mailbox, if any. */
    async latestSignatureOf(rfc: string): Promise<TermsSignatureRow | undefined> {
      return db
        .selectFrom("terms_signatures")
        .selectAll()
        .where("rfc", "=", rfc)
        .orderBy("signed_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
    },
  };
}

export type TermsStore = ReturnType<typeof createTermsStore>;

/**
 * The label of the version in force (`"1"`, `"2"`…), or undefined before any is published: what
 * a mailbox's `terms_version` is compared with to know whether it must sign again.
 */
export async function currentTermsVersion(executor: Db): Promise<string | undefined> {
  const row = await createTermsStore(executor).current();
  return row ? String(row.version) : undefined;
}
