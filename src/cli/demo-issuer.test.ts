import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { satFixture } from "../testing/efirma.ts";
import { createTestSystem, type TestSystem } from "../testing/server.ts";
import { demoIssuerNote } from "./demo-efirmas.ts";

/** Signs in with the SAT's test .cer (the signature is never reached: the issuer is refused first). */
async function signInWithSatFixture(system: TestSystem, kind: "fake-fiel" | "fake-csd") {
  const challenge = await system.app.inject({
    method: "POST",
    url: "/api/v1/auth/desafio",
    payload: { rfc: "EKU9003173C9" },
  });
  expect(challenge.statusCode).toBe(201);
  const attempt = challenge.cookies.find((c) => c.name.endsWith("buzon_intento"))!;
  const { cer } = await satFixture(kind);
  return system.app.inject({
    method: "POST",
    url: "/api/v1/auth/sesion",
    payload: {
      challengeId: challenge.json().challengeId,
      certificate: cer.toString("base64"),
      signature: Buffer.alloc(256, 1).toString("base64"),
    },
    cookies: { [attempt.name]: attempt.value },
  });
}

describe("the demo refusing the SAT's test e.firma", () => {
  const note = demoIssuerNote("/datos/demo/dev-ca");
  let demo: TestSystem;
  let plain: TestSystem;
  beforeAll(async () => {
    demo = await createTestSystem({ trustDevCa: true, unknownIssuerNote: note });
    plain = await createTestSystem({ trustDevCa: true });
  });
  afterAll(async () => {
    await demo?.app.close();
    await plain?.app.close();
  });

  it("says the demo only accepts its own CA's e.firmas, and where they are", async () => {
    const response = await signInWithSatFixture(demo, "fake-fiel");
    expect(response.statusCode).toBe(401);
    const body = response.json();
    expect(body.code).toBe("unknown_issuer");
    expect(body.detail).toContain("no fue emitido por una autoridad certificadora reconocida");
    expect(body.detail).toContain(
      "Esta demostración solo acepta las e.firmas de su AC de desarrollo, no las de prueba del SAT",
    );
    expect(body.detail).toContain("/datos/demo/dev-ca/demo");
  });

  it("says nothing of the demo outside it, nor for other refusals", async () => {
    const outside = (await signInWithSatFixture(plain, "fake-fiel")).json();
    expect(outside.code).toBe("unknown_issuer");
    expect(outside.detail).not.toContain("demostración");
    const csd = (await signInWithSatFixture(demo, "fake-csd")).json();
    expect(csd.code).toBe("csd_not_fiel");
    expect(csd.detail).not.toContain("demostración");
  });
});
