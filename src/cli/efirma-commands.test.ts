import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buzonInProcess as buzon, buzonProcess, capturingOutput } from "../testing/cli.ts";
import { createTestDatabase, ENGINES, type TestDatabase } from "../testing/database.ts";
import { SAT_FIXTURES } from "../testing/efirma.ts";
import { demoEnvironment } from "./main.ts";
import { personalCommand } from "./personal-command.ts";
import { parse } from "./usage.ts";

// In-process (the same `run` as bin/buzon.js); one test below goes through the real binary.
const fiel = join(SAT_FIXTURES, "fake-fiel");
const csd = join(SAT_FIXTURES, "fake-csd");

describe("buzon efirma inspect", () => {
  it("prints what the Institute reads from the SAT's test e.firma (through bin/buzon.js)", async () => {
    const { code, stdout } = await buzonProcess([
      "efirma",
      "inspect",
      "--cer",
      join(fiel, "EKU9003173C9.cer"),
      "--key",
      join(fiel, "EKU9003173C9.key"),
      "--password-file",
      join(fiel, "EKU9003173C9-password.txt"),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      rfc: "EKU9003173C9",
      representativeRfc: "VADA800927DJ3",
      curp: null,
      representativeCurp: "VADA800927HSRSRL05",
      name: "ESCUELA KEMPER URGATE SA DE CV",
      persona: "moral",
      kind: "FIEL",
      certificateNumber: "30001000000500003415",
      validFrom: "2023-05-18T04:37:14Z",
      validTo: "2027-05-17T04:37:14Z",
      issuer: expect.stringContaining("CN=AC UAT"),
      keyMatches: true,
      warnings: [],
    });
  });

  it("classifies the CSD and says when the key is of another certificate", async () => {
    const { stdout } = await buzon([
      "efirma",
      "inspect",
      "--cer",
      join(csd, "EKU9003173C9.cer"),
      "--key",
      join(fiel, "EKU9003173C9.key"),
      "--password-file",
      join(fiel, "EKU9003173C9-password.txt"),
    ]);
    expect(JSON.parse(stdout)).toMatchObject({
      kind: "CSD",
      certificateNumber: "30001000000500003416",
      keyMatches: false,
    });
  });

  it.each([
    [
      [
        "--cer",
        join(fiel, "EKU9003173C9.cer"),
        "--key",
        join(fiel, "EKU9003173C9.key"),
        "--password",
        "equivocada",
      ],
      "La contraseña de la llave privada es incorrecta.",
    ],
    [["--cer", join(fiel, "EKU9003173C9.key")], "no es un certificado válido"],
    [
      [
        "--cer",
        join(fiel, "EKU9003173C9.cer"),
        "--key",
        join(fiel, "EKU9003173C9.cer"),
        "--password",
        "x",
      ],
      "no es una llave privada válida",
    ],
    [["--cer", "/no/existe.cer"], "No se pudo leer el archivo de certificado"],
    [["--cer", "/dev/zero"], "/dev/zero no es un archivo de certificado."],
    [
      [
        "--cer",
        join(fiel, "EKU9003173C9.cer"),
        "--key",
        join(fiel, "EKU9003173C9.key"),
        "--password-file",
        "/no/existe.txt",
      ],
      "No se pudo leer el archivo de contraseña",
    ],
    [
      ["--cer", join(fiel, "EKU9003173C9.cer"), "--key", join(fiel, "EKU9003173C9.key")],
      "hace falta --password",
    ],
  ])("refuses %j in Spanish with a non-zero exit", async (args, message) => {
    const { code, stderr } = await buzon(["efirma", "inspect", ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe("buzon dev-ca", () => {
  it("mints SAT-shaped e.firmas that inspect reads back, revoked ones in the OCSP index", async () => {
    const dir = mkdtempSync(join(tmpdir(), "buzon-cli-ca-"));
    const out = join(dir, "xochilt");
    const issued = await buzon([
      "dev-ca",
      "issue",
      "--dir",
      dir,
      "--rfc",
      "CACX7605101P8",
      "--curp",
      "CACX760510MGTSHC04",
      "--nombre",
      "XOCHILT CASAS CHAVEZ",
      "--revocado",
      "--out",
      out,
    ]);
    expect(issued.code).toBe(0);
    const { cerPath, keyPath, passwordPath } = JSON.parse(issued.stdout);
    const inspected = JSON.parse(
      (
        await buzon([
          "efirma",
          "inspect",
          "--cer",
          cerPath,
          "--key",
          keyPath,
          "--password-file",
          passwordPath,
        ])
      ).stdout,
    );
    expect(inspected).toMatchObject({
      rfc: "CACX7605101P8",
      curp: "CACX760510MGTSHC04",
      persona: "fisica",
      kind: "FIEL",
      keyMatches: true,
    });
    expect(readFileSync(join(dir, "index.txt"), "utf8")).toMatch(/^R\t/m);

    const refused = await buzon([
      "dev-ca",
      "issue",
      "--dir",
      dir,
      "--rfc",
      "EKU9003173C9",
      "--nombre",
      "X",
    ]);
    expect(refused.stderr).toContain("--representante-rfc");
    const production = await buzon(["dev-ca", "init", "--dir", dir], { BUZON_ENV: "production" });
    expect(production.stderr).toContain("no se usa con BUZON_ENV=production");
  });

  it("issues under DATA_DIR/dev-ca without --dir: the CA `serve --demo` trusts with that DATA_DIR", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "buzon-cli-data-"));
    const out = join(dataDir, "persona");
    const issued = await buzon(
      [
        "dev-ca",
        "issue",
        "--rfc",
        "CACX7605101P8",
        "--nombre",
        "XOCHILT CASAS CHAVEZ",
        "--out",
        out,
      ],
      { DATA_DIR: dataDir, DEV_CA_DIR: "" },
    );
    expect(issued.code, issued.stderr).toBe(0);
    expect(existsSync(join(dataDir, "dev-ca", "ca.cer"))).toBe(true);
    expect(demoEnvironment({ DATA_DIR: dataDir }).DEV_CA_DIR).toBe(join(dataDir, "dev-ca"));
  });
});

describe.each(ENGINES)("buzon personal (%s)", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(() => database?.dispose());

  /** The command itself, on the test's database (opening the configured one is what main adds). */
  const personal = (args: string[]) =>
    capturingOutput(() => personalCommand(args, parse, database));

  it("grants, lists and removes staff roles", async () => {
    expect((await personal(["agregar", "--rfc", "CACX7605101P8", "--rol", "auditor"])).value).toBe(
      0,
    );
    expect((await personal(["listar"])).stdout).toMatch(/CACX7605101P8\tauditor\tactivo/);
    await expect(personal(["agregar", "--rfc", "CACX7605101P8", "--rol", "jefe"])).rejects.toThrow(
      "Rol desconocido",
    );
    await expect(
      personal(["agregar", "--rfc", "EKU9003173C9", "--rol", "auditor"]),
    ).rejects.toThrow("persona física");
    expect((await personal(["quitar", "--rfc", "CACX7605101P8"])).value).toBe(0);
    expect((await personal(["listar"])).stdout).toMatch(/CACX7605101P8\tauditor\tbaja/);
  });

  it("creates an API token shown once, lists it without the token, and revokes it", async () => {
    await personal(["agregar", "--rfc", "VADA800927DJ3", "--rol", "administrador"]);
    const created = await personal([
      "token",
      "crear",
      "--rfc",
      "VADA800927DJ3",
      "--nombre",
      "carga nocturna",
      "--rol",
      "administrador,auditor",
      "--dias",
      "30",
    ]);
    expect(created.stdout).toContain("Guárdelo ahora: no se vuelve a mostrar.");
    const token = /^bzn_[A-Za-z0-9_-]{43}$/m.exec(created.stdout)?.[0];
    const id = /^Token ([0-9a-f-]{36}) de VADA800927DJ3 \(administrador, auditor\)/m.exec(
      created.stdout,
    )?.[1];
    expect(token).toBeDefined();
    const listed = (await personal(["token", "listar", "--rfc", "VADA800927DJ3"])).stdout;
    expect(listed).toMatch(
      new RegExp(`^${id}\tVADA800927DJ3\tadministrador,auditor\tvigente\t`, "m"),
    );
    expect(listed).not.toContain(token);
    expect((await personal(["token", "revocar", "--id", id ?? ""])).stdout).toContain("revocado");
    expect((await personal(["token", "listar"])).stdout).toMatch(
      new RegExp(`^${id}\t.*\trevocado\t`, "m"),
    );
    await expect(personal(["token", "revocar", "--id", id ?? ""])).rejects.toThrow(
      "No existe un token vigente",
    );
    await expect(
      personal(["token", "crear", "--rfc", "VADA800927DJ3", "--nombre", "x", "--rol", "jefe"]),
    ).rejects.toThrow("desconocido: jefe");
  });
});
