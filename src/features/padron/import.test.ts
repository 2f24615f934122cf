import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../../domain/identifiers/rfc.ts";
import { fixedClock } from "../../platform/clock.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../../testing/database.ts";
import { createPadronImporter, IMPORT_BATCH_ROWS, type ImportCounts } from "./import.ts";

const HEADER = "rfc,nombre,persona,registros_patronales,correo,habilitado_2020";

/** A persona moral RFC with a valid check character, unique per n < 17,576. */
function rfcOf(n: number): string {
  const letter = (k: number) => String.fromCharCode(65 + (Math.floor(n / 26 ** k) % 26));
  const body = `${letter(2)}${letter(1)}${letter(0)}900101AB`;
  return body + rfcCheckDigit(body);
}

function file(count: number, email = (n: number) => `n${n}@empresa.example`): Readable {
  const lines = [HEADER];
  for (let n = 0; n < count; n++) {
    lines.push(`${rfcOf(n)},EMPRESA ${n} SA,moral,B${String(n).padStart(10, "0")},${email(n)},`);
  }
  // Chunks that cut lines anywhere, as a socket or a disk would.
  const text = `${lines.join("\r\n")}\r\n`;
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 777) chunks.push(text.slice(i, i + 777));
  return Readable.from(chunks);
}

describe.each(ENGINES)("padrón import on %s", (engine) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(engine);
  });
  afterEach(async () => {
    await database.dispose();
  });

  it("reports progress per batch, and a re-import with one changed row updates only it", async () => {
    const importPadron = createPadronImporter({
      db: database.db,
      clock: fixedClock("2026-11-23T18:00:00Z"),
    });
    const count = IMPORT_BATCH_ROWS * 2 + 500;
    const progress: ImportCounts[] = [];
    const first = await importPadron(file(count), {
      fileName: "grande.csv",
      actor: "prueba",
      onProgress: (c) => progress.push(c),
    });
    expect(first).toMatchObject({ rowsRead: count, inserted: count, refused: 0 });
    expect(progress.map((p) => p.inserted)).toEqual([1000, 2000, 2500]);

    const second = await importPadron(
      file(count, (n) => (n === 1234 ? "cambio@empresa.example" : `n${n}@empresa.example`)),
      { fileName: "grande.csv", actor: "prueba" },
    );
    expect(second).toMatchObject({ inserted: 0, updated: 1, unchanged: count - 1, refused: 0 });
    const changed = await database.db
      .selectFrom("padron_entries")
      .select(["email_on_file", "import_id"])
      .where("rfc", "=", rfcOf(1234))
      .executeTakeFirstOrThrow();
    expect(changed).toEqual({ email_on_file: "cambio@empresa.example", import_id: second.id });
  });
});
