import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePromocionCatalogue, sniffKind } from "../../../src/domain/promociones/catalogo.ts";
import { type Manifest, manifestText } from "../../../src/domain/promociones/manifest.ts";
import { PACKAGE_ROOT } from "../../../src/platform/config.ts";
import type { PromocionTypeData } from "../api/promociones.ts";
import type { ProblemDetails } from "../api/types.ts";
import { es } from "../i18n/es.ts";
import {
  COMPOSE_FIELDS,
  checkContent,
  fieldOfPointer,
  type HashedFile,
  hashFiles,
  inFormOrder,
  type LocalPromocion,
  type ManifestPart,
  manifestMismatch,
  refusalOf,
} from "./promociones.ts";

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

describe("«Firmar y presentar» with the form incomplete: every error at once", () => {
  const types = parsePromocionCatalogue(
    JSON.parse(readFileSync(join(PACKAGE_ROOT, "catalogos/promociones.json"), "utf8")),
  ).types.filter((type) => type.presentacion === "promociones") as unknown as PromocionTypeData[];
  const empty = { subject: "", text: "", notificacionId: undefined };

  it("an empty form names the type, the subject and the text, each at its field", () => {
    const errors = checkContent(undefined, types, empty, [], false);
    expect(Object.keys(errors)).toEqual([
      COMPOSE_FIELDS.type,
      COMPOSE_FIELDS.subject,
      COMPOSE_FIELDS.text,
    ]);
    expect(errors[COMPOSE_FIELDS.type]).toBe(c.errors.typeMissing);
    expect(errors[COMPOSE_FIELDS.subject]).toMatch(/^El asunto debe ser una línea/);
    expect(errors[COMPOSE_FIELDS.text]).toMatch(/^El escrito debe tener de 1 a 50,000/);
  });

  it("with the type chosen, each field that does not fit it, anexos by their bytes too", () => {
    const respuesta = types.find((type) => type.id === "respuesta_requerimiento");
    const fake: HashedFile = {
      file: new File(["no soy un pdf"], "falso.pdf"),
      name: "falso.pdf",
      sha256: "a".repeat(64),
      size: 13,
      kind: undefined,
    };
    const errors = checkContent(respuesta, types, empty, [fake], false);
    expect(Object.keys(errors).sort()).toEqual(
      [
        COMPOSE_FIELDS.subject,
        COMPOSE_FIELDS.text,
        COMPOSE_FIELDS.notificacion,
        COMPOSE_FIELDS.files,
      ].sort(),
    );
    expect(errors[COMPOSE_FIELDS.notificacion]).toContain("debe nombrar la notificación");
    expect(errors[COMPOSE_FIELDS.text]).toMatch(/de 1 a 50,000/);
    // A draft asks only what it cannot keep.
    expect(checkContent(respuesta, types, empty, [], true)).toEqual({});
  });

  it("the summary lists them in the form's order, the e.firma's last", () => {
    const ordered = inFormOrder({
      [COMPOSE_FIELDS.password]: "c",
      [COMPOSE_FIELDS.text]: "t",
      [COMPOSE_FIELDS.notificacion]: "n",
      [COMPOSE_FIELDS.type]: "x",
    });
    expect(Object.keys(ordered)).toEqual([
      COMPOSE_FIELDS.type,
      COMPOSE_FIELDS.notificacion,
      COMPOSE_FIELDS.text,
      COMPOSE_FIELDS.password,
    ]);
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

describe("the manifest the server asks to sign, checked before the e.firma signs it", () => {
  const hex = (text: string) => createHash("sha256").update(text).digest("hex");
  const TEXT = "Solicito la aclaración de las cuotas.\nGracias.";
  const local: LocalPromocion = {
    rfc: "EKU9003173C9",
    type: { id: "aclaracion_orientacion", name: "Aclaración u orientación" },
    subject: "Aclaración de cuotas de noviembre",
    text: TEXT,
    notificacionId: null,
    attachments: [
      { name: "escrito.pdf", sha256: hex("pdf"), size: 1200 },
      { name: "cuotas.xml", sha256: hex("xml"), size: 340 },
    ],
  };
  /** The manifest as the server writes it for `local`, with `change` applied. */
  const manifestOf = (change: Partial<Manifest> = {}) =>
    manifestText({
      rfc: local.rfc,
      type: local.type,
      subject: local.subject,
      textSha256: hex(TEXT),
      textBytes: Buffer.byteLength(TEXT),
      notificacionId: local.notificacionId,
      attachments: local.attachments,
      at: Temporal.Instant.from("2026-12-12T11:30:00.125-06:00"),
      challengeId: "0b6f6d8e-3c1f-4d65-9a3e-2f1d4c5b6a79",
      nonce: "bm9uY2UtZGUtcHJ1ZWJh",
      ...change,
    });
  const [pdf, xml] = local.attachments as [
    LocalPromocion["attachments"][number],
    LocalPromocion["attachments"][number],
  ];

  it("signs the manifest that names exactly this promoción", () => {
    expect(manifestMismatch(manifestOf(), local)).toBeUndefined();
    const answer = { ...local, notificacionId: "9f0c2a1e-7b3d-4e5f-8a6b-1c2d3e4f5a6b" };
    expect(
      manifestMismatch(manifestOf({ notificacionId: answer.notificacionId }), answer),
    ).toBeUndefined();
  });

  it("refuses a manifest that names another RFC, type, subject, escrito, notification or anexo", () => {
    const cases: [Partial<Manifest>, ManifestPart][] = [
      [{ rfc: "XAXX010101000" }, "rfc"],
      [{ type: { id: "icsoe", name: "ICSOE" } }, "tipo"],
      [{ type: { ...local.type, name: "Otra cosa" } }, "tipo"],
      [{ subject: "Desisto de la aclaración" }, "asunto"],
      [{ textSha256: hex("Desisto de todo.") }, "escrito"],
      [{ textBytes: Buffer.byteLength(TEXT) + 1 }, "escrito"],
      [{ notificacionId: "9f0c2a1e-7b3d-4e5f-8a6b-1c2d3e4f5a6b" }, "notificacion"],
      [{ attachments: [{ ...pdf, sha256: hex("otro pdf") }, xml] }, "anexos"],
      [{ attachments: [pdf, { ...xml, size: 341 }] }, "anexos"],
      [{ attachments: [{ ...pdf, name: "otro.pdf" }, xml] }, "anexos"],
      [{ attachments: [xml, pdf] }, "anexos"],
      [{ attachments: [pdf] }, "anexos"],
      [{ attachments: [pdf, xml, { name: "extra.zip", sha256: hex("zip"), size: 9 }] }, "anexos"],
    ];
    for (const [change, part] of cases) {
      expect(manifestMismatch(manifestOf(change), local), JSON.stringify(change)).toBe(part);
    }
    // Answering a notification the person did not choose is as wrong as naming another.
    const answer = { ...local, notificacionId: "9f0c2a1e-7b3d-4e5f-8a6b-1c2d3e4f5a6b" };
    expect(manifestMismatch(manifestOf(), answer)).toBe("notificacion");
  });

  it("refuses a text that is not a manifest: extra lines, words after a field, another version", () => {
    const good = manifestOf();
    const bad = [
      "",
      "Firma aquí.",
      `${good}Renuncio a mi derecho de audiencia.\n`,
      good.replace("\nNonce:", "\nNota: renuncio a mi derecho de audiencia.\nNonce:"),
      good.replace(/(Instante: [^\n]+)/, "$1 y acepto la resolución"),
      good.replace("Versión del manifiesto: 1", "Versión del manifiesto: 2"),
      good.replace(/\n$/, ""),
    ];
    for (const text of bad) expect(manifestMismatch(text, local), text).toBe("formato");
  });

  it("says what differs, in Spanish, and that nothing was signed or sent", () => {
    const parts = Object.keys(c.manifestParts) as ManifestPart[];
    expect(parts.sort()).toEqual(
      ["anexos", "asunto", "escrito", "formato", "notificacion", "rfc", "tipo"].sort(),
    );
    for (const part of parts) {
      const detail = c.errors.manifestMismatch(c.manifestParts[part]);
      expect(detail).toMatch(/^No se firmó ni se envió nada/);
      expect(detail).toContain(c.manifestParts[part]);
    }
  });
});
