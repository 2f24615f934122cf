import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { csvCell, csvLine } from "./csv.ts";
import { MAX_WORDS, prefixQuery, rfcKey, searchWords, typesMatching } from "./search.ts";

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

describe.each(ENGINES)("the RFC's key of the search index on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database?.dispose());

  it("is the one expediente_clave (migration 0034) writes, for RFCs with Ñ and &", async () => {
    for (const rfc of ["EKU9003173C9", "H&E951128469", "ÑAÑO800101AB1", "CACX7605101P8"]) {
      const { rows } = await sql<{ key: string; words: string }>`
        select expediente_clave(${rfc}) as key,
               to_tsvector('simple', expediente_texto(${rfc}::text, 'Oficio 9200/1e5 Cédula'))::text as words
      `.execute(database.db);
      const key = rfcKey(rfc);
      expect(key).toMatch(/^[a-p]{12}$/);
      expect(rows[0]?.key).toBe(key);
      // Key and word stay one token, whatever the word starts with.
      expect(rows[0]?.words).toBe(`'${key}1e5':3 '${key}9200':2 '${key}cedula':4 '${key}oficio':1`);
    }
  });
});
