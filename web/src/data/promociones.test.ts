import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sniffKind } from "../../../src/domain/promociones/catalogo.ts";
import type { ProblemDetails } from "../api/types.ts";
import { es } from "../i18n/es.ts";
import { COMPOSE_FIELDS, fieldOfPointer, hashFiles, refusalOf } from "./promociones.ts";

const c = es.promociones.compose;

function problem(code: string, detail: string, pointer?: string): ProblemDetails {
  return {
    type: "about:blank",
    title: "Refusal",
    status: 422,
    detail,
    code,
    ...(pointer ? { errors: [{ pointer, detail }] } : {}),
  };
}

describe("the server's refusals of a promoción, as the form shows them", () => {
  it("puts each refusal at the field it names, with what it means before the server's words", () => {
    const cases = [
      ["attachment_too_large", "/attachments/1/size", COMPOSE_FIELDS.files],
      ["attachment_count", "/files", COMPOSE_FIELDS.files],
      ["attachment_kind_not_allowed", "/files/0", COMPOSE_FIELDS.files],
      ["attachment_mismatch", "/files/1", COMPOSE_FIELDS.files],
      ["promocion_signature_refused", "/signature", COMPOSE_FIELDS.certificate],
      ["promocion_invalid", "/subject", COMPOSE_FIELDS.subject],
      ["promocion_invalid", "/notificacionId", COMPOSE_FIELDS.notificacion],
    ] as const;
    for (const [code, pointer, field] of cases) {
      const answer = refusalOf(problem(code, "Detalle del servidor.", pointer));
      expect(answer.status, code).toBe("invalid");
      if (answer.status !== "invalid") continue;
      expect(answer.errors[field]).toBe(`${c.refusals[code]} Detalle del servidor.`);
    }
  });

  it("a signature by another e.firma goes to the certificate even without a pointer", () => {
    const answer = refusalOf(problem("promocion_signer_mismatch", "Firma con la misma e.firma."));
    expect(answer).toMatchObject({ status: "invalid" });
    if (answer.status === "invalid") {
      expect(answer.errors[COMPOSE_FIELDS.certificate]).toContain("Firma con la misma e.firma.");
    }
  });

  it("a refusal of no field is an alert, in Spanish", () => {
    const answer = refusalOf(problem("promocion_challenge_invalid", "El desafío venció."));
    expect(answer).toEqual({
      status: "refused",
      problem: expect.objectContaining({
        detail: `${c.refusals.promocion_challenge_invalid} El desafío venció.`,
      }),
    });
    expect(fieldOfPointer("/otra/cosa")).toBeUndefined();
  });
});

describe("the anexos as the browser reads them", () => {
  it("hashes each file and tells its kind by content in one pass, as the server does", async () => {
    const big = Buffer.concat([
      Buffer.from("%PDF-1.7\n"),
      randomBytes(2 * 1024 * 1024),
      Buffer.from("\n%%EOF\n"),
    ]);
    const xml = Buffer.from('\uFEFF  <?xml version="1.0"?><cfdi/>');
    const named = [
      new File([big], "anexo.pdf"),
      new File([xml], "datos.xml"),
      // Named a PDF, but its bytes are not one: its kind is what the bytes say.
      new File([Buffer.from("no soy un pdf")], "falso.pdf"),
    ];
    const hashed = await hashFiles(named);
    expect(hashed.map((f) => [f.name, f.size, f.kind])).toEqual([
      ["anexo.pdf", big.byteLength, "pdf"],
      ["datos.xml", xml.byteLength, "xml"],
      ["falso.pdf", 13, undefined],
    ]);
    for (const [i, bytes] of [big, xml, Buffer.from("no soy un pdf")].entries()) {
      expect(hashed[i]?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(hashed[i]?.kind).toBe(sniffKind(bytes));
    }
  });
});
