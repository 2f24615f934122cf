import { chmod, mkdtemp, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditBlobs } from "../platform/blobs/blob-audit.ts";
import { recordBlob } from "../platform/blobs/blob-records.ts";
import { createFsBlobStore } from "../platform/blobs/fs-blob-store.ts";
import { capturingOutput } from "../testing/cli.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../testing/database.ts";
import { documentsCommand } from "./documents-command.ts";
import { parse } from "./usage.ts";

describe.each(ENGINES)("buzon documentos verificar (%s)", (engine) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), "buzon-documentos-"));
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("says every recorded document is intact, then names each one missing or altered", async () => {
    const store = createFsBlobStore(join(dir, "blobs"));
    const documentos = (args: string[]) =>
      capturingOutput(() => documentsCommand(args, parse, { database, store }));
    const texts = ["uno", "dos", "tres", "cuatro", "cinco"];
    const stored = [];
    for (const text of texts) {
      const put = await store.put(new TextEncoder().encode(`%PDF-1.7 ${text}`));
      await recordBlob(database.db, { ...put, mediaType: "application/pdf" });
      stored.push(put);
    }
    const clean = await documentos(["verificar"]);
    expect(clean.value).toBe(0);
    expect(clean.stdout).toBe("5 documentos verificados en el almacén (fs): todos íntegros.\n");

    const [missing, altered, , resized] = stored.map((s) => s.sha256);
    if (!missing || !altered || !resized) throw new Error("faltan documentos");
    await unlink(store.pathOf(missing));
    await chmod(store.pathOf(altered), 0o644);
    await writeFile(store.pathOf(altered), "alterado");
    // Recorded with a size its intact bytes do not have.
    const other = await store.put(new TextEncoder().encode("seis"));
    await recordBlob(database.db, { sha256: other.sha256, bytes: 99, mediaType: "text/plain" });

    const found = await documentos(["verificar"]);
    expect(found.value).toBe(1);
    expect(found.stdout).toContain(`${missing}\tfalta en el almacén\n`);
    expect(found.stdout).toContain(
      `${altered}\talterado: sus bytes ya no coinciden con su SHA-256\n`,
    );
    expect(found.stdout).toContain(`${other.sha256}\tde otro tamaño que el registrado\n`);
    expect(found.stdout).toContain("6 documentos verificados en el almacén (fs): 3 con problemas.");

    const json = JSON.parse((await documentos(["verificar", "--json"])).stdout);
    expect(json).toMatchObject({ store: "fs", checked: 6 });
    expect(json.problems).toHaveLength(3);
    // Page by page, the same answer.
    const paged = await auditBlobs(database.db, store, { pageSize: 2 });
    expect(paged.checked).toBe(6);
    expect(paged.problems).toEqual(json.problems);

    await expect(documentos(["borrar"])).rejects.toThrow(/documentos verificar/);
  });
});
