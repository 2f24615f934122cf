import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { findBlob, recordBlob } from "./blob-records.ts";

describe.each(ENGINES)("blob metadata on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  const sha256 = "ab".repeat(32);
  const at = Temporal.Instant.from("2026-12-07T16:00:00Z");

  it("records a blob in the caller's transaction, and a repeat keeps the first record", async () => {
    await database.db.transaction().execute(async (tx) => {
      await recordBlob(tx, { sha256, bytes: 5_000_000_000, mediaType: "application/pdf", at });
      await recordBlob(tx, { sha256, bytes: 5_000_000_000, mediaType: "text/plain" });
    });
    expect(await findBlob(database.db, sha256)).toEqual({
      sha256,
      bytes: 5_000_000_000,
      mediaType: "application/pdf",
      createdAt: at,
    });
    expect(await findBlob(database.db, "cd".repeat(32))).toBeUndefined();
  });

  it("leaves nothing when the transaction rolls back", async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await recordBlob(tx, { sha256, bytes: 1, mediaType: "application/pdf", at });
        throw new Error("el caso de uso falló después");
      }),
    ).rejects.toThrow(/falló/);
    expect(await findBlob(database.db, sha256)).toBeUndefined();
  });

  it("refuses what is not a hash, a negative size or a malformed media type", async () => {
    for (const bad of [
      { sha256: "AB".repeat(32), bytes: 1, mediaType: "application/pdf" },
      { sha256: "ab".repeat(31), bytes: 1, mediaType: "application/pdf" },
      { sha256, bytes: -1, mediaType: "application/pdf" },
      { sha256, bytes: 1, mediaType: "pdf" },
      { sha256, bytes: 1, mediaType: "Application/PDF" },
    ]) {
      await expect(recordBlob(database.db, { ...bad, at }), JSON.stringify(bad)).rejects.toThrow();
    }
  });

  it("refuses to update, delete or truncate a record: the metadata is append-only", async () => {
    await recordBlob(database.db, { sha256, bytes: 10, mediaType: "application/pdf", at });
    await expect(
      database.db.updateTable("blobs").set({ media_type: "text/plain" }).execute(),
    ).rejects.toThrow(/solo admite inserciones/);
    await expect(database.db.deleteFrom("blobs").execute()).rejects.toThrow(
      /solo admite inserciones/,
    );
    await expect(sql`truncate blobs`.execute(database.asOwner)).rejects.toThrow(
      /solo admite inserciones/,
    );
    expect((await findBlob(database.db, sha256))?.mediaType).toBe("application/pdf");
  });
});
