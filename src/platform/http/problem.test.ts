import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EfirmaError } from "../../domain/efirma/errors.ts";
import { AppError, CodedError, DomainError } from "../../domain/errors.ts";
import { AcuseExportError } from "../../domain/evidence/acuse-export.ts";
import { MerkleError } from "../../domain/evidence/errors.ts";
import { BusyError } from "../concurrency.ts";
import { PdfReadError } from "../pdf/read-attachments.ts";
import { createHttpApp, type HttpApp } from "./app.ts";
import { PROBLEMS } from "./errors.ts";

/** Log lines at level ≥ 50 (error), as the server would write them. */
function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, errors: () => lines.filter((l) => l.level >= 50), stream };
}

describe("problem+json from the one error model", () => {
  const log = capturedLog();
  let app: HttpApp;
  const thrown: Record<string, () => unknown> = {
    domain: () => {
      throw new DomainError("invalid_rfc", "El RFC «X» no es válido.", { pointer: "/rfc" });
    },
    efirma: () => {
      throw new EfirmaError("certificate_expired", "El certificado venció.");
    },
    app: () => {
      throw new AppError("conflict", "Ya existe.", { internal: "fila duplicada en staff" });
    },
    internal: () => {
      throw new AppError("internal", "Ocurrió un error interno.", { internal: "invariante rota" });
    },
    unpublished: () => {
      // A module code the table does not publish: a bug on our side, never the caller's.
      throw new MerkleError("inclusion_invalid", "La prueba no verifica.");
    },
    bare: () => {
      throw new TypeError("x is undefined");
    },
    // The verification's refusals, as uploadedPdf and parseAcuseExport throw them.
    "pdf-sin-acuse": () => {
      throw new PdfReadError(
        "no_acuse_attachment",
        "El PDF no lleva adjunto el archivo acuse.json.",
      );
    },
    "pdf-ilegible": () => {
      throw new PdfReadError("not_pdf", "El archivo no es un PDF legible.", {
        cause: new Error("InvalidPDFException: Invalid PDF structure."),
      });
    },
    "pdf-grande": () => {
      throw new PdfReadError("pdf_too_large", "Leer este PDF ocupa demasiada memoria.");
    },
    exportado: () => {
      throw new AcuseExportError("Falta /acuse/folio o no es texto.", { pointer: "/acuse/folio" });
    },
    ocupado: () => {
      throw new BusyError("Hay muchas verificaciones de PDF en curso.", { internal: "cola llena" });
    },
  };

  beforeAll(async () => {
    app = await createHttpApp({
      logger: { level: "info", stream: log.stream },
      version: "test",
      ready: async () => {},
    });
    for (const [name, fn] of Object.entries(thrown))
      app.get(`/api/v1/prueba/${name}`, async () => fn());
    // A body that is one of three shapes, like POST /api/v1/buzon/medios: a wrong `kind` fails
    // each branch the same way.
    app.post(
      "/api/v1/prueba/union",
      {
        schema: {
          body: {
            anyOf: ["correo", "celular", "otro"].map((kind) => ({
              type: "object",
              required: ["kind"],
              properties: { kind: { const: kind } },
            })),
          },
        },
      },
      async () => ({}),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it("maps any CodedError through the table, keeping the problem shape clients rely on", async () => {
    const response = await app.inject({ url: "/api/v1/prueba/domain?x=1" });
    expect(response.statusCode).toBe(400);
    expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(response.json()).toEqual({
      type: "urn:buzon-imss:problema:invalid_rfc",
      title: "RFC inválido",
      status: 400,
      detail: "El RFC «X» no es válido.",
      instance: "/api/v1/prueba/domain",
      code: "invalid_rfc",
      requestId: response.headers["x-request-id"],
      errors: [{ pointer: "/rfc", detail: "El RFC «X» no es válido." }],
    });
    const efirma = await app.inject({ url: "/api/v1/prueba/efirma" });
    expect(efirma.statusCode).toBe(401);
    expect(efirma.json()).toMatchObject({
      code: "certificate_expired",
      title: "Certificado vencido",
    });
  });

  it("shows the Spanish detail and keeps the internal message for the logs only", async () => {
    const conflict = await app.inject({ url: "/api/v1/prueba/app" });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().detail).toBe("Ya existe.");
    expect(conflict.body).not.toContain("fila duplicada");

    const internal = await app.inject({ url: "/api/v1/prueba/internal" });
    expect(internal.statusCode).toBe(500);
    expect(internal.body).not.toContain("invariante rota");
    expect(log.errors().some((l) => JSON.stringify(l).includes("invariante rota"))).toBe(true);
  });

  it("answers a logged 500 for a code the table does not publish and for bare errors", async () => {
    for (const name of ["unpublished", "bare"]) {
      const before = log.errors().length;
      const response = await app.inject({ url: `/api/v1/prueba/${name}` });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({
        code: "internal",
        title: "Error interno",
        detail: "Ocurrió un error interno. Si persiste, repórtalo con el número de solicitud.",
      });
      expect(response.body).not.toMatch(/inclusion_invalid|undefined/);
      expect(log.errors().length).toBe(before + 1);
    }
  });

  it("answers the verification's refusals through the same table, with the statuses clients saw", async () => {
    const expected = [
      ["pdf-sin-acuse", 400, "no_acuse_attachment"],
      ["pdf-ilegible", 400, "not_pdf"],
      ["pdf-grande", 413, "pdf_too_large"],
      ["exportado", 400, "malformed_export"],
      ["ocupado", 503, "busy"],
    ] as const;
    for (const [name, status, code] of expected) {
      const response = await app.inject({ url: `/api/v1/prueba/${name}` });
      expect(response.statusCode, name).toBe(status);
      expect(response.json(), name).toMatchObject({ status, code, title: PROBLEMS[code].title });
    }
    const unreadable = await app.inject({ url: "/api/v1/prueba/pdf-ilegible" });
    expect(unreadable.json().detail).toBe("El archivo no es un PDF legible.");
    // PDF.js's own words stay in the log's cause, never in the answer.
    expect(unreadable.body).not.toContain("InvalidPDFException");
    const malformed = await app.inject({ url: "/api/v1/prueba/exportado" });
    expect(malformed.json().errors).toEqual([
      { pointer: "/acuse/folio", detail: "Falta /acuse/folio o no es texto." },
    ]);
    const busy = await app.inject({ url: "/api/v1/prueba/ocupado" });
    expect(busy.json().detail).toBe("Hay muchas verificaciones de PDF en curso.");
    expect(busy.body).not.toContain("cola llena");
  });

  it("says each validation problem once, however many branches of a union refuse it", async () => {
    const response = await app.inject({
      method: "POST",
      url: "/api/v1/prueba/union",
      payload: { kind: "fax" },
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    const field = "El campo «kind» no es válido.";
    expect(body.detail.split(field)).toHaveLength(2);
    expect(body.errors.filter((e: { detail: string }) => e.detail === field)).toEqual([
      { pointer: "/kind", detail: field },
    ]);
  });

  it("keeps a framework's 4xx: a path outside the API docs' static files is not a 500", async () => {
    // @fastify/static refuses a non-canonical path with FST_STATIC_FORBIDDEN_PATH (403); it
    // used to become a 500 and an error log.
    const forbidden = await app.inject({ url: "/api/docs/static//index.html" });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toMatchObject({
      type: "urn:buzon-imss:problema:forbidden",
      status: 403,
      code: "forbidden",
      instance: "/api/docs/static//index.html",
    });
    const attempts = [
      "/api/docs/static//index.html",
      "/api/docs/static/../../package.json",
      "/api/docs/static/%2e%2e/%2e%2e/package.json",
      "/api/docs/static/..%2f..%2fpackage.json",
      "/api/docs/static/%2e%2e%2f%2e%2e%2fpackage.json",
    ];
    for (const url of attempts) {
      const before = log.errors().length;
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toContain('"name": "buzon-imss"');
      if (response.headers["content-type"]?.startsWith("application/problem+json")) {
        expect(response.json().status, url).toBe(response.statusCode);
      }
      expect(log.errors().length, url).toBe(before);
    }
  });

  it("turns any error carrying a 4xx statusCode into a problem with that status", async () => {
    const teapot = Object.assign(new Error("I'm a teapot"), {
      statusCode: 418,
      code: "FST_ERR_TEAPOT",
    });
    const locked = Object.assign(new Error("Forbidden path"), { statusCode: 403 });
    const local = await createHttpApp({ logger: false, version: "test", ready: async () => {} });
    local.get("/teapot", async () => {
      throw teapot;
    });
    local.get("/locked", async () => {
      throw locked;
    });
    const a = await local.inject({ url: "/teapot" });
    expect(a.statusCode).toBe(418);
    expect(a.json()).toMatchObject({ status: 418, code: "validation" });
    expect(a.body).not.toContain("I'm a teapot");
    const b = await local.inject({ url: "/locked" });
    expect(b.statusCode).toBe(403);
    expect(b.json()).toMatchObject({ status: 403, code: "forbidden", title: "Prohibido" });
    await local.close();
  });

  it("gives every published code a status and a Spanish title", () => {
    for (const [code, { status, title }] of Object.entries(PROBLEMS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(600);
      expect(title.length, code).toBeGreaterThan(0);
    }
    const error = new CodedError("x", "detalle", { internal: "para el registro" });
    expect(error.message).toBe("para el registro");
    expect(error.detail).toBe("detalle");
    expect(new DomainError("invalid_nss", "NSS mal").name).toBe("DomainError");
  });
});
