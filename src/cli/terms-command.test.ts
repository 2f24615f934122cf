import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { capturingOutput } from "../testing/cli.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../testing/database.ts";
import { termsCommand } from "./terms-command.ts";
import { parse } from "./usage.ts";

describe.each(ENGINES)("buzon terminos (%s)", (engine) => {
  let database: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    dir = await mkdtemp(join(tmpdir(), "buzon-terminos-"));
  });
  afterAll(async () => {
    await database?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const terminos = (args: string[]) => capturingOutput(() => termsCommand(args, parse, database));

  it("publishes a file's exact UTF-8 text as the next version and lists the versions", async () => {
    expect((await terminos(["listar"])).stdout).toContain("No hay versiones publicadas.");
    const text = "TÉRMINOS Y CONDICIONES\r\nVersión de prueba: «ñ».\n";
    const file = join(dir, "v1.txt");
    // A byte-order mark, as some editors save, is not part of the text.
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
    const published = await terminos(["publicar", file, "--nota", "Primera"]);
    expect(published.value).toBe(0);
    expect(published.stdout).toContain(
      `versión 1 de los Términos y Condiciones (SHA-256 ${sha256}`,
    );
    const second = join(dir, "v2.txt");
    await writeFile(second, `${text}Cambio.\n`);
    expect((await terminos(["publicar", second, "--nota", "Segunda"])).stdout).toContain(
      "versión 2",
    );
    const list = (await terminos(["listar"])).stdout.trim().split("\n");
    expect(list).toHaveLength(2);
    expect(list[0]).toMatch(/^2\t/);
    expect(list[1]).toContain(sha256);
  });

  it("refuses a repeated text, a missing note, a missing file and a file that is not UTF-8", async () => {
    const file = join(dir, "repetido.txt");
    await writeFile(file, "Texto repetido.\n");
    await terminos(["publicar", file, "--nota", "Una vez"]);
    await expect(terminos(["publicar", file, "--nota", "Otra vez"])).rejects.toThrow(
      "ya está publicado como la versión",
    );
    await expect(terminos(["publicar", file])).rejects.toThrow("--nota");
    await expect(terminos(["publicar", join(dir, "no-existe.txt"), "--nota", "x"])).rejects.toThrow(
      "No existe el archivo",
    );
    const latin1 = join(dir, "latin1.txt");
    await writeFile(latin1, Buffer.from("Versi\xf3n", "latin1"));
    await expect(terminos(["publicar", latin1, "--nota", "x"])).rejects.toThrow("UTF-8");
    await expect(terminos(["borrar"])).rejects.toThrow("terminos publicar");
  });
});
