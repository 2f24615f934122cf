import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import { loggerOptions, redactUrl } from "../log.ts";

describe("request and connection timeouts", () => {
  let system: TestSystem;
  let port: number;
  beforeAll(async () => {
    system = await createTestSystem({ env: { REQUEST_TIMEOUT_SECONDS: "1" } });
    const address = await system.app.listen({ host: "127.0.0.1", port: 0 });
    port = Number(new URL(address).port);
  });
  afterAll(async () => {
    await system.app.close();
  });

  it("cuts a client that trickles its body a byte at a time", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    const length = 60;
    socket.write(
      `POST /api/v1/auth/desafio HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`,
    );
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    let sent = 0;
    let open = true;
    void closed.then(() => {
      open = false;
    });
    // A byte every 250 ms would take 15 s to finish the body; the server must not wait for it.
    while (open && sent < length) {
      socket.write(" ");
      sent++;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await closed;
    expect(sent).toBeLessThan(length);
    // Node answers 408 before closing, when it still can.
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});

describe("caching and logs of authenticated and personal answers", () => {
  const lines: string[] = [];
  let system: TestSystem;
  beforeAll(async () => {
    system = await createTestSystem({
      logger: loggerOptions({ logLevel: "info" }, { write: (line) => lines.push(line) }),
    });
  });
  afterAll(async () => {
    await system.app.close();
  });

  it.each([
    "/api/v1/auth/sesion",
    "/api/v1/auth/sesiones",
    "/api/v1/personal",
    "/api/v1/auditoria/accesos",
    "/api/v1/verificacion/acuses/BI-20250101-000000001?codigo=ABCD",
    "/api/v1/plazos/validacion?registrado=2025-03-03T10:00:00-06:00",
  ])("marks %s as not to be stored", async (url) => {
    const response = await system.app.inject({ url });
    expect(response.headers["cache-control"]).toBe("no-store");
  });

  it("leaves the site's files to their own caching", async () => {
    const response = await system.app.inject({ url: "/", headers: { accept: "text/html" } });
    expect(response.headers["cache-control"]).not.toBe("no-store");
  });

  it("keeps verification codes out of the request log", async () => {
    const secret = "S3CRETO-codigo-de-verificacion";
    await system.app.inject({
      url: `/api/v1/verificacion/acuses/BI-20250101-000000001?codigo=${secret}&x=1`,
    });
    await system.app.inject({ url: `/verificacion/BI-20250101-000000001?codigo=${secret}` });
    const logged = lines.join("");
    expect(logged).toContain(
      "/api/v1/verificacion/acuses/BI-20250101-000000001?codigo=[oculto]&x=1",
    );
    expect(logged).not.toContain(secret);
  });

  it("redacts codes wherever they sit in the query", () => {
    expect(redactUrl("/a?codigo=x")).toBe("/a?codigo=[oculto]");
    expect(redactUrl("/a?b=1&CODIGO=x%20y&c=2")).toBe("/a?b=1&CODIGO=[oculto]&c=2");
    expect(redactUrl("/a?token=t#f")).toBe("/a?token=[oculto]#f");
    expect(redactUrl("/codigo=x")).toBe("/codigo=x");
  });
});
