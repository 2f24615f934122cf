import { describe, expect, it } from "vitest";
import { formatBytes } from "../components/verification/files.ts";
import { es } from "../i18n/es.ts";
import {
  VERIFICATION_FIELDS as F,
  verifyByFolio,
  verifyDocument,
  verifyPdf,
  verifySignature,
} from "./verification.ts";

const t = es.verification.errors;

function form(values: Record<string, string | File>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

const file = (content: string | Uint8Array, name = "archivo") =>
  new File([typeof content === "string" ? content : new Uint8Array(content)], name);

describe("the verification forms' own checks, before anything is sent", () => {
  it("by folio: every field to fix at once, by input id", async () => {
    expect(await verifyByFolio(form({ [F.folio]: "", [F.code]: "" }))).toEqual({
      status: "invalid",
      errors: { [F.folio]: t.folioMissing, [F.code]: t.codeMissing },
    });
    expect(await verifyByFolio(form({ [F.folio]: "BI-2025-1", [F.code]: "AbC1+/x9" }))).toEqual({
      status: "invalid",
      errors: { [F.folio]: t.folioInvalid },
    });
  });

  it("by folio: a well-formed folio and code go to the API (unreachable here: a refusal)", async () => {
    const answer = await verifyByFolio(
      form({ [F.folio]: "BI-20250203-100717151", [F.code]: "AbC1+/x9" }),
    );
    expect(answer).toEqual({
      status: "refused",
      problem: expect.objectContaining({ detail: es.errors.network }),
    });
  });

  it("the acuse's PDF: missing, empty, too large, neither a PDF nor JSON, or broken JSON", async () => {
    const oversized = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20);
    oversized.set(new TextEncoder().encode("%PDF-1.7\n"));
    const cases: [FormData, string][] = [
      [form({}), t.pdfMissing],
      [form({ [F.pdf]: file("", "acuse.pdf") }), t.emptyFile],
      [
        form({ [F.pdf]: file(oversized, "grande.pdf") }),
        t.pdfTooLarge(formatBytes(oversized.length, "up")),
      ],
      [form({ [F.pdf]: file("hola, no soy un PDF", "acuse.pdf") }), t.notPdf],
      [form({ [F.pdf]: file('\uFEFF  {"acuse": ', "acuse.json") }), t.notJson],
      [form({ [F.pdf]: file(`{"x":"${"a".repeat(1024 * 1024)}"}`, "acuse.json") }), t.jsonTooLarge],
    ];
    for (const [data, message] of cases) {
      expect(await verifyPdf(data), message).toEqual({
        status: "invalid",
        errors: { [F.pdf]: message },
      });
    }
  });

  it("an original document: missing or empty", async () => {
    expect(await verifyDocument(form({}))).toEqual({
      status: "invalid",
      errors: { [F.document]: t.documentMissing },
    });
    expect(await verifyDocument(form({ [F.document]: file("", "vacío.txt") }))).toEqual({
      status: "invalid",
      errors: { [F.document]: t.emptyFile },
    });
  });

  it("a signed document: the document's and the signature's errors at once", async () => {
    expect(await verifySignature(form({}))).toEqual({
      status: "invalid",
      errors: { [F.signedDocument]: t.signedDocumentMissing, [F.signature]: t.signatureMissing },
    });
    const tooLarge = new Uint8Array(1024 * 1024 + 1).fill(0x30);
    expect(
      await verifySignature(
        form({ [F.signedDocument]: file("", "vacío.txt"), [F.signature]: file(tooLarge, "f.p7s") }),
      ),
    ).toEqual({
      status: "invalid",
      errors: {
        [F.signedDocument]: t.emptyFile,
        [F.signature]: t.signatureTooLarge(formatBytes(tooLarge.length, "up")),
      },
    });
    expect(
      await verifySignature(
        form({ [F.signedDocument]: file("resolución"), [F.signature]: file("no es una firma") }),
      ),
    ).toEqual({ status: "invalid", errors: { [F.signature]: t.notSignature } });
  });
});
