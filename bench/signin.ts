// Benchmark: e.firma sign-in throughput against the cost of one raw RSA-2048 verification, all
// in one run so the ratios compare like with like. Run with `TZ=UTC node bench/signin.ts`.
// Figures go in the issue note, never in assertions.
//
// (a) node:crypto verify("sha256", data, publicKey, signature) in a loop: the floor. A sign-in
//     needs two such verifications (the issuer's signature on the certificate, the person's on
//     the challenge), so the best (b)/(a) can be is about 0.5.
// (b) checkSignIn (features/auth/sign-in-check.ts): exactly the offline checks the service runs
//     — read the certificate, check it against the trust anchors, the RFC, the signature —
//     over pre-signed challenges.
// (c) the service itself, in-process: auth.createChallenge, the "browser" signs, auth.signIn
//     (database on PGlite, revocation not configured), sequential.
// (d) full sign-ins through the HTTP API in-process (app.inject, sequential): challenge POST,
//     the "browser" signs, session POST.
import { Buffer } from "node:buffer";
import { type KeyObject, sign, verify } from "node:crypto";
import { readFile } from "node:fs/promises";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { readCertificate } from "../src/domain/efirma/certificate.ts";
import { openPrivateKey } from "../src/domain/efirma/private-key.ts";
import { checkCertificate, checkSignature } from "../src/domain/efirma/verify.ts";
import { checkSignIn } from "../src/features/auth/sign-in-check.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { issueTestEfirma, testDevCa } from "../src/testing/efirma.ts";
import { createTestSystem } from "../src/testing/server.ts";
import { formatRate, percentile, rate } from "./measure.ts";

const RAW_SECONDS = 3;
const VERIFY_SECONDS = 3;
const HTTP_SECONDS = 5;
const CHALLENGES = 512;

interface Credential {
  issued: IssuedEfirma;
  der: Buffer;
  key: KeyObject;
}

async function credentials(): Promise<Credential[]> {
  const issued = [
    await issueTestEfirma(),
    await issueTestEfirma({
      rfc: "CACX7605101P8",
      name: "XOCHILT CASAS CHAVEZ",
      curp: "CACX760510MGTSHC04",
      representativeRfc: undefined,
      representativeCurp: undefined,
    }),
    await issueTestEfirma({
      rfc: "H&E951128469",
      name: "HERRERIA & ELECTRICOS S DE CV",
      representativeRfc: "XOJI740919U48",
      representativeCurp: "XOJI740919MQTDMN02",
    }),
    await issueTestEfirma({
      rfc: "VADA800927DJ3",
      name: "DANIEL VALDEZ ARIAS",
      curp: "VADA800927HSRSRL05",
      representativeRfc: undefined,
      representativeCurp: undefined,
    }),
  ];
  return Promise.all(
    issued.map(async (e) => ({
      issued: e,
      der: await readFile(e.cerPath),
      key: openPrivateKey(await readFile(e.keyPath), e.password),
    })),
  );
}

/** A challenge text of the same shape and length as the service's (features/auth/service.ts). */
function challengeLike(rfc: string, i: number): string {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const nonce = Buffer.alloc(32, i % 256).toString("base64url");
  return `Buzón IMSS|acceso|${rfc}|${id}|${nonce}|2026-11-23T16:02:00.000Z`;
}

function benchRawVerify(credential: Credential): number {
  const publicKey = readCertificate(credential.der).x509.publicKey;
  const data = Buffer.from(challengeLike(credential.issued.rfc, 0), "utf8");
  const signature = sign("sha256", data, credential.key);
  const { perSecond, calls } = rate(RAW_SECONDS, () => {
    if (!verify("sha256", data, publicKey, signature)) throw new Error("verify failed");
  });
  console.log(
    `(a) node:crypto verify("sha256", RSA-2048)            ${formatRate(perSecond)}  (${calls} calls)`,
  );
  return perSecond;
}

async function benchServerVerification(all: Credential[]): Promise<number> {
  const ca = await testDevCa();
  const anchors = [ca.certificate];
  const at = Temporal.Now.instant();
  const challenges = Array.from({ length: CHALLENGES }, (_, i) => {
    const credential = all[i % all.length]!;
    const text = challengeLike(credential.issued.rfc, i);
    return {
      der: credential.der,
      rfc: credential.issued.rfc,
      text,
      signature: sign("sha256", Buffer.from(text, "utf8"), credential.key).toString("base64"),
    };
  });
  const full = rate(VERIFY_SECONDS, (i) => {
    const c = challenges[i % CHALLENGES]!;
    const checked = checkSignIn({
      certificateDer: c.der,
      challengeRfc: c.rfc,
      text: c.text,
      signature: c.signature,
      at,
      anchors,
    });
    if (!checked.ok) throw checked.error;
  });
  console.log(
    `(b) checkSignIn (the service's offline checks)         ${formatRate(full.perSecond)}  (${full.calls} sign-ins, ${CHALLENGES} pre-signed challenges, ${all.length} certificates)`,
  );

  // Where the time goes (1 s each).
  const read = rate(1, (i) => readCertificate(challenges[i % CHALLENGES]!.der));
  const certificates = challenges.map((c) => readCertificate(c.der));
  const check = rate(1, (i) => checkCertificate(certificates[i % CHALLENGES]!, { at, anchors }));
  const signature = rate(1, (i) => {
    const c = challenges[i % CHALLENGES]!;
    checkSignature(certificates[i % CHALLENGES]!, c.text, c.signature);
  });
  console.log(
    `    of which: readCertificate ${formatRate(read.perSecond)}, checkCertificate ${formatRate(check.perSecond)} (verifies the CA's signature), checkSignature ${formatRate(signature.perSecond)}`,
  );
  return full.perSecond;
}

/**
 * Sequential sign-ins for HTTP_SECONDS after a warm-up; `signIn` returns whether it succeeded
 * and adds the client's own RSA signing time to `clientMs` (the browser's work, not the server's).
 */
async function sequential(
  label: string,
  signIn: (i: number, clientMs: { total: number }) => Promise<boolean>,
): Promise<{ perSecond: number; serverOnly: number }> {
  const clientMs = { total: 0 };
  for (let i = 0; i < 50; i++) {
    if (!(await signIn(i, clientMs))) throw new Error(`${label}: warm-up sign-in refused`);
  }
  clientMs.total = 0;
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + HTTP_SECONDS * 1000;
  let done = 0;
  while (performance.now() < deadline) {
    const l0 = performance.now();
    if (!(await signIn(done, clientMs))) errors++;
    latencies.push(performance.now() - l0);
    done++;
  }
  const elapsed = performance.now() - t0;
  latencies.sort((x, y) => x - y);
  const perSecond = done / (elapsed / 1000);
  const serverOnly = done / ((elapsed - clientMs.total) / 1000);
  console.log(
    `${label} ${formatRate(perSecond)}  (${done} sign-ins, ${errors} refused; p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms)`,
  );
  console.log(
    `    without the client's RSA signing (${(clientMs.total / done).toFixed(2)} ms per sign-in)    ${formatRate(serverOnly)}`,
  );
  if (errors > 0) throw new Error(`${label}: ${errors} sign-ins refused`);
  return { perSecond, serverOnly };
}

function signTimed(text: string, key: KeyObject, clientMs: { total: number }): string {
  const s0 = performance.now();
  const signature = sign("sha256", Buffer.from(text, "utf8"), key).toString("base64");
  clientMs.total += performance.now() - s0;
  return signature;
}

async function benchService(all: Credential[]) {
  const { app, auth } = await createTestSystem({ trustDevCa: true });
  const ctx = { ip: "127.0.0.1", userAgent: "bench", requestId: "bench" };
  try {
    return await sequential(
      "(c) auth.createChallenge + auth.signIn (service)   ",
      async (i, ms) => {
        const credential = all[i % all.length]!;
        const challenge = await auth.createChallenge(credential.issued.rfc, ctx);
        const signature = signTimed(challenge.toSign, credential.key, ms);
        await auth.signIn(
          {
            challengeId: challenge.challengeId,
            certificate: credential.der.toString("base64"),
            signature,
          },
          challenge.attemptToken,
          ctx,
        );
        return true;
      },
    );
  } finally {
    await app.close();
  }
}

async function benchHttp(all: Credential[]) {
  const { app } = await createTestSystem({
    trustDevCa: true,
    // The bench signs in far more often than the default limit allows from one address.
    env: { SIGNIN_RATE_LIMIT: "100000" },
  });
  try {
    return await sequential(
      "(d) full sign-in via HTTP API (app.inject, sequential)",
      async (i, ms) => {
        const credential = all[i % all.length]!;
        const challenge = await app.inject({
          method: "POST",
          url: "/api/v1/auth/desafio",
          payload: { rfc: credential.issued.rfc },
        });
        if (challenge.statusCode !== 201) throw new Error(`desafío: ${challenge.statusCode}`);
        const attempt = challenge.cookies.find((c) => c.name === "buzon_intento")?.value ?? "";
        const { challengeId, toSign } = challenge.json() as { challengeId: string; toSign: string };
        const signature = signTimed(toSign, credential.key, ms);
        const session = await app.inject({
          method: "POST",
          url: "/api/v1/auth/sesion",
          payload: { challengeId, certificate: credential.der.toString("base64"), signature },
          cookies: { buzon_intento: attempt },
        });
        return session.statusCode === 201;
      },
    );
  } finally {
    await app.close();
  }
}

console.log(
  `e.firma sign-in benchmark — Node ${process.version}, ${cpus()[0]?.model ?? "?"} × ${cpus().length}, TZ=${process.env.TZ ?? "(unset)"}`,
);
const all = await credentials();
const raw = benchRawVerify(all[0]!);
const checks = await benchServerVerification(all);
const service = await benchService(all);
const http = await benchHttp(all);
const ratio = (x: number) => (x / raw).toFixed(3);
console.log(
  `ratios to (a): (b) ${ratio(checks)} (ideal ≈ 0.5: two RSA verifications)   (c) ${ratio(service.perSecond)}, without client signing ${ratio(service.serverOnly)}   (d) ${ratio(http.perSecond)}, without client signing ${ratio(http.serverOnly)}`,
);
