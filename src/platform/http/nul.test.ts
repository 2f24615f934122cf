import { Buffer } from "node:buffer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { filePromocion, newPersonaMoral } from "../../features/promociones/test-support.ts";
import { ENGINES } from "../../testing/database.ts";
import { createTestSystem, type TestSystem } from "../../testing/server.ts";
import type { SignedIn } from "../../testing/sign-in.ts";
import { findNul } from "./nul.ts";

describe("findNul", () => {
  it("names the first string or key holding U+0000 by its JSON pointer", () => {
    expect(findNul({ a: "hola", b: [1, null, true] })).toBeUndefined();
    expect(findNul("a\u0000")).toBe("/");
    expect(findNul({ text: "hola\u0000mundo" })).toBe("/text");
    expect(findNul({ attachments: [{ name: "a.pdf" }, { name: "b\u0000.pdf" }] })).toBe(
      "/attachments/1/name",
    );
    expect(findNul({ "a/b~c": "\u0000" })).toBe("/a~1b~0c");
    expect(findNul({ x: { "clave\u0000": 1 } })).toBe("/x");
    // Half of a surrogate pair is not text either (jsonb refuses it); a whole pair is.
    expect(findNul({ motivo: "a\ud800." })).toBe("/motivo");
    expect(findNul({ motivo: "fin\udc00" })).toBe("/motivo");
    expect(findNul({ motivo: "equipo 👩‍💼" })).toBeUndefined();
    // Bytes (a raw upload) are not text.
    expect(findNul(Buffer.from([0x25, 0x50, 0, 0]))).toBeUndefined();
    // No recursion: a body nested deeper than any stack.
    let deep: unknown = "fondo\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findNul(deep)).toMatch(/^(\/0){200000}$/);
  });
});

/**
 * U+0000 anywhere in a JSON body, a query or a path parameter is a 400 `validation` naming where,
 * on every route, before PostgreSQL could refuse it as a 500 («invalid byte sequence for encoding
 * UTF8: 0x00», «unsupported Unicode escape sequence»). Raw bytes still pass.
 */
describe.each(ENGINES)("U+0000 in a request on %s", (engine) => {
  let system: TestSystem;
  let who: SignedIn;

  beforeAll(async () => {
    system = await createTestSystem({
      engine,
      trustDevCa: true,
      clock: () => Temporal.Instant.from("2026-12-15T10:00:00-06:00"),
    });
    who = await newPersonaMoral(system.app, `NU${engine === "pglite" ? "G" : "Q"}`, 26);
  });
  afterAll(async () => {
    await system?.app.close();
  });

  const send = (method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
    system.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      cookies: { buzon_sesion: who.cookie },
      headers: { "x-csrf-token": who.csrf },
    });

  const promocion = {
    type: "aclaracion_orientacion",
    subject: "Aclaración",
    text: "Solicito la aclaración.",
    attachments: [],
  };

  it.each([
    ["POST", "/api/v1/promociones/desafio", { ...promocion, text: "hola\u0000mundo" }, "/text"],
    [
      "POST",
      "/api/v1/promociones/desafio",
      { ...promocion, attachments: [{ name: "a\u0000.pdf", sha256: "a".repeat(64), size: 1 }] },
      "/attachments/0/name",
    ],
    ["POST", "/api/v1/promociones/borradores", { ...promocion, subject: "a\u0000" }, "/subject"],
    ["POST", "/api/v1/promociones/borradores", { ...promocion, "x\u0000": 1 }, "/"],
    ["POST", "/api/v1/promociones/borradores", { ...promocion, subject: "a\ud800b" }, "/subject"],
    ["GET", "/api/v1/documentos?kind=%00", undefined, "querystring:/kind"],
    ["GET", "/api/v1/expedientes?q=a%00b", undefined, "querystring:/q"],
    ["GET", "/api/v1/promociones/borradores/%00", undefined, "params:/id"],
  ] as const)("%s %s: 400 at the pointer", async (method, url, payload, pointer) => {
    const response = await send(method, url, payload);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({
      code: "validation",
      // It says which of the two it found.
      detail: expect.stringMatching(
        JSON.stringify(payload ?? "").includes("\\ud800")
          ? /contiene medio carácter \(un sustituto UTF-16 suelto\), que no se admite\.$/
          : /contiene el carácter nulo \(U\+0000\), que no se admite\.$/,
      ),
      errors: [{ pointer }],
    });
  });

  it("the same requests without U+0000 are served", async () => {
    expect((await send("POST", "/api/v1/promociones/desafio", promocion)).statusCode).toBe(201);
    expect((await send("GET", "/api/v1/documentos?kind=4.1")).statusCode).toBe(200);
  });

  it("bytes with NUL in a raw upload and in an anexo are not text: they pass", async () => {
    const pdf = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/pdf",
      headers: { "content-type": "application/pdf" },
      payload: Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(64), Buffer.from("%%EOF\n")]),
    });
    expect(pdf.body).not.toContain("U+0000");
    expect(pdf.statusCode).toBeLessThan(500);

    const anexo = {
      name: "con-ceros.pdf",
      bytes: Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(64), Buffer.from("\n%%EOF\n")]),
    };
    // Filed whole: filePromocion expects its 201.
    await filePromocion(system.app, who, [anexo]);
  });
});
