import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { issueCertificateArgs, newKeyArgs } from "./openssl.ts";

const run = promisify(execFile);

export interface TestTsa {
  url: string;
  /** The TSA's certificate (extendedKeyUsage critical timeStamping), PEM. */
  certificatePem: string;
  /** The CA that issued it, PEM. */
  caPem: string;
  /** Working directory: ca.pem, tsa.crt, tsa.key, tsa.cnf. */
  dir: string;
  /** Time-stamp requests received so far. */
  requests(): number;
  close(): Promise<void>;
}

/**
 * A real RFC 3161 TSA on loopback: OpenSSL's `ts -reply` behind a tiny HTTP wrapper. A small
 * CA and a TSA certificate are generated with OpenSSL in a temporary directory at start, and
 * removed on close.
 */
export async function startTestTsa(): Promise<TestTsa> {
  const dir = await mkdtemp(join(tmpdir(), "buzon-tsa-"));
  const file = (name: string) => join(dir, name);
  await writeFile(
    file("tsa.cnf"),
    [
      "[tsa]",
      "default_tsa = tsa_config",
      "",
      "[tsa_config]",
      `dir = ${dir}`,
      "serial = $dir/tsaserial",
      "crypto_device = builtin",
      "signer_cert = $dir/tsa.crt",
      "signer_key = $dir/tsa.key",
      "signer_digest = sha256",
      "default_policy = 1.2.3.4.1",
      "digests = sha256",
      "accuracy = secs:1",
      "ordering = no",
      "tsa_name = yes",
      "ess_cert_id_chain = no",
      "ess_cert_id_alg = sha256",
      "",
      "[tsa_ext]",
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = critical, timeStamping",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid",
      "",
    ].join("\n"),
  );
  await writeFile(file("tsaserial"), "01\n");
  await run(
    "openssl",
    newKeyArgs({
      key: "rsa:2048",
      keyOut: file("ca.key"),
      out: file("ca.pem"),
      days: 2,
      subject: "/CN=CA de pruebas TSA/O=Buzon IMSS",
      extensions: ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"],
    }),
  );
  await run(
    "openssl",
    newKeyArgs({
      key: "rsa:2048",
      keyOut: file("tsa.key"),
      out: file("tsa.csr"),
      subject: "/CN=TSA de pruebas/O=Buzon IMSS",
    }),
  );
  await run(
    "openssl",
    issueCertificateArgs({
      csr: file("tsa.csr"),
      caCert: file("ca.pem"),
      caKey: file("ca.key"),
      serial: "0x1001",
      days: 2,
      extfile: file("tsa.cnf"),
      section: "tsa_ext",
      out: file("tsa.crt"),
    }),
  );

  // OpenSSL's TSA bumps a serial file on every reply: one reply at a time, or two processes
  // race on it and one answers «system error».
  let queue: Promise<unknown> = Promise.resolve();
  let received = 0;
  const server = createServer((request, response) => {
    received++;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      queue = queue.then(() => answer(chunks, response));
    });
  });
  const answer = async (chunks: Buffer[], response: import("node:http").ServerResponse) => {
    const id = randomUUID();
    const query = file(`${id}.tsq`);
    const reply = file(`${id}.tsr`);
    try {
      await writeFile(query, Buffer.concat(chunks));
      await run("openssl", [
        "ts",
        "-reply",
        "-config",
        file("tsa.cnf"),
        "-queryfile",
        query,
        "-inkey",
        file("tsa.key"),
        "-signer",
        file("tsa.crt"),
        "-out",
        reply,
      ]);
      const body = await readFile(reply);
      response.writeHead(200, {
        "content-type": "application/timestamp-reply",
        "content-length": body.length,
      });
      response.end(body);
    } catch {
      response.writeHead(500).end();
    } finally {
      await rm(query, { force: true });
      await rm(reply, { force: true });
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certificatePem: await readFile(file("tsa.crt"), "utf8"),
    caPem: await readFile(file("ca.pem"), "utf8"),
    dir,
    requests: () => received,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
