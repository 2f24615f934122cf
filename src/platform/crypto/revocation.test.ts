import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCertificate } from "../../domain/efirma/certificate.ts";
import { issueTestEfirma, signLikeTheBrowser, testDevCa } from "../../testing/efirma.ts";
import {
  freePort,
  type OcspResponder,
  startOpensslResponder,
} from "../../testing/ocsp-responder.ts";
import { createTestSystem } from "../../testing/server.ts";
import { fixedClock } from "../clock.ts";
import { type IssuedEfirma, initDevCa, issueEfirma, writeDevCrl } from "./dev-ca.ts";
import { crlChecker, ocspChecker } from "./revocation.ts";

describe("revocation through a real OCSP responder", () => {
  let good: IssuedEfirma;
  let revoked: IssuedEfirma;
  let responder: OcspResponder;
  const warnings: object[] = [];
  const log = { warn: (data: object) => warnings.push(data) };

  beforeAll(async () => {
    good = await issueTestEfirma();
    revoked = await issueTestEfirma({ revoked: true });
    responder = await startOpensslResponder((await testDevCa()).dir);
  });
  afterAll(() => {
    responder.process.kill();
  });

  const certificateOf = (efirma: IssuedEfirma) => readCertificate(readFileSync(efirma.cerPath));

  it("answers good for a valid certificate and refuses a revoked one", async () => {
    const ca = await testDevCa();
    const checker = ocspChecker({
      url: responder.url,
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
    });
    expect(await checker.check(certificateOf(good), ca.certificate)).toMatchObject({
      status: "good",
      source: "ocsp",
    });
    await expect(checker.check(certificateOf(revoked), ca.certificate)).rejects.toMatchObject({
      code: "certificate_revoked",
    });
  });

  it("refuses, or accepts and logs, when the responder cannot be reached, as configured", async () => {
    const ca = await testDevCa();
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const refusing = ocspChecker({
      url: nowhere,
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
      timeoutMs: 2000,
    });
    await expect(refusing.check(certificateOf(good), ca.certificate)).rejects.toMatchObject({
      code: "revocation_unavailable",
    });
    warnings.length = 0;
    const accepting = ocspChecker({
      url: nowhere,
      clock: () => Temporal.Now.instant(),
      policy: "accept",
      log,
      timeoutMs: 2000,
    });
    expect(await accepting.check(certificateOf(good), ca.certificate)).toMatchObject({
      status: "good",
      source: "none",
    });
    expect(warnings[0]).toMatchObject({ policy: "accept", url: nowhere });
  });

  it("refuses a response signed by someone other than the issuer", async () => {
    // The responder signs with the test CA; asking about it as if another CA were the issuer
    // must not be believed.
    const stranger = await issueTestEfirma();
    const otherIssuer = readCertificate(readFileSync(stranger.cerPath)).x509;
    const checker = ocspChecker({
      url: responder.url,
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
    });
    await expect(checker.check(certificateOf(good), otherIssuer)).rejects.toMatchObject({
      code: "revocation_unavailable",
    });
  });

  it("accepts a response signed by the issuer that carries no certificates", async () => {
    const ca = await testDevCa();
    const bare = await startOpensslResponder(ca.dir, ["-resp_no_certs"]);
    try {
      const checker = ocspChecker({
        url: bare.url,
        clock: () => Temporal.Now.instant(),
        policy: "refuse",
        log,
      });
      expect(await checker.check(certificateOf(good), ca.certificate)).toMatchObject({
        status: "good",
        source: "ocsp",
      });
    } finally {
      bare.process.kill();
    }
  });

  it("keeps a short cache of answers", async () => {
    const ca = await testDevCa();
    const own = await startOpensslResponder(ca.dir);
    const checker = ocspChecker({
      url: own.url,
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
      cacheSeconds: 300,
      timeoutMs: 2000,
    });
    expect(await checker.check(certificateOf(good), ca.certificate)).toMatchObject({
      status: "good",
    });
    own.process.kill();
    await new Promise((resolve) => own.process.once("exit", resolve));
    // The responder is gone; the answer of a moment ago still stands.
    expect(await checker.check(certificateOf(good), ca.certificate)).toMatchObject({
      status: "good",
      source: "ocsp",
    });
    const uncached = ocspChecker({
      url: own.url,
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
      timeoutMs: 2000,
    });
    await expect(uncached.check(certificateOf(good), ca.certificate)).rejects.toMatchObject({
      code: "revocation_unavailable",
    });
  });

  it("refuses a revoked certificate at sign-in, and lets the valid one in", async () => {
    const system = await createTestSystem({
      trustDevCa: true,
      env: { OCSP_URL: responder.url, REVOCATION_UNAVAILABLE: "refuse" },
    });
    try {
      for (const [efirma, status] of [
        [good, 201],
        [revoked, 401],
      ] as const) {
        const challenge = await system.app.inject({
          method: "POST",
          url: "/api/v1/auth/desafio",
          payload: { rfc: efirma.rfc },
        });
        const attempt = challenge.cookies.find((c) => c.name === "buzon_intento")!.value;
        const signed = await signLikeTheBrowser(efirma, challenge.json().toSign);
        const response = await system.app.inject({
          method: "POST",
          url: "/api/v1/auth/sesion",
          payload: { challengeId: challenge.json().challengeId, ...signed },
          cookies: { buzon_intento: attempt },
        });
        expect(response.statusCode).toBe(status);
        if (status === 401) expect(response.json().detail).toContain("revocado");
      }
    } finally {
      await system.app.close();
    }
  });
});

describe("revocation by CRL files", () => {
  it("finds revoked certificates in a CRL signed by the issuer", async () => {
    const good = await issueTestEfirma();
    const revoked = await issueTestEfirma({ revoked: true });
    const ca = await testDevCa();
    const dir = await mkdtemp(join(tmpdir(), "buzon-crl-"));
    await writeDevCrl(ca, join(dir, "dev.crl"));
    const log = { warn: () => {} };
    const checker = await crlChecker({
      dir,
      anchors: [ca.certificate],
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
    });
    expect(
      await checker.check(readCertificate(readFileSync(good.cerPath)), ca.certificate),
    ).toMatchObject({ status: "good", source: "crl" });
    await expect(
      checker.check(readCertificate(readFileSync(revoked.cerPath)), ca.certificate),
    ).rejects.toMatchObject({ code: "certificate_revoked" });
    // A newer CRL dropped in the directory is read without a restart.
    const later1 = await issueTestEfirma({ revoked: true });
    await writeDevCrl(ca, join(dir, "dev-2.crl"), new Date(Date.now() + 1000));
    const reloading = await crlChecker({
      dir,
      anchors: [ca.certificate],
      clock: () => Temporal.Now.instant(),
      policy: "refuse",
      log,
      reloadSeconds: 0,
    });
    await writeDevCrl(ca, join(dir, "dev-3.crl"), new Date(Date.now() + 2000));
    await expect(
      reloading.check(readCertificate(readFileSync(later1.cerPath)), ca.certificate),
    ).rejects.toMatchObject({ code: "certificate_revoked" });
    // A CRL past its next update is no answer: the policy decides.
    const later = await crlChecker({
      dir,
      anchors: [ca.certificate],
      clock: fixedClock("2099-01-01T00:00:00Z"),
      policy: "refuse",
      log,
    });
    await expect(
      later.check(readCertificate(readFileSync(good.cerPath)), ca.certificate),
    ).rejects.toMatchObject({ code: "revocation_unavailable" });
  });

  it("takes a CRL with no next update as no answer once older than the configured age", async () => {
    const good = await issueTestEfirma();
    const ca = await testDevCa();
    const dir = await mkdtemp(join(tmpdir(), "buzon-crl-"));
    const issued = new Date("2030-01-01T00:00:00Z");
    await writeDevCrl(ca, join(dir, "sin-siguiente.crl"), issued, { nextUpdate: false });
    const checkerAt = (at: string) =>
      crlChecker({
        dir,
        anchors: [ca.certificate],
        clock: fixedClock(at),
        policy: "refuse",
        log: { warn: () => {} },
        maxAgeHours: 24,
      });
    const certificate = readCertificate(readFileSync(good.cerPath));
    expect(
      await (await checkerAt("2030-01-01T23:00:00Z")).check(certificate, ca.certificate),
    ).toMatchObject({
      status: "good",
      source: "crl",
    });
    await expect(
      (await checkerAt("2030-01-02T01:00:00Z")).check(certificate, ca.certificate),
    ).rejects.toMatchObject({ code: "revocation_unavailable" });
  });

  it("reads the directory again at most once per reload interval, even while the CRL is stale", async () => {
    const good = await issueTestEfirma();
    const ca = await testDevCa();
    const dir = await mkdtemp(join(tmpdir(), "buzon-crl-"));
    // Next update 2030-01-08: stale at the clock below.
    await writeDevCrl(ca, join(dir, "vieja.crl"), new Date("2030-01-01T00:00:00Z"));
    let now = Temporal.Instant.from("2030-01-09T12:00:00Z");
    const unavailable: unknown[] = [];
    const checker = await crlChecker({
      dir,
      anchors: [ca.certificate],
      clock: () => now,
      policy: "refuse",
      log: { warn: (data) => unavailable.push(data) },
      reloadSeconds: 300,
    });
    const certificate = readCertificate(readFileSync(good.cerPath));
    const check = () => checker.check(certificate, ca.certificate);
    await expect(check()).rejects.toMatchObject({ code: "revocation_unavailable" });
    // A fresh list arrives; within the interval sign-ins keep the loaded (stale) lists: the
    // directory is not read again, however many checks come.
    await writeDevCrl(ca, join(dir, "nueva.crl"), new Date("2030-01-09T11:00:00Z"));
    for (const seconds of [1, 60, 299]) {
      now = Temporal.Instant.from("2030-01-09T12:00:00Z").add({ seconds });
      await expect(check()).rejects.toMatchObject({ code: "revocation_unavailable" });
    }
    expect(unavailable).toHaveLength(4);
    // Once the interval has passed, one read finds it.
    now = Temporal.Instant.from("2030-01-09T12:05:00Z");
    expect(await check()).toMatchObject({ status: "good", source: "crl" });
    expect(unavailable).toHaveLength(4);
  });
});

describe("the OCSP cache", () => {
  it("keys answers by issuer and serial: another CA's certificate with the same serial is asked anew", async () => {
    // Two CAs, each with its first e.firma: the same serial number under different issuers.
    const first = await initDevCa(await mkdtemp(join(tmpdir(), "buzon-ca-a-")));
    const second = await initDevCa(await mkdtemp(join(tmpdir(), "buzon-ca-b-")));
    const options = {
      rfc: "EKU9003173C9",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      representativeRfc: "VADA800927DJ3",
      representativeCurp: "VADA800927HSRSRL05",
    };
    const mine = await issueEfirma(first, {
      ...options,
      outDir: await mkdtemp(join(tmpdir(), "e-")),
    });
    const other = await issueEfirma(second, {
      ...options,
      outDir: await mkdtemp(join(tmpdir(), "e-")),
    });
    expect(other.serialHex).toBe(mine.serialHex);
    // Only the first CA's responder answers; the second CA's certificate gets no answer there.
    const responder = await startOpensslResponder(first.dir);
    try {
      const checker = ocspChecker({
        url: responder.url,
        clock: () => Temporal.Now.instant(),
        policy: "refuse",
        log: { warn: () => {} },
        cacheSeconds: 300,
        timeoutMs: 2000,
      });
      const read = (e: IssuedEfirma) => readCertificate(readFileSync(e.cerPath));
      expect(await checker.check(read(mine), first.certificate)).toMatchObject({ status: "good" });
      await expect(checker.check(read(other), second.certificate)).rejects.toMatchObject({
        code: "revocation_unavailable",
      });
    } finally {
      responder.process.kill();
    }
  });
});
