import type { Buffer } from "node:buffer";
import type { Insertable, Selectable } from "kysely";
import type { ApiTokensTable, Db } from "../../platform/db/schema.ts";

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Every SQL statement of the staff's API tokens. */
export function createApiTokenStore(db: Db) {
  return {
    async insert(row: Insertable<ApiTokensTable>): Promise<void> {
      await db.insertInto("api_tokens").values(row).execute();
    },

    async byHash(tokenHash: Buffer): Promise<ApiTokenRow | undefined> {
      return db
        .selectFrom("api_tokens")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst();
    },

    /**
     * `share`: read FOR SHARE, inside a transaction that acts in the token's name (a chunk of a
     * lote): its revocation (an UPDATE) waits for that transaction's commit.
     */
    async byId(id: string, options?: { share?: boolean }): Promise<ApiTokenRow | undefined> {
      const query = db.selectFrom("api_tokens").selectAll().where("id", "=", id);
      return (options?.share ? query.forShare() : query).executeTakeFirst();
    },

    /** Read FOR UPDATE by the revocation: its instant is taken once no deposit holds the row. */
    async lockById(id: string): Promise<ApiTokenRow | undefined> {
      return db
        .selectFrom("api_tokens")
        .selectAll()
        .where("id", "=", id)
        .forUpdate()
        .executeTakeFirst();
    },

    async list(staffRfc: string | undefined): Promise<ApiTokenRow[]> {
      let query = db.selectFrom("api_tokens").selectAll().orderBy("created_at", "desc");
      if (staffRfc) query = query.where("staff_rfc", "=", staffRfc);
      return query.execute();
    },

    /** Revokes a token not yet revoked; false when there was none to revoke. */
    async revoke(id: string, at: Date, by: string): Promise<boolean> {
      const result = await db
        .updateTable("api_tokens")
        .set({ revoked_at: at, revoked_by: by })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async touch(id: string, at: Date): Promise<void> {
      await db.updateTable("api_tokens").set({ last_used_at: at }).where("id", "=", id).execute();
    },
  };
}

export type ApiTokenStore = ReturnType<typeof createApiTokenStore>;
