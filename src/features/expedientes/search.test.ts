import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./csv.ts";
import { MAX_WORDS, prefixQuery, searchWords, typesMatching } from "./search.ts";

describe("«Mis expedientes» search words", () => {
  it("folds case and accents and keeps letters and digits, as expediente_texto does", () => {
    expect(searchWords("  Aclaración  de CUOTAS: BI-20261201-100000000 ")).toEqual([
      "aclaracion",
      "de",
      "cuotas",
      "bi",
      "20261201",
      "100000000",
    ]);
    expect(searchWords("¿?")).toEqual([]);
    expect(searchWords(undefined)).toEqual([]);
    expect(searchWords("año Ñandú")).toEqual(["ano", "nandu"]);
  });

  it("keeps at most MAX_WORDS distinct words", () => {
    expect(searchWords("a b c d e f g h i j a")).toHaveLength(MAX_WORDS);
    expect(searchWords("x x x")).toEqual(["x"]);
  });

  it("writes only normalised words into a tsquery", () => {
    expect(prefixQuery("cuotas")).toBe("cuotas:*");
    expect(() => prefixQuery("a & b")).toThrow();
    expect(() => prefixQuery("x:*|y")).toThrow();
  });

  it("matches a word against the start of any word of a type's name", () => {
    const types = [
      { id: "7.1", name: "Resolución de prima de riesgo de trabajo" },
      { id: "7.2", name: "Cédula de liquidación" },
    ];
    expect(typesMatching("cedu", types)).toEqual(["7.2"]);
    expect(typesMatching("resolucion", types)).toEqual(["7.1"]);
    expect(typesMatching("de", types)).toEqual(["7.1", "7.2"]);
    expect(typesMatching("iquida", types)).toEqual([]);
  });
});

describe("«Mis expedientes» CSV cells", () => {
  it("neutralises what a spreadsheet would take for a formula", () => {
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) {
      expect(csvCell(`${lead}1+1`)).toBe(`"'${lead}1+1"`);
    }
    expect(csvCell("1-1")).toBe('"1-1"');
  });

  it("quotes every cell and doubles inner quotes", () => {
    expect(csvLine(['Dijo "hola"', null, "a,b\nc"])).toBe('"Dijo ""hola""","","a,b\nc"\r\n');
  });
});
