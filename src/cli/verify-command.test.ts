import { Buffer } from "node:buffer";
import { createHash, X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import PDFDocument from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cadenaOriginal } from "../domain/evidence/acuse.ts";
import type { AcuseExport } from "../domain/evidence/acuse-export.ts";
import {
  type AcuseFixtures,
  otherAcuse,
  PUBLIC_URL,
  resealed,
  sampleAcuse,
  startAcuseFixtures,
} from "../features/verification/offline.test-helper.ts";
import type { AcuseVerification } from "../features/verification/types.ts";
import { requestTimestamp } from "../platform/crypto/tsa.ts";
import { renderAcusePdf } from "../platform/pdf/acuse-pdf.ts";
import { readPdfSignature } from "../platform/pdf/pades.ts";
import { buzonInProcess, buzonProcess } from "../testing/cli.ts";
import {
  embedTimestampToken,
  overwriteBytes,
  replaceVisibleText,
  uppercaseSignatureHex,
} from "../testing/pdf-tamper.ts";

// In-process (the same `run` as bin/buzon.js); the first test goes through the real binary, in
// a machine zone that is not the Zona Centro.
const buzon = buzonInProcess;

let f: AcuseFixtures;
let good: AcuseExport;
const file = (name: string) => join(f.dir, name);
/** Everything the verifier trusts, as files and options. */
let trusted: string[];

async function saveJson(name: string, exported: AcuseExport): Promise<string> {
  await writeFile(file(name), `${JSON.stringify(exported, null, 2)}\n`);
  return file(name);
}

beforeAll(async () => {
  f = await startAcuseFixtures();
  good = await f.exportOf();
  await saveJson("acuse.json", good);
  await writeFile(file("acuse.pdf"), await renderAcusePdf({ export: good, seal: f.seal }));
  await writeFile(file("sello.pem"), f.seal.certificate.toString());
  await writeFile(file("sello.cer"), f.seal.certificateDer);
  await writeFile(file("otro-sello.pem"), f.otherSeal.certificate.toString());
  await writeFile(file("tsa-ca.pem"), f.tsa.caPem);
  await writeFile(file("registro.vkey"), `${f.verifierKey}\n`);
  await writeFile(file("mismo.checkpoint"), f.checkpointOf(["a", "b", good.cadenaOriginal]));
  await writeFile(file("bifurcado.checkpoint"), f.checkpointOf(["a", "x", good.cadenaOriginal]));
  trusted = [
    "--sello-cer",
    file("sello.pem"),
    "--verificador",
    f.verifierKey,
    "--tsa-cer",
    file("tsa-ca.pem"),
  ];
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe("buzon verify: an intact acuse", { timeout: 60_000 }, () => {
  it("verifies the PDF against everything trusted: exit 0, every check ✔", async () => {
    const { code, stdout, stderr } = await buzonProcess(
      ["verify", file("acuse.pdf"), ...trusted, "--punto-de-control", file("mismo.checkpoint")],
      { TZ: "America/Tijuana" },
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(
      "AUTÉNTICO: El acuse BI-20250211-194005123 es auténtico e íntegro: sus datos, su sello digital y sus pruebas corresponden a lo que emitió el Instituto.",
    );
    expect(stdout).toMatch(/^ {2}Folio: +BI-20250211-194005123$/m);
    expect(stdout).toMatch(/^ {2}Tipo de acuse: +Apertura de notificación$/m);
    expect(stdout).toMatch(/^ {2}Por qué en ese momento: +Las notificaciones se hacen de 09:30/m);
    expect(stdout).toMatch(/^ {2}Regla \(identificador\): +horario_notificacion$/m);
    expect(stdout).toContain("DEMOSTRACIÓN — sin validez oficial");
    expect(stdout).toMatch(
      /^ {2}Quién actuó: +XOJI740919U48, en su carácter de representante legal$/m,
    );
    expect(stdout).toMatch(
      /^ {2}Fecha y hora del evento: +martes 11 de febrero de 2025 a las 19:40:05 \(Zona Centro\)$/m,
    );
    expect(stdout).toMatch(/^ {2}Huella SHA-256: +([0-9A-F]{2}:){31}[0-9A-F]{2}$/m);
    expect(stdout).toContain("Resolución de la notificación 2025-17 (año fiscal ñandú).pdf");
    const checks = lines.filter((l) => /^ {2}[✔✖⚠] /.test(l));
    expect(checks.map((l) => l.slice(0, 4))).toEqual(Array(8).fill("  ✔ "));
    expect(checks[0]).toMatch(/^ {2}✔ Firma electrónica del PDF: El Instituto firmó este PDF /);
    expect(checks[1]).toMatch(/^ {2}✔ Cadena original: /);
    expect(checks[3]).toMatch(
      /^ {2}✔ Código y enlace de verificación: .* apunta a https:\/\/buzon\.imss\.gob\.mx: /,
    );
    expect(checks[6]).toMatch(
      /^ {2}✔ Registro público de evidencias: El acuse está inscrito en el registro público de evidencias: es el número 3 de 3, .* con la clave de confianza del registro\.$/,
    );
    expect(checks[7]).toMatch(/^ {2}✔ Punto de control que guardaste: /);
  });

  it("verifies the JSON export with nothing trusted: exit 3, SIN CONFIRMAR, with what to compare", async () => {
    const { code, stdout, stderr } = await buzon(["verify", file("acuse.json")]);
    expect(stderr).toBe("");
    expect(code).toBe(3);
    expect(stdout.split("\n")[0]).toBe(
      "SIN CONFIRMAR: El acuse BI-20250211-194005123 es coherente (sus datos, su sello y sus pruebas concuerdan entre sí), pero no se confirmó que lo emitió el Instituto: compara el certificado del sello y la clave del registro con los que publica el Instituto (opciones --sello-cer y --verificador).",
    );
    expect(stdout).not.toContain("AUTÉNTICO");
    expect(stdout).toContain("  ✔ Cadena original: ");
    expect(stdout).toContain("  ✔ Sello digital del Instituto: ");
    expect(stdout).toContain("  ✔ Código y enlace de verificación: ");
    expect(stdout).toContain(
      `  ⚠ Certificado del sello: El certificado ${f.seal.certificateNumber} venía dentro del mismo archivo`,
    );
    expect(stdout).toContain("  ⚠ Sello de tiempo (RFC 3161): ");
    expect(stdout).toContain(
      `  ⚠ Registro público de evidencias: El acuse está inscrito en el registro público de evidencias: es el número 3 de 3, según un punto de control firmado con la clave que trae el propio archivo (${f.verifierKey}): compárala con la que publica el Instituto.`,
    );
    expect(stdout).not.toMatch(/^ {2}✖ /m);
  });

  it("exits 3 when only the seal certificate is trusted, or only the log key", async () => {
    const onlyCer = await buzon(["verify", file("acuse.pdf"), "--sello-cer", file("sello.pem")]);
    expect(onlyCer.stderr).toBe("");
    expect(onlyCer.code).toBe(3);
    expect(onlyCer.stdout).toMatch(/^SIN CONFIRMAR: El acuse BI-20250211-194005123 es coherente /);
    expect(onlyCer.stdout).toContain("  ✔ Certificado del sello: ");
    expect(onlyCer.stdout).toContain("  ⚠ Registro público de evidencias: ");
    const onlyKey = await buzon([
      "verify",
      file("acuse.json"),
      "--json",
      "--verificador",
      file("registro.vkey"),
    ]);
    expect(onlyKey.code).toBe(3);
    const result = JSON.parse(onlyKey.stdout) as AcuseVerification;
    expect(result.verdict).toBe("no_confirmado");
    expect(result.checks.find((c) => c.id === "registro")?.outcome).toBe("ok");
    expect(result.checks.find((c) => c.id === "certificado_sello")?.outcome).toBe("warning");
  });

  it("exits 0 when the seal certificate and the log key are trusted (the TSA is optional)", async () => {
    const { code, stdout } = await buzon([
      "verify",
      file("acuse.json"),
      "--sello-cer",
      file("sello.pem"),
      "--verificador",
      f.verifierKey,
    ]);
    expect(code).toBe(0);
    expect(stdout.split("\n")[0]).toBe(
      "AUTÉNTICO: El acuse BI-20250211-194005123 es auténtico e íntegro, con una advertencia: sello de tiempo (RFC 3161).",
    );
  });

  it("verifies a version-2 PDF and prints how the mailbox was enabled (ADR 0011)", async () => {
    const v2 = await f.exportOf({ ...sampleAcuse(), habilitacion: "lineamientos_2020" });
    await writeFile(file("acuse-v2.pdf"), await renderAcusePdf({ export: v2, seal: f.seal }));
    const { code, stdout } = await buzon(["verify", file("acuse-v2.pdf"), ...trusted]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(
      /^ {2}Habilitación del buzón: +Buzón habilitado conforme a los Lineamientos de 2020 \(numeral 5\.4\)$/m,
    );
    expect(stdout).toContain("(versión 2)");
  });

  it("verifies a version-1 export written before version 2 existed, saying nothing of a habilitación", async () => {
    const fixture = join(
      import.meta.dirname,
      "../features/verification/fixtures/acuse-v1-registro.json",
    );
    const old = JSON.parse(await readFile(fixture, "utf8")) as AcuseExport;
    // Its own certificate and log key stand for the ones the Institute published then.
    const pem = new X509Certificate(Buffer.from(old.sealCertificate, "base64")).toString();
    await writeFile(file("sello-v1.pem"), pem);
    const { code, stdout } = await buzon([
      "verify",
      fixture,
      "--sello-cer",
      file("sello-v1.pem"),
      "--verificador",
      old.log!.verifierKey,
    ]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/^AUTÉNTICO: El acuse BI-20250203-100717151 es auténtico/);
    expect(stdout).toContain("(versión 1)");
    expect(stdout).not.toContain("Habilitación del buzón");
  });

  it("warns, without --tsa-cer, of a time-stamp in the PDF's signature it cannot anchor", async () => {
    // The server knows the Institute embeds none without its TSA and calls it altered
    // (routes.test.ts); offline, the verifier may just lack the TSA's certificate.
    const pdf = await readFile(file("acuse.pdf"));
    const read = await readPdfSignature(pdf);
    if (read.status !== "read") throw new Error("El PDF no está firmado.");
    const stamp = await requestTimestamp({
      url: f.tsa.url,
      digest: createHash("sha256").update(read.signatureValue).digest(),
      trusted: [f.tsaCa],
    });
    await writeFile(file("con-sello.pdf"), embedTimestampToken(pdf, stamp.token));
    const { code, stdout } = await buzon([
      "verify",
      file("con-sello.pdf"),
      "--json",
      "--sello-cer",
      file("sello.pem"),
      "--verificador",
      f.verifierKey,
    ]);
    const result = JSON.parse(stdout) as AcuseVerification;
    expect(code).not.toBe(1);
    expect(result.verdict).not.toBe("alterado");
    const check = result.checks.find((c) => c.id === "firma_pdf");
    expect(check?.outcome).toBe("warning");
    expect(check?.detail).toContain("no se toma su fecha");
  });

  it("tells a coherent forgery only by the trusted certificate: exit 3 without it, 1 with it", async () => {
    // Own seal certificate, its code and link, and no time-stamp (it covers the genuine seal).
    const forged = await resealed(
      await f.exportOf(sampleAcuse(), { timestamp: false }),
      f.otherSeal,
    );
    const path = await saveJson("falsificado.json", forged);
    const alone = await buzon(["verify", path]);
    expect(alone.code).toBe(3);
    expect(alone.stdout).toMatch(/^SIN CONFIRMAR: /);
    expect(alone.stdout).not.toMatch(/^ {2}✖ /m);
    const compared = await buzon(["verify", path, ...trusted]);
    expect(compared.code).toBe(1);
    expect(compared.stdout).toMatch(/^ALTERADO: /);
    expect(compared.stdout).toContain("  ✖ Certificado del sello: ");
  });

  it("prints one JSON object with --json (DER certificate, key from a file)", async () => {
    const { code, stdout } = await buzon([
      "verify",
      file("acuse.json"),
      "--json",
      "--sello-cer",
      file("sello.cer"),
      "--verificador",
      file("registro.vkey"),
      "--tsa-cer",
      file("tsa-ca.pem"),
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as AcuseVerification;
    expect(result.verdict).toBe("autentico");
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["cadena", "ok"],
      ["sello", "ok"],
      ["enlace_verificacion", "ok"],
      ["certificado_sello", "ok"],
      ["sello_tiempo", "ok"],
      ["registro", "ok"],
    ]);
    expect(result.acuse?.folio).toBe("BI-20250211-194005123");
    expect(result.log).toMatchObject({ leafIndex: 2, treeSize: 3 });
  });
});

describe("buzon verify: tampering gives exit 1 and names the check", { timeout: 60_000 }, () => {
  const cases: [string, (e: AcuseExport) => Promise<void> | void, string[], string][] = [
    [
      "a field of the cadena changed",
      (e) => {
        e.acuse.parties.rfc = "XAXX010101000";
      },
      [],
      "✖ Cadena original: La cadena original del archivo no es la que producen los datos del acuse: difieren en el campo «RFC del titular».",
    ],
    [
      "the seal altered",
      (e) => {
        e.seal = `${e.seal.slice(0, 20)}${e.seal[20] === "A" ? "B" : "A"}${e.seal.slice(21)}`;
      },
      [],
      "✖ Sello digital del Instituto: ",
    ],
    [
      "a certificate that is not the trusted one",
      () => {},
      ["--sello-cer", "otro-sello.pem"],
      "✖ Certificado del sello: ",
    ],
    [
      "the time-stamp token of another acuse",
      async (e) => {
        e.timestamp = (await f.exportOf(otherAcuse(), { log: false })).timestamp!;
      },
      [],
      "✖ Sello de tiempo (RFC 3161): El sello de tiempo no es válido: el sello de tiempo no corresponde a este documento.",
    ],
    [
      "the log proof altered",
      (e) => {
        const lines = e.log!.proof.split("\n");
        lines[2] = `${lines[2]![0] === "A" ? "B" : "A"}${lines[2]!.slice(1)}`;
        e.log!.proof = lines.join("\n");
      },
      [],
      "✖ Registro público de evidencias: ",
    ],
    [
      "the verification code changed",
      (e) => {
        const code = e.verificationCode === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
        e.verificationCode = code;
        e.verificationUrl = `${PUBLIC_URL}/verificacion/${e.acuse.folio}?codigo=${code}`;
      },
      [],
      "✖ Código y enlace de verificación: El código de verificación del archivo (",
    ],
    [
      "a QR link to another folio",
      (e) => {
        e.verificationUrl = e.verificationUrl.replace(e.acuse.folio, otherAcuse().folio);
      },
      [],
      "✖ Código y enlace de verificación: El enlace de verificación (https://buzon.imss.gob.mx/verificacion/BI-20250210-090000000?codigo=",
    ],
    [
      "a kept checkpoint of the same size with another root (a fork)",
      () => {},
      ["--punto-de-control", "bifurcado.checkpoint"],
      "✖ Punto de control que guardaste: ",
    ],
  ];

  it.each(cases)("%s", async (name, tamper, options, expected) => {
    const e = structuredClone(good);
    await tamper(e);
    const path = await saveJson(`${name.replaceAll(" ", "-")}.json`, e);
    const args = options.map((o) =>
      o.endsWith(".pem") || o.endsWith(".checkpoint") ? file(o) : o,
    );
    const { code, stdout, stderr } = await buzon(["verify", path, ...args]);
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ALTERADO: El acuse BI-20250211-194005123 fue alterado /);
    expect(stdout).toContain(`  ${expected}`);
    expect(stdout.match(/^ {2}✖ /gm)?.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    [
      "the visible RFC and date rewritten",
      (pdf: Buffer) =>
        replaceVisibleText(
          replaceVisibleText(pdf, "EKU9003173C9", "XYZ9003173C9"),
          "09:30:00",
          "11:45:00",
        ),
    ],
    ["four bytes overwritten in the middle", (pdf: Buffer) => overwriteBytes(pdf)],
    ["four bytes overwritten in the signed part", (pdf: Buffer) => overwriteBytes(pdf, 0.1)],
    ["a signature hex digit in upper case", (pdf: Buffer) => uppercaseSignatureHex(pdf)],
  ])(
    "catches a PDF with %s: exit 1, not the document the Institute issued",
    async (name, tamper) => {
      const pdf = file(`${name.replaceAll(" ", "-")}.pdf`);
      await writeFile(pdf, tamper(await readFile(file("acuse.pdf"))));
      const { code, stdout, stderr } = await buzon(["verify", pdf, ...trusted]);
      expect(stderr).toBe("");
      expect(code).toBe(1);
      expect(stdout).toMatch(
        /^ALTERADO: El documento presentado no es el que emitió el Instituto\./,
      );
      expect(stdout).toMatch(/^ {2}✖ Firma electrónica del PDF: /m);
    },
  );

  it("catches an acuse.json altered inside a regenerated PDF", async () => {
    // Data and cadena changed together, so the PDF renders; the seal no longer covers them.
    const e = structuredClone(good);
    const acuse = sampleAcuse();
    acuse.parties.actorRfc = "XAXX010101000";
    e.acuse.parties.actorRfc = acuse.parties.actorRfc;
    e.cadenaOriginal = cadenaOriginal(acuse);
    const pdf = file("alterado.pdf");
    await writeFile(pdf, await renderAcusePdf({ export: e, seal: f.seal }));
    const { code, stdout } = await buzon(["verify", pdf, "--json", ...trusted]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as AcuseVerification;
    expect(result.verdict).toBe("alterado");
    expect(result.checks.find((c) => c.id === "cadena")?.outcome).toBe("ok");
    expect(result.checks.find((c) => c.id === "sello")?.outcome).toBe("failed");
    expect(result.acuse?.actorRfc).toBe("XAXX010101000");
  });
});

describe("buzon verify: what it cannot read gives exit 2 and a Spanish message", {
  timeout: 60_000,
}, () => {
  it("refuses a file that is neither a PDF nor a JSON export", async () => {
    await writeFile(file("nota.txt"), "Esto es una nota, no un acuse.\n");
    const { code, stdout, stderr } = await buzon(["verify", file("nota.txt")]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `Error: ${file("nota.txt")} no es un PDF ni un acuse exportado en JSON (buzon-imss-acuse/1).\n`,
    );
  });

  it("refuses JSON that is not an export, naming the field", async () => {
    await writeFile(file("otro.json"), JSON.stringify({ ...good, format: "otro/1" }));
    const { code, stderr } = await buzon(["verify", file("otro.json")]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      "no es un acuse exportado válido: El archivo no es un acuse exportado",
    );
  });

  it("refuses a PDF without acuse.json, and a broken PDF", async () => {
    const doc = new PDFDocument();
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((r) => doc.on("end", () => r(Buffer.concat(chunks))));
    doc.text("Sin adjuntos.");
    doc.end();
    await writeFile(file("sin-adjuntos.pdf"), await done);
    const plain = await buzon(["verify", file("sin-adjuntos.pdf")]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain("El PDF no lleva adjunto el archivo acuse.json");
    await writeFile(file("roto.pdf"), "%PDF-1.7\nesto no sigue\n");
    const broken = await buzon(["verify", file("roto.pdf")]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("no es un PDF legible");
  });

  it("refuses a missing file, a missing argument and an unknown option", async () => {
    const missing = await buzon(["verify", file("no-existe.pdf")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `Error: No se pudo leer el archivo de acuse: ${file("no-existe.pdf")}\n`,
    );
    const none = await buzon(["verify"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("Falta el archivo del acuse");
    const unknown = await buzon(["verify", file("acuse.json"), "--llave", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Opción desconocida: --llave");
  });

  it("refuses trust options that are not what they say", async () => {
    const key = await buzon(["verify", file("acuse.json"), "--verificador", "no-es-una-clave"]);
    expect(key.code).toBe(2);
    expect(key.stderr).toContain("--verificador no es una clave de verificación del registro");
    const cer = await buzon(["verify", file("acuse.json"), "--sello-cer", file("acuse.json")]);
    expect(cer.code).toBe(2);
    expect(cer.stderr).toContain("(--sello-cer) no es un certificado X.509 en PEM o DER.");
  });
});

describe("buzon verify: a means acuse that seals its statement (ADR 0012)", {
  timeout: 60_000,
}, () => {
  const text = [
    "Buzón IMSS — Registro de medios de contacto",
    "RFC: EKU9003173C9",
    "Medio: correo",
    "Valor: ana.perez@ejemplo.mx",
    "Alcance: RFC",
    "",
  ].join("\n");
  const bytes = Buffer.from(text, "utf8");
  const registro = {
    ...sampleAcuse(),
    kind: "registro_medios_contacto" as const,
    countsAt: sampleAcuse().eventAt,
    rule: "momento_del_evento" as const,
    documents: [
      {
        name: "medios-de-contacto.txt",
        sha256: createHash("sha256").update(bytes).digest("hex"),
        bytes: bytes.length,
      },
    ],
  };

  it("shows what was registered and checks its text, in the JSON and in the PDF", async () => {
    const exported = {
      ...(await f.exportOf(registro)),
      statement: { name: "medios-de-contacto.txt", text },
    };
    const json = await saveJson("registro.json", exported);
    const pdf = file("registro.pdf");
    await writeFile(pdf, await renderAcusePdf({ export: exported, seal: f.seal }));
    for (const path of [json, pdf]) {
      const { code, stdout } = await buzon(["verify", path, ...trusted]);
      expect(code, stdout).toBe(0);
      expect(stdout).toContain("  Lo que se registró (medios-de-contacto.txt):\n");
      expect(stdout).toContain("    Valor: ana.perez@ejemplo.mx\n");
      expect(stdout).toMatch(/^ {2}✔ Texto de lo registrado: /m);
    }
  });

  it("an altered statement is ALTERADO (exit 1); one left out is not checked", async () => {
    const exported = await f.exportOf(registro);
    const altered = await saveJson("registro-alterado.json", {
      ...exported,
      statement: { name: "medios-de-contacto.txt", text: text.replace("ana.perez", "otra") },
    });
    const bad = await buzon(["verify", altered, ...trusted]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ {2}✖ Texto de lo registrado: /m);
    const bare = await buzon([
      "verify",
      await saveJson("registro-sin-texto.json", exported),
      ...trusted,
    ]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).not.toContain("Texto de lo registrado");
  });
});
