import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { DEV_CA_FILES } from "../platform/crypto/dev-ca.ts";

export interface OcspResponder {
  url: string;
  process: ChildProcess;
}

/** A loopback port free at the time of asking (nothing listens there once it returns). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real OCSP responder: OpenSSL's, on loopback, answering from the index of the development CA
 * in `dir` (read once: issue every certificate before starting it), signing with the CA itself.
 * `extra` goes after the other arguments (e.g. `-resp_no_certs`). Kill its `process` when done.
 */
export async function startOpensslResponder(
  dir: string,
  extra: string[] = [],
): Promise<OcspResponder> {
  const port = await freePort();
  const child = spawn(
    "openssl",
    [
      ...["ocsp", "-index", DEV_CA_FILES.index, "-port", String(port)],
      ...["-rsigner", DEV_CA_FILES.certificatePem, "-rkey", DEV_CA_FILES.privateKey],
      ...["-CA", DEV_CA_FILES.certificatePem, "-ndays", "1"],
      ...extra,
    ],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  // Ready once it says it listens (a probe connection would take its single-threaded turn).
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  for (
    let waited = 0;
    !output.toLowerCase().includes("waiting for ocsp client connections");
    waited += 50
  ) {
    if (waited > 10_000 || child.exitCode !== null)
      throw new Error(`el respondedor OCSP no arrancó: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url: `http://127.0.0.1:${port}`, process: child };
}
