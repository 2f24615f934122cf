import { describe, expect, it } from "vitest";
import type { ActType, ProblemDetails } from "../api/types.ts";
import {
  type ActItem,
  depositItem,
  newItem,
  parseCsv,
  pdfBytesError,
  readBatch,
  retryable,
  signButtonLabel,
  toBeSigned,
  validateAct,
  validateMotivo,
} from "./personal.ts";

const TYPES: ActType[] = [
  {
    id: "7.1",
    name: "Resolución de prima",
    recurrible: true,
    senalaMediosDeDefensa: true,
    plazoRespuestaDiasHabiles: null,
    nota: null,
  },
  {
    id: "7.6",
    name: "Requerimiento",
    recurrible: false,
    senalaMediosDeDefensa: true,
    plazoRespuestaDiasHabiles: null,
    nota: null,
  },
];

const pdf = (name: string, bytes = "%PDF-1.7\n") =>
  new File([bytes], name, { type: "application/pdf" });

const FIELDS = {
  rfc: "goma8001017q5",
  registroPatronal: "",
  actType: "7.1",
  oficio: "OF-1",
  issuingUnit: "Subdelegación Centro",
};

describe("composing an act", () => {
  it("accepts a complete act and refuses every missing or malformed field at once", () => {
    expect(validateAct(FIELDS, TYPES, pdf("a.pdf"))).toEqual({});
    const errors = validateAct(
      { rfc: "XYZ", registroPatronal: "12345", actType: "9.9", oficio: " ", issuingUnit: "" },
      TYPES,
      new File(["hola"], "nota.txt"),
    );
    expect(Object.keys(errors)).toEqual([
      "rfc",
      "registro-patronal",
      "tipo-acto",
      "oficio",
      "unidad-emisora",
      "documento",
    ]);
    expect(errors.documento).toBe("nota.txt no es un PDF.");
    expect(validateAct(FIELDS, TYPES, undefined).documento).toBe("Elige el PDF del acto.");
  });

  it("tells a whole PDF by its bytes when it is chosen, as the deposit does", async () => {
    const pdf = new File(["%PDF-1.4\n1 0 obj\n%%EOF\n"], "acto.pdf");
    expect(await pdfBytesError(pdf)).toBeUndefined();
    for (const bytes of ["<html>", "%PDF-1.4 cortado a la mitad", "PK\u0003\u0004"]) {
      expect(await pdfBytesError(new File([bytes], "falso.pdf")), bytes).toBe(
        "falso.pdf no es un PDF completo: su contenido debe empezar con «%PDF-» y terminar con «%%EOF». Elige el PDF del acto.",
      );
    }
  });

  it("asks a motive of at least 10 characters to cancel", () => {
    expect(validateMotivo("")).toBe("Escribe el motivo de la cancelación.");
    expect(validateMotivo("error")).toMatch(/al menos 10/);
    expect(validateMotivo("Se emitió con un RFC equivocado")).toBeUndefined();
  });
});

describe("a batch from a CSV and its PDFs", () => {
  it("parses quotes, doubled quotes, semicolons and CRLF", () => {
    expect(parseCsv('a;b\r\n"x;1";"dijo ""sí"""\r\n')).toEqual([
      ["a", "b"],
      ["x;1", 'dijo "sí"'],
    ]);
  });

  it("makes one item per good line, each with its own key, and says why the others were refused", () => {
    const csv = [
      "rfc,registro_patronal,tipo,oficio,unidad_emisora,documento",
      "GOMA8001017Q5,Y5410052104,7.1,OF-1,Subdelegación,uno.pdf",
      "GOMA8001017Q5,,7.6,OF-2,Subdelegación,dos.pdf",
      "MAL,,7.1,OF-3,Subdelegación,tres.pdf",
      "GOMA8001017Q5,,7.1,OF-4,Subdelegación,falta.pdf",
      "",
    ].join("\n");
    const reading = readBatch(
      csv,
      [pdf("uno.pdf"), pdf("dos.pdf"), pdf("tres.pdf"), pdf("sobra.pdf")],
      TYPES,
    );
    expect(reading.items.map((i) => i.fields.oficio)).toEqual(["OF-1", "OF-2"]);
    expect(new Set(reading.items.map((i) => i.key)).size).toBe(2);
    expect(reading.items[0]?.fields.registroPatronal).toBe("Y5410052104");
    expect(reading.refused).toEqual([
      { line: 4, reasons: [expect.stringMatching(/^El RFC no tiene la forma correcta/)] },
      { line: 5, reasons: ["No elegiste el PDF «falta.pdf»."] },
    ]);
    expect(reading.unused).toEqual(["tres.pdf", "sobra.pdf"]);
  });

  it("refuses a CSV without the columns it needs, naming them", () => {
    const reading = readBatch("rfc,oficio\nGOMA8001017Q5,OF-1\n", [pdf("uno.pdf")], TYPES);
    expect(reading.items).toEqual([]);
    expect(reading.refused[0]?.reasons[0]).toBe(
      "Al CSV le faltan columnas: tipo, unidad_emisora, documento. La primera línea nombra las columnas.",
    );
  });
});

describe("a refused act is tried again only when trying again may succeed", () => {
  const problem = (status: number): ProblemDetails => ({
    type: "about:blank",
    title: "x",
    status,
    detail: "d",
  });
  const fields = {
    rfc: "GOMA8001017Q5",
    registroPatronal: "",
    actType: "7.1",
    oficio: "OF-1",
    issuingUnit: "Subdelegación",
  };

  it("retries a lost answer or a server failure, never a refusal of the act itself", () => {
    for (const status of [0, 408, 429, 500, 502, 503])
      expect(retryable(problem(status))).toBe(true);
    for (const status of [400, 404, 409, 413, 422]) expect(retryable(problem(status))).toBe(false);
    const item = (result: ActItem["result"]): ActItem => ({
      ...newItem(fields, pdf("a.pdf")),
      ...(result ? { result } : {}),
    });
    expect(toBeSigned(item(undefined))).toBe(true);
    expect(toBeSigned(item({ status: "refused", problem: problem(0), retryable: true }))).toBe(
      true,
    );
    expect(toBeSigned(item({ status: "refused", problem: problem(422), retryable: false }))).toBe(
      false,
    );
  });

  it("the sign button counts the acts to sign, or says none is left, never «0 actos»", () => {
    const item = (result: ActItem["result"]): ActItem => ({
      ...newItem(fields, pdf("a.pdf")),
      ...(result ? { result } : {}),
    });
    const deposited = item({
      status: "deposited",
      deposited: {} as Extract<ActItem["result"], { status: "deposited" }>["deposited"],
    });
    const refusedForGood = item({ status: "refused", problem: problem(422), retryable: false });
    expect(signButtonLabel([])).toBe("Firmar y depositar");
    expect(signButtonLabel([item(undefined), deposited])).toBe("Firmar y depositar 1 acto");
    expect(signButtonLabel([item(undefined), item(undefined)])).toBe("Firmar y depositar 2 actos");
    expect(
      signButtonLabel([item({ status: "refused", problem: problem(503), retryable: true })]),
    ).toBe("Reintentar 1 acto");
    expect(signButtonLabel([deposited, refusedForGood])).toBe("No quedan actos por firmar");
  });

  it("a file that stopped being a PDF is refused for good, before anything is signed", async () => {
    const efirma = {
      signDocument: () => {
        throw new Error("must not sign");
      },
    } as unknown as Parameters<typeof depositItem>[1];
    const result = await depositItem(
      newItem(fields, new File(["<html>"], "falso.pdf")),
      efirma,
      "csrf",
    );
    expect(result).toMatchObject({ status: "refused", retryable: false });
  });

  it("a CSV line whose PDF's bytes are not a PDF is refused with that reason", () => {
    const csv = [
      "rfc,registro_patronal,tipo,oficio,unidad_emisora,documento",
      "GOMA8001017Q5,,7.1,OF-1,Subdelegación,uno.pdf",
      "GOMA8001017Q5,,7.1,OF-2,Subdelegación,falso.pdf",
    ].join("\n");
    const reading = readBatch(
      csv,
      [pdf("uno.pdf"), pdf("falso.pdf")],
      TYPES,
      new Map([["falso.pdf", "falso.pdf no es un PDF completo."]]),
    );
    expect(reading.items.map((i) => i.fields.oficio)).toEqual(["OF-1"]);
    expect(reading.refused).toEqual([{ line: 3, reasons: ["falso.pdf no es un PDF completo."] }]);
    expect(reading.unused).toEqual(["falso.pdf"]);
  });
});
