import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "../../domain/errors.ts";
import { createS3BlobStore } from "./s3-blob-store.ts";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/**
 * A scripted S3 endpoint on loopback: what the store sends, header by header, and how it
 * behaves on answers s3rver never gives (412, 501).
 */
async function scriptedS3(
  answer: (request: Seen, response: ServerResponse) => void,
): Promise<{ endpoint: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      const entry = {
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

function storeAt(endpoint: string) {
  return createS3BlobStore({
    endpoint,
    region: "us-east-1",
    bucket: "b",
    prefix: "docs/",
    credentials: { accessKeyId: "prueba", secretAccessKey: "secreto-de-prueba" },
    forcePathStyle: true,
    timeoutSeconds: 5,
  });
}

function s3Error(response: ServerResponse, status: number, code: string) {
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>x</Message></Error>`);
}

describe("S3 blob store requests", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  const bytes = Buffer.from("%PDF-1.7 oficio");
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  it("writes conditionally with the checksums the server verifies, under prefix + hash", async () => {
    const s3 = await scriptedS3((request, response) => {
      if (request.method === "HEAD") return s3Error(response, 404, "NotFound");
      response.writeHead(200, { etag: '"x"' });
      response.end();
    });
    server = s3.server;
    expect(await storeAt(s3.endpoint).put(bytes)).toEqual({ sha256, bytes: bytes.byteLength });
    const put = s3.seen.find((r) => r.method === "PUT");
    expect(put?.url.split("?")[0]).toBe(`/b/docs/${sha256}`);
    expect(put?.headers["if-none-match"]).toBe("*");
    expect(put?.headers["content-md5"]).toBe(createHash("md5").update(bytes).digest("base64"));
    expect(put?.headers["x-amz-checksum-sha256"]).toBe(
      createHash("sha256").update(bytes).digest("base64"),
    );
    // The body as is: no aws-chunked framing an older server would keep as content.
    expect(put?.body.equals(bytes)).toBe(true);
    expect(put?.headers["content-encoding"]).toBeUndefined();
  });

  it("takes 412 (another writer first) as stored, after checking the bytes there", async () => {
    const s3 = await scriptedS3((request, response) => {
      if (request.method === "HEAD") return s3Error(response, 404, "NotFound");
      if (request.method === "PUT") return s3Error(response, 412, "PreconditionFailed");
      response.writeHead(200, { "content-length": bytes.byteLength });
      response.end(bytes);
    });
    server = s3.server;
    expect(await storeAt(s3.endpoint).put(bytes)).toEqual({ sha256, bytes: bytes.byteLength });
    expect(s3.seen.map((r) => r.method)).toEqual(["HEAD", "PUT", "GET"]);
  });

  it("falls back to HeadObject-then-Put on a server without conditional writes (501)", async () => {
    const s3 = await scriptedS3((request, response) => {
      if (request.method === "HEAD") return s3Error(response, 404, "NotFound");
      if (request.headers["if-none-match"]) return s3Error(response, 501, "NotImplemented");
      response.writeHead(200, { etag: '"x"' });
      response.end();
    });
    server = s3.server;
    const store = storeAt(s3.endpoint);
    await store.put(bytes);
    await store.put(Buffer.from("otro documento"));
    const puts = s3.seen.filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.headers["if-none-match"] ?? null)).toEqual(["*", null, null]);
    expect(s3.seen.map((r) => r.method)).toEqual(["HEAD", "PUT", "PUT", "HEAD", "PUT"]);
  });

  it("never writes when the key exists", async () => {
    const s3 = await scriptedS3((request, response) => {
      response.writeHead(200, { "content-length": bytes.byteLength });
      response.end(request.method === "GET" ? bytes : undefined);
    });
    server = s3.server;
    await storeAt(s3.endpoint).put(bytes);
    expect(s3.seen.map((r) => r.method)).toEqual(["HEAD", "GET"]);
  });

  it("answers unavailable, naming no endpoint, bucket or key, when the store fails", async () => {
    const s3 = await scriptedS3((_request, response) => s3Error(response, 403, "AccessDenied"));
    server = s3.server;
    const store = storeAt(s3.endpoint);
    for (const attempt of [
      () => store.get(sha256),
      () => store.put(bytes),
      () => store.has(sha256),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("unavailable");
      expect((error as AppError).detail).not.toMatch(/127\.0\.0\.1|docs\/|\bb\b|[0-9a-f]{64}/);
    }
  });
});
