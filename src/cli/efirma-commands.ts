import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { readCertificate } from "../domain/efirma/certificate.ts";
import { MAX_CREDENTIAL_FILE_BYTES } from "../domain/efirma/errors.ts";
import { keyMatchesCertificate, openPrivateKey } from "../domain/efirma/private-key.ts";
import { parseCurp, parseRfc } from "../domain/identifiers/index.ts";
import { loadConfig } from "../platform/config.ts";
import { initDevCa, issueEfirma, type Validity } from "../platform/crypto/dev-ca.ts";
import { type ArgsParser, UsageError } from "./usage.ts";

/** `buzon efirma inspect --cer F --key F --password P`: what the Institute reads, as JSON. */
export async function efirmaCommand(args: string[], parse: ArgsParser): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "inspect")
    throw new UsageError(`Subcomando desconocido «efirma ${sub ?? ""}». Use «efirma inspect».`);
  const { values, positionals } = parse(rest, {
    cer: { type: "string" },
    key: { type: "string" },
    password: { type: "string" },
    "password-file": { type: "string" },
  });
  if (positionals.length > 0) throw new UsageError(`Argumento inesperado: «${positionals[0]}».`);
  if (!values.cer) throw new UsageError("Falta la opción obligatoria --cer.");
  const certificate = readCertificate(await readArgFile(values.cer, "certificado"));
  let keyMatches: boolean | null = null;
  if (values.key) {
    const password =
      values.password ??
      (values["password-file"]
        ? (await readArgFile(values["password-file"], "contraseña")).toString("utf8").trim()
        : undefined);
    if (password === undefined)
      throw new UsageError("Con --key hace falta --password o --password-file.");
    keyMatches = keyMatchesCertificate(
      certificate,
      openPrivateKey(await readArgFile(values.key, "llave privada"), password),
    );
  }
  const result = {
    rfc: certificate.rfc,
    representativeRfc: certificate.representativeRfc,
    curp: certificate.curp,
    representativeCurp: certificate.representativeCurp,
    name: certificate.name,
    persona: certificate.persona,
    kind: certificate.kind,
    certificateNumber: certificate.certificateNumber,
    validFrom: certificate.validFrom.toString(),
    validTo: certificate.validTo.toString(),
    issuer: certificate.issuer,
    keyMatches,
    warnings: certificate.warnings,
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

/** Reads a credential file named on the command line, refusing what cannot be one. */
async function readArgFile(path: string, what: string): Promise<Buffer> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`No se pudo leer el archivo de ${what}: ${path}`);
  }
  // /dev/zero, a directory or a huge file would hang or exhaust memory: none is a credential.
  if (!info.isFile() || info.size > MAX_CREDENTIAL_FILE_BYTES) {
    throw new UsageError(`${path} no es un archivo de ${what}.`);
  }
  return readFile(path);
}

/** `buzon dev-ca init | issue …`: the development CA that mints SAT-shaped e.firmas. */
export async function devCaCommand(args: string[], parse: ArgsParser): Promise<number> {
  const [sub, ...rest] = args;
  if ((process.env.BUZON_ENV ?? process.env.NODE_ENV) === "production") {
    throw new UsageError("La AC de desarrollo no se usa con BUZON_ENV=production.");
  }
  const config = loadConfig();
  if (sub === "init") {
    const { values } = parse(rest, { dir: { type: "string" } });
    const ca = await initDevCa(values.dir ?? config.devCaDir);
    process.stdout.write(
      `AC de desarrollo en ${ca.dir}\nCertificado: ${join(ca.dir, "ca.cer")}\nConfíe en ella solo en desarrollo: TRUST_DEV_CA=true.\n`,
    );
    return 0;
  }
  if (sub === "issue") {
    const { values } = parse(rest, {
      dir: { type: "string" },
      rfc: { type: "string" },
      curp: { type: "string" },
      nombre: { type: "string" },
      "representante-rfc": { type: "string" },
      "representante-curp": { type: "string" },
      csd: { type: "boolean" },
      vencido: { type: "boolean" },
      futuro: { type: "boolean" },
      revocado: { type: "boolean" },
      password: { type: "string" },
      out: { type: "string" },
    });
    if (!values.rfc || !values.nombre) throw new UsageError("Faltan --rfc y --nombre.");
    const rfc = parseRfc(values.rfc, { context: "form", pointer: "--rfc" });
    if (rfc.persona === "moral" && !values["representante-rfc"]) {
      throw new UsageError(
        "Una persona moral necesita --representante-rfc (y --representante-curp).",
      );
    }
    if (values.vencido && values.futuro)
      throw new UsageError("Use --vencido o --futuro, no ambos.");
    const validity: Validity = values.vencido ? "vencido" : values.futuro ? "futuro" : "vigente";
    const ca = await initDevCa(values.dir ?? config.devCaDir);
    const issued = await issueEfirma(ca, {
      rfc: rfc.value,
      curp: values.curp
        ? parseCurp(values.curp, { context: "form", pointer: "--curp" }).value
        : undefined,
      name: values.nombre,
      representativeRfc: values["representante-rfc"],
      representativeCurp: values["representante-curp"],
      kind: values.csd ? "CSD" : "FIEL",
      validity,
      revoked: values.revocado ?? false,
      ...(values.password ? { password: values.password } : {}),
      outDir: values.out,
    });
    process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
    return 0;
  }
  throw new UsageError(
    `Subcomando desconocido «dev-ca ${sub ?? ""}». Use «dev-ca init» o «dev-ca issue».`,
  );
}
