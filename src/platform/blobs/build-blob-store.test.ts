import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBlobStore } from "../../system.ts";
import { startTestS3Server, type TestS3Server } from "../../testing/s3-server.ts";
import { createTestSystem } from "../../testing/server.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { loggerOptions } from "../log.ts";

describe("the configured blob store", () => {
  let s3: TestS3Server;
  let dir: string;
  beforeAll(async () => {
    s3 = await startTestS3Server();
    dir = await mkdtemp(join(tmpdir(), "buzon-blob-config-"));
  });
  afterAll(async () => {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
  });

  const s3Env = (extra: Record<string, string>) => ({
    BLOB_STORE: "s3",
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    S3_FORCE_PATH_STYLE: "true",
    ...extra,
  });

  it("reads the S3 secret from a file kept from other users", async () => {
    const file = join(dir, "s3-secret");
    await writeFile(file, `${s3.credentials.secretAccessKey}\n`, { mode: 0o600 });
    const store = await buildBlobStore(loadConfig(s3Env({ S3_SECRET_ACCESS_KEY_FILE: file })));
    expect(store.kind).toBe("s3");
    const { sha256 } = await store.put(new TextEncoder().encode("con la llave del archivo"));
    expect((await store.get(sha256)).toString()).toBe("con la llave del archivo");

    await chmod(file, 0o644);
    const refused = await buildBlobStore(
      loadConfig(s3Env({ S3_SECRET_ACCESS_KEY_FILE: file })),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain("S3_SECRET_ACCESS_KEY_FILE");
    expect((refused as Error).message).toContain("chmod 600");
  });

  it("refuses to start on a DATA_DIR it cannot write", async () => {
    const file = join(dir, "no-es-directorio");
    await writeFile(file, "x");
    const refused = await buildBlobStore(loadConfig({ DATA_DIR: file })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toContain("almacén de documentos, DATA_DIR/blobs");
    const store = await buildBlobStore(loadConfig({ DATA_DIR: join(dir, "datos") }));
    expect(store.kind).toBe("fs");
    expect(await store.has("0".repeat(64))).toBe(false);
  });

  it("gives the system an S3 store and says so when ready, never logging the secret", async () => {
    const lines: string[] = [];
    const system = await createTestSystem({
      env: s3Env({ S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey }),
      logger: loggerOptions({ logLevel: "info" }, { write: (line) => lines.push(line) }),
    });
    try {
      expect(system.blobs.kind).toBe("s3");
      expect((await system.app.inject({ url: "/readyz" })).json()).toEqual({
        status: "ready",
        blobs: "s3",
      });
      const { sha256 } = await system.blobs.put(new TextEncoder().encode("%PDF-1.7"));
      expect(await system.blobs.has(sha256)).toBe(true);
    } finally {
      await system.app.close();
    }
    const started = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "almacén de documentos");
    expect(started).toMatchObject({ blobs: "s3", endpoint: s3.endpoint, bucket: s3.bucket });
    expect(lines.join("\n")).not.toContain(s3.credentials.secretAccessKey);
    expect(lines.join("\n")).not.toContain("no responde");
  });

  it("starts with a bucket that does not answer, and says so in the log", async () => {
    const lines: string[] = [];
    const system = await createTestSystem({
      // A port nothing listens on (the first one s3rver is not on).
      env: s3Env({ S3_ENDPOINT: "http://127.0.0.1:9", S3_SECRET_ACCESS_KEY: "x" }),
      logger: loggerOptions({ logLevel: "info" }, { write: (line) => lines.push(line) }),
    });
    try {
      expect((await system.app.inject({ url: "/readyz" })).json()).toEqual({
        status: "ready",
        blobs: "s3",
      });
    } finally {
      await system.app.close();
    }
    expect(lines.map((l) => JSON.parse(l).msg)).toContain(
      "el almacén de documentos no responde: los depósitos y descargas fallarán hasta que responda",
    );
  });
});
