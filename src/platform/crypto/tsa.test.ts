import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTsa, type TestTsa } from "../../testing/tsa-server.ts";
import { withPkijs } from "./pkijs-engine.ts";
import { requestTimestamp, type Timestamp, TsaError, verifyTimestampToken } from "./tsa.ts";

const run = promisify(execFile);
const sha256 = (text: string) => createHash("sha256").update(text).digest();

async function expectTsaError(promise: Promise<unknown>, code: string): Promise<TsaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TsaError);
  expect((error as TsaError).code).toBe(code);
  return error as TsaError;
}

/** A loopback HTTP server that answers every POST with `body`. */
async function fixedServer(body: () => Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const bytes = body();
      response.writeHead(200, { "content-type": "application/timestamp-reply" });
      response.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

describe("RFC 3161 time-stamps", () => {
  let tsa: TestTsa;
  let ca: X509Certificate;
  let tsaCert: X509Certificate;
  let work: string;
  const data = "acuse BI-20250203-100717151";
  const digest = sha256(data);
  let stamp: Timestamp;

  beforeAll(async () => {
    tsa = await startTestTsa();
    ca = new X509Certificate(tsa.caPem);
    tsaCert = new X509Certificate(tsa.certificatePem);
    work = await mkdtemp(join(tmpdir(), "buzon-tsa-test-"));
    stamp = await requestTimestamp({ url: tsa.url, digest, trusted: [ca] });
  }, 60_000);

  afterAll(async () => {
    await tsa?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("obtains a verified time-stamp for a digest from a real TSA", async () => {
    expect(Math.abs(stamp.genTime.getTime() - Date.now())).toBeLessThan(60_000);
    expect(stamp.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(stamp.tsaName).toContain("CN=TSA de pruebas");
    expect(stamp.token[0]).toBe(0x30);
    // Trusting the TSA certificate directly works too.
    const direct = await requestTimestamp({ url: tsa.url, digest, trusted: [tsaCert] });
    expect(direct.serialNumber).not.toBe(stamp.serialNumber);
    // And the stored token re-verifies offline.
    const again = await verifyTimestampToken(stamp.token, digest, [ca]);
    expect(again.genTime.getTime()).toBe(stamp.genTime.getTime());
    expect(again.serialNumber).toBe(stamp.serialNumber);
  });

  it("stores a token that `openssl ts -verify` accepts", async () => {
    const tokenFile = join(work, "token.der");
    await writeFile(tokenFile, stamp.token);
    const args = [
      "ts",
      "-verify",
      "-digest",
      digest.toString("hex"),
      "-token_in",
      "-in",
      tokenFile,
      "-CAfile",
      join(tsa.dir, "ca.pem"),
      "-untrusted",
      join(tsa.dir, "tsa.crt"),
    ];
    const { stdout } = await run("openssl", args);
    expect(stdout).toContain("Verification: OK");
    // OpenSSL refuses it for another digest: the check is real.
    const other = args.map((a) =>
      a === digest.toString("hex") ? sha256("otro").toString("hex") : a,
    );
    await expect(run("openssl", other)).rejects.toThrow();
  });

  it("rejects a different digest, a tampered token and an untrusted TSA", async () => {
    const wrong = await expectTsaError(
      verifyTimestampToken(stamp.token, sha256("otro"), [ca]),
      "tsa_invalid",
    );
    expect(wrong.message).toMatch(/no corresponde a este documento/);

    const badSignature = Buffer.from(stamp.token);
    const last = badSignature.length - 5;
    badSignature[last] = (badSignature[last] ?? 0) ^ 0x01;
    const forged = await expectTsaError(
      verifyTimestampToken(badSignature, digest, [ca]),
      "tsa_invalid",
    );
    expect(forged.message).toMatch(/firma del sello de tiempo no es válida/);

    // Move genTime by one second inside the signed TSTInfo.
    const genTime = Buffer.from(stamp.genTime.toISOString().slice(0, 19).replace(/[-T:]/g, ""));
    const at = stamp.token.indexOf(genTime);
    expect(at).toBeGreaterThan(0);
    const badTime = Buffer.from(stamp.token);
    const digit = at + genTime.length - 1;
    badTime[digit] = (badTime[digit] ?? 0x30) === 0x30 ? 0x31 : 0x30;
    const moved = await expectTsaError(verifyTimestampToken(badTime, digest, [ca]), "tsa_invalid");
    expect(moved.message).toMatch(/firma del sello de tiempo no es válida/);

    await expectTsaError(verifyTimestampToken(Buffer.from("hola"), digest, [ca]), "tsa_invalid");

    const stranger = await startTestTsa();
    try {
      const strangerCa = new X509Certificate(stranger.caPem);
      const untrusted = await expectTsaError(
        verifyTimestampToken(stamp.token, digest, [strangerCa]),
        "tsa_invalid",
      );
      expect(untrusted.message).toMatch(/no es de confianza/);
    } finally {
      await stranger.close();
    }
  }, 60_000);

  it("refuses a genTime far from the expected instant", async () => {
    const error = await expectTsaError(
      requestTimestamp({
        url: tsa.url,
        digest,
        trusted: [ca],
        at: new Date(Date.now() + 3_600_000),
      }),
      "tsa_invalid",
    );
    expect(error.message).toMatch(/difiere demasiado/);
  });

  it("refuses a replayed reply (nonce mismatch)", async () => {
    // Capture a genuine reply, then serve it again for a new request.
    const captured: Buffer[] = [];
    const proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", async () => {
        if (captured[0]) {
          response.writeHead(200).end(captured[0]);
          return;
        }
        const upstream = await fetch(tsa.url, {
          method: "POST",
          headers: { "content-type": "application/timestamp-query" },
          body: Buffer.concat(chunks),
        });
        const body = Buffer.from(await upstream.arrayBuffer());
        captured.push(body);
        response.writeHead(200).end(body);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const { port } = proxy.address() as { port: number };
    const url = `http://127.0.0.1:${port}/`;
    try {
      await requestTimestamp({ url, digest, trusted: [ca] });
      const error = await expectTsaError(
        requestTimestamp({ url, digest, trusted: [ca] }),
        "tsa_invalid",
      );
      expect(error.message).toMatch(/nonce/);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it("reports an unreachable TSA as tsa_unavailable", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const error = await expectTsaError(
      requestTimestamp({
        url: `http://127.0.0.1:${port}/`,
        digest,
        trusted: [ca],
        timeoutMs: 2000,
      }),
      "tsa_unavailable",
    );
    expect(error.message).toMatch(/No fue posible obtener el sello de tiempo/);
  });

  it("reports garbage as tsa_invalid and a refusal as tsa_rejected", async () => {
    const garbage = await fixedServer(() => Buffer.from("esto no es DER"));
    try {
      await expectTsaError(
        requestTimestamp({ url: garbage.url, digest, trusted: [ca] }),
        "tsa_invalid",
      );
    } finally {
      await new Promise((resolve) => garbage.server.close(resolve));
    }

    const pkijs = withPkijs();
    const refusal = Buffer.from(
      new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: 2 }) })
        .toSchema()
        .toBER(),
    );
    const refusing = await fixedServer(() => refusal);
    try {
      const error = await expectTsaError(
        requestTimestamp({ url: refusing.url, digest, trusted: [ca] }),
        "tsa_rejected",
      );
      expect(error.message).toMatch(/rechazó/);
    } finally {
      await new Promise((resolve) => refusing.server.close(resolve));
    }
  });
});
