import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Acuse, cadenaInstant, cadenaOriginal } from "../../domain/evidence/acuse.ts";
import {
  type AcuseExport,
  acuseFromExport,
  exportedAcuseData,
  parseAcuseExport,
  verificationUrlOf,
} from "../../domain/evidence/acuse-export.ts";
import { withPkijs } from "../../platform/crypto/pkijs-engine.ts";
import { createDevelopmentSeal } from "../../platform/crypto/seal.ts";
import {
  type AcuseFixtures,
  otherAcuse,
  PUBLIC_URL,
  resealed,
  sampleAcuse,
  startAcuseFixtures,
} from "./offline.test-helper.ts";
import {
  type OfflineTrust,
  tlogProofPath,
  VerificationInputError,
  verifyAcuseExport,
} from "./offline.ts";
import type { AcuseVerification, CheckId } from "./types.ts";

const run = promisify(execFile);

let f: AcuseFixtures;
let good: AcuseExport;
let trust: OfflineTrust;

beforeAll(async () => {
  f = await startAcuseFixtures();
  good = await f.exportOf();
  trust = {
    sealCertificates: [f.seal.certificate],
    logVerifierKey: f.verifierKey,
    tsaCertificates: [f.tsaCa],
  };
}, 120_000);

afterAll(async () => {
  await f?.close();
});

const copy = (e: AcuseExport): AcuseExport => structuredClone(e);

function outcome(result: AcuseVerification, id: CheckId) {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`sin comprobación ${id}`);
  return found;
}

/** Changes one base64 character in the middle, keeping it base64. */
function flipBase64(text: string, at = Math.floor(text.length / 2)): string {
  const ch = text[at] === "A" ? "B" : "A";
  return `${text.slice(0, at)}${ch}${text.slice(at + 1)}`;
}

/**
 * An export whose verification code matches `pattern` (e.g. carries + or /): the seal depends on
 * the folio, so it tries folios of the same day until one gives such a code.
 */
async function exportWithCodeLike(
  pattern: RegExp,
  options: { timestamp?: boolean; log?: boolean } = {},
): Promise<AcuseExport> {
  for (let ms = 0; ms < 200; ms++) {
    const acuse: Acuse = {
      ...sampleAcuse(),
      folio: `BI-20250211-194005${String(ms).padStart(3, "0")}`,
    };
    const e = await f.exportOf(acuse, options);
    if (pattern.test(e.verificationCode)) return e;
  }
  throw new Error(`ningún folio dio un código que cumpla ${pattern}`);
}

describe("verifyAcuseExport: an intact acuse", () => {
  it("passes every check against what the verifier trusts, in order", async () => {
    const kept = f.checkpointOf(["a", "b", good.cadenaOriginal]);
    const result = await verifyAcuseExport(good, { ...trust, checkpoint: kept });
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["cadena", "ok"],
      ["sello", "ok"],
      ["enlace_verificacion", "ok"],
      ["certificado_sello", "ok"],
      ["sello_tiempo", "ok"],
      ["registro", "ok"],
      ["punto_de_control", "ok"],
    ]);
    expect(result.verdict).toBe("autentico");
    expect(result.summary).toBe(
      "El acuse BI-20250211-194005123 es auténtico e íntegro: sus datos, su sello digital y sus pruebas corresponden a lo que emitió el Instituto.",
    );
    for (const c of result.checks) {
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.detail).toMatch(/\.$/);
    }
    expect(outcome(result, "certificado_sello").detail).toContain(
      f.seal.certificate.fingerprint256,
    );
    expect(outcome(result, "certificado_sello").detail).toContain(
      "es uno de los certificados de confianza del Instituto",
    );
    expect(outcome(result, "registro").detail).toBe(
      `El acuse está inscrito en el registro público de evidencias: es el número 3 de 3, según un punto de control firmado con la clave de confianza del registro.`,
    );
  });

  it("says «de 1 hoja» for a log with only this acuse, at index 0", async () => {
    const alone = await f.exportOf(sampleAcuse(), { timestamp: false, logBefore: [] });
    const result = await verifyAcuseExport(alone, trust);
    expect(outcome(result, "registro")).toMatchObject({
      outcome: "ok",
      detail: expect.stringContaining("registro público de evidencias: es el número 1 de 1, según"),
    });
    expect(result.log).toMatchObject({ leafIndex: 0, treeSize: 1 });
  });

  it("fills the acuse, the seal, the time-stamp and the log for people", async () => {
    const result = await verifyAcuseExport(good, trust);
    expect(result.acuse).toEqual({
      folio: "BI-20250211-194005123",
      kind: "apertura_notificacion",
      kindLabel: "Apertura de notificación",
      rfc: "EKU9003173C9",
      actorRfc: "XOJI740919U48",
      capacity: "representante_legal",
      capacityLabel: "representante legal",
      eventAt: "2025-02-11T19:40:05.000-06:00",
      countsAt: "2025-02-12T09:30:00.000-06:00",
      eventAtText: "martes 11 de febrero de 2025 a las 19:40:05 (Zona Centro)",
      countsAtText: "miércoles 12 de febrero de 2025 a las 09:30:00 (Zona Centro)",
      rule: "horario_notificacion",
      calendarVersion: "cff-2025.1",
      rulesVersion: good.acuse.rulesVersion,
      documents: good.acuse.documents,
    });
    expect(result.seal).toEqual({
      certificateNumber: f.seal.certificateNumber,
      subject: expect.stringContaining("CN=SELLO DIGITAL DEL BUZÓN IMSS (DESARROLLO)"),
      fingerprint: f.seal.certificate.fingerprint256,
    });
    expect(result.seal?.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(result.timestamp?.genTime).toBe(good.timestamp?.genTime);
    expect(result.timestamp?.tsa).toContain("TSA de pruebas");
    expect(result.log).toEqual({
      leafIndex: 2,
      treeSize: 3,
      root: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
    });
  });

  it("is not confirmed (not authentic) when nothing trusted is given, saying what to compare", async () => {
    const result = await verifyAcuseExport(good);
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["cadena", "ok"],
      ["sello", "ok"],
      ["enlace_verificacion", "ok"],
      ["certificado_sello", "warning"],
      ["sello_tiempo", "warning"],
      ["registro", "warning"],
    ]);
    expect(result.verdict).toBe("no_confirmado");
    expect(result.summary).toBe(
      "El acuse BI-20250211-194005123 es coherente (sus datos, su sello y sus pruebas concuerdan entre sí), pero no se confirmó que lo emitió el Instituto: compara el certificado del sello y la clave del registro con los que publica el Instituto (opciones --sello-cer y --verificador).",
    );
    // What it read is still reported, for the person to compare.
    expect(result.seal?.fingerprint).toBe(f.seal.certificate.fingerprint256);
    expect(result.log).toMatchObject({ leafIndex: 2, treeSize: 3 });
    expect(outcome(result, "certificado_sello").detail).toContain(
      `venía dentro del mismo archivo y no se comparó con uno de confianza: compara su huella SHA-256 ${f.seal.certificate.fingerprint256} con la que publica el Instituto`,
    );
    expect(outcome(result, "sello_tiempo").detail).toContain(
      "la autoridad de sellado no se comparó con una de confianza",
    );
    expect(outcome(result, "registro").detail).toContain(
      `con la clave que trae el propio archivo (${f.verifierKey})`,
    );
  });

  it("checks only what the export carries: no time-stamp, no log", async () => {
    const bare = await f.exportOf(sampleAcuse(), { timestamp: false, log: false });
    const result = await verifyAcuseExport(bare, {
      sealCertificates: [f.seal.certificate],
    });
    expect(result.checks.map((c) => c.id)).toEqual([
      "cadena",
      "sello",
      "enlace_verificacion",
      "certificado_sello",
    ]);
    // No log to anchor: the trusted certificate is enough.
    expect(result.verdict).toBe("autentico");
    expect(result.timestamp).toBeUndefined();
    expect(result.log).toBeUndefined();
  });

  it("accepts the verifier key with surrounding spaces, and refuses one that is not a key", async () => {
    const result = await verifyAcuseExport(good, { logVerifierKey: ` ${f.verifierKey}\n` });
    expect(outcome(result, "registro").outcome).toBe("ok");
    await expect(verifyAcuseExport(good, { logVerifierKey: "no-es-clave" })).rejects.toThrow(
      VerificationInputError,
    );
  });
});

describe("verifyAcuseExport: no_confirmado until the certificate and the log key are trusted", () => {
  const NOT_CONFIRMED =
    "El acuse BI-20250211-194005123 es coherente (sus datos, su sello y sus pruebas concuerdan entre sí), pero no se confirmó que lo emitió el Instituto: compara el certificado del sello y la clave del registro con los que publica el Instituto (opciones --sello-cer y --verificador).";

  it("is no_confirmado when only the seal certificate is trusted and the export has a log", async () => {
    const result = await verifyAcuseExport(good, {
      sealCertificates: [f.seal.certificate],
      tsaCertificates: [f.tsaCa],
    });
    expect(result.checks.filter((c) => c.outcome === "failed")).toEqual([]);
    expect(outcome(result, "certificado_sello").outcome).toBe("ok");
    expect(outcome(result, "registro")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining(`con la clave que trae el propio archivo (${f.verifierKey})`),
    });
    expect(result.verdict).toBe("no_confirmado");
    expect(result.summary).toBe(NOT_CONFIRMED);
  });

  it("is no_confirmado when only the log key is trusted, or the certificates given are none", async () => {
    for (const t of [
      { logVerifierKey: f.verifierKey },
      { sealCertificates: [], logVerifierKey: f.verifierKey },
    ] satisfies OfflineTrust[]) {
      const result = await verifyAcuseExport(good, t);
      expect(outcome(result, "registro").outcome).toBe("ok");
      expect(outcome(result, "certificado_sello").outcome).toBe("warning");
      expect(result.verdict).toBe("no_confirmado");
      expect(result.summary).toBe(NOT_CONFIRMED);
    }
  });

  it("is no_confirmado without a trusted certificate even when there is no log", async () => {
    const bare = await f.exportOf(sampleAcuse(), { timestamp: false, log: false });
    const result = await verifyAcuseExport(bare, { logVerifierKey: f.verifierKey });
    expect(result.verdict).toBe("no_confirmado");
  });

  it("is autentico when both the certificate and the log key are trusted (TSA not needed)", async () => {
    const result = await verifyAcuseExport(good, {
      sealCertificates: [f.seal.certificate],
      logVerifierKey: f.verifierKey,
    });
    expect(outcome(result, "certificado_sello").outcome).toBe("ok");
    expect(outcome(result, "registro").outcome).toBe("ok");
    expect(outcome(result, "sello_tiempo").outcome).toBe("warning");
    expect(result.verdict).toBe("autentico");
    expect(result.summary).toBe(
      "El acuse BI-20250211-194005123 es auténtico e íntegro, con una advertencia: sello de tiempo (RFC 3161).",
    );
  });

  it("says alterado, not no_confirmado, when a check fails with nothing trusted", async () => {
    const e = copy(good);
    e.acuse.parties.rfc = "XAXX010101000";
    const result = await verifyAcuseExport(e, {});
    expect(result.verdict).toBe("alterado");
    expect(result.summary).toMatch(/^El acuse BI-20250211-194005123 fue alterado /);
  });
});

describe("verifyAcuseExport: enlace_verificacion", () => {
  const suffix = () =>
    `/verificacion/BI-20250211-194005123?codigo=${encodeURIComponent(good.verificationCode)}`;

  it("is ok without a trusted address, naming the origin to compare", async () => {
    const result = await verifyAcuseExport(good, trust);
    expect(outcome(result, "enlace_verificacion")).toEqual({
      id: "enlace_verificacion",
      outcome: "ok",
      title: "Código y enlace de verificación",
      detail:
        "El código corresponde al sello, y el enlace del QR al folio; apunta a https://buzon.imss.gob.mx: comprueba que es la dirección del Instituto.",
    });
  });

  it("is ok when the link points to the trusted address (trailing slash or not)", async () => {
    for (const publicUrl of [PUBLIC_URL, `${PUBLIC_URL}/`]) {
      const result = await verifyAcuseExport(good, { ...trust, publicUrl });
      expect(outcome(result, "enlace_verificacion")).toMatchObject({
        outcome: "ok",
        detail:
          "El código corresponde al sello, y el enlace del QR lleva a la verificación del Instituto (https://buzon.imss.gob.mx).",
      });
      expect(result.verdict).toBe("autentico");
    }
  });

  it("fails a code that is not the seal's, even with a link that agrees with it", async () => {
    const e = copy(good);
    e.verificationCode = good.verificationCode === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
    e.verificationUrl = `${PUBLIC_URL}/verificacion/${e.acuse.folio}?codigo=${e.verificationCode}`;
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "enlace_verificacion")).toMatchObject({
      outcome: "failed",
      detail: `El código de verificación del archivo (${e.verificationCode}) no es el que da el sello digital (${good.verificationCode}).`,
    });
    expect(outcome(result, "sello").outcome).toBe("ok");
    expect(result.verdict).toBe("alterado");
    expect(result.summary).toContain("no pasó la comprobación de código y enlace de verificación.");
  });

  it("fails a link to another folio, or with another code than the file's", async () => {
    const otherCode = good.verificationCode === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
    const links = [
      `${PUBLIC_URL}/verificacion/${otherAcuse().folio}?codigo=${encodeURIComponent(good.verificationCode)}`,
      `${PUBLIC_URL}/verificacion/${good.acuse.folio}?codigo=${otherCode}`,
      `${PUBLIC_URL}/verificacion/${good.acuse.folio}`,
    ];
    for (const link of links) {
      const e = copy(good);
      e.verificationUrl = link;
      for (const t of [trust, {}, { ...trust, publicUrl: PUBLIC_URL }]) {
        const result = await verifyAcuseExport(e, t);
        expect(outcome(result, "enlace_verificacion"), link).toMatchObject({
          outcome: "failed",
          detail: `El enlace de verificación (${link}) no corresponde al folio y al código de este acuse.`,
        });
        expect(result.verdict).toBe("alterado");
      }
    }
  });

  it("warns of a link to another origin than the Institute's current address", async () => {
    const e = copy(good);
    e.verificationUrl = `https://buzon-imss.example.com${suffix()}`;
    const result = await verifyAcuseExport(e, { ...trust, publicUrl: PUBLIC_URL });
    // The link is not sealed and the address may have changed since: a warning, not a forgery.
    expect(outcome(result, "enlace_verificacion")).toMatchObject({
      outcome: "warning",
      detail:
        "El enlace del QR lleva a https://buzon-imss.example.com, que no es la dirección actual del Instituto (https://buzon.imss.gob.mx): no lo uses; verifica siempre en la dirección del Instituto.",
    });
    expect(result.verdict).toBe("autentico");
    // Without the address it cannot tell, and names the origin for the person to compare.
    const unknown = await verifyAcuseExport(e, trust);
    expect(outcome(unknown, "enlace_verificacion")).toMatchObject({
      outcome: "ok",
      detail: expect.stringContaining("apunta a https://buzon-imss.example.com: comprueba"),
    });
    // A trusted address with a path is compared whole: another path is another address.
    const elsewhere = await verifyAcuseExport(good, {
      ...trust,
      publicUrl: `${PUBLIC_URL}/buzon`,
    });
    expect(outcome(elsewhere, "enlace_verificacion").outcome).toBe("warning");
  });

  it("expects the code URL-encoded in the link when it carries + or /", async () => {
    const e = await exportWithCodeLike(/[+/]/, { timestamp: false, log: false });
    expect(e.verificationUrl).toBe(verificationUrlOf(PUBLIC_URL, e.acuse.folio, e.seal));
    const certified = { sealCertificates: [f.seal.certificate], publicUrl: PUBLIC_URL };
    const result = await verifyAcuseExport(e, certified);
    expect(outcome(result, "enlace_verificacion").outcome).toBe("ok");
    expect(result.verdict).toBe("autentico");
    const raw = copy(e);
    raw.verificationUrl = `${PUBLIC_URL}/verificacion/${e.acuse.folio}?codigo=${e.verificationCode}`;
    expect(raw.verificationUrl).not.toBe(e.verificationUrl);
    expect(outcome(await verifyAcuseExport(raw, certified), "enlace_verificacion").outcome).toBe(
      "failed",
    );
  });
});

describe("tlogProofPath", () => {
  it("asks with the URL-encoded code and then the size", () => {
    expect(tlogProofPath("BI-20250211-194005123", 5, "ab+/Cd12")).toBe(
      "/api/v1/acuses/BI-20250211-194005123/tlog-proof?codigo=ab%2B%2FCd12&tamano=5",
    );
    expect(tlogProofPath("BI-20250211-194005123", 12345, "AbCdEf12")).toBe(
      "/api/v1/acuses/BI-20250211-194005123/tlog-proof?codigo=AbCdEf12&tamano=12345",
    );
  });
});

describe("verifyAcuseExport: cadena", () => {
  it("fails when a sealed field changed, naming it, while the seal over the cadena still holds", async () => {
    const e = copy(good);
    e.acuse.parties.rfc = "XAXX010101000";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "cadena")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("el campo «RFC del titular»"),
    });
    expect(outcome(result, "sello").outcome).toBe("ok");
    expect(result.verdict).toBe("alterado");
    expect(result.summary).toBe(
      "El acuse BI-20250211-194005123 fue alterado o no lo emitió el Instituto: no pasó la comprobación de cadena original.",
    );
  });

  it("names a document's field and a changed number of documents", async () => {
    const e = copy(good);
    e.acuse.documents[0]!.sha256 = "0".repeat(64);
    expect(outcome(await verifyAcuseExport(e, trust), "cadena").detail).toContain(
      "el SHA-256 del documento 1",
    );
    const more = copy(good);
    more.acuse.documents.push({ name: "anexo.pdf", sha256: "1".repeat(64), bytes: 3 });
    expect(outcome(await verifyAcuseExport(more, trust), "cadena").detail).toContain(
      "el número de documentos",
    );
  });

  it("fails with the model's own message when the data are not a valid acuse", async () => {
    const e = copy(good);
    e.acuse.rule = "regla_inventada";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "cadena").outcome).toBe("failed");
    expect(outcome(result, "cadena").detail).toMatch(/^Los datos del acuse no son válidos: /);
    expect(result.verdict).toBe("alterado");
  });

  it("fails, without throwing, on instants that are not dates", async () => {
    const e = copy(good);
    e.acuse.eventAt = "ayer por la tarde";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "cadena")).toMatchObject({
      outcome: "failed",
      detail: "Los instantes del acuse no son fechas ISO 8601 válidas.",
    });
    expect(result.acuse?.eventAtText).toBe("ayer por la tarde");
  });

  it("fails the seal when data and cadena were changed together", async () => {
    const e = copy(good);
    const acuse = sampleAcuse();
    acuse.parties.actorRfc = "XAXX010101000";
    e.acuse.parties.actorRfc = "XAXX010101000";
    e.cadenaOriginal = cadenaOriginal(acuse);
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "cadena").outcome).toBe("ok");
    expect(outcome(result, "sello")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("la cadena o el sello se modificaron"),
    });
    // The log's leaf is the cadena: the proof no longer covers it either.
    expect(outcome(result, "registro").outcome).toBe("failed");
    expect(result.summary).toContain(
      "no pasó las comprobaciones de sello digital del Instituto, registro público de evidencias",
    );
  });
});

describe("verifyAcuseExport: cadena version 2 (habilitación, ADR 0011) and version 1 kept", () => {
  const LABEL_2020 = "Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)";
  let v2: AcuseExport;
  beforeAll(async () => {
    v2 = await f.exportOf({ ...sampleAcuse(), habilitacion: "lineamientos_2020" });
  });

  it("verifies a version-2 acuse and says how the mailbox was enabled, in words", async () => {
    expect(v2.cadenaOriginal).toMatch(/^\|\|2\|BI-20250211-194005123\|/);
    expect(v2.cadenaOriginal).toContain(`|${v2.acuse.rulesVersion}|lineamientos_2020|`);
    expect(v2.acuse.habilitacion).toBe("lineamientos_2020");
    const result = await verifyAcuseExport(parseAcuseExport(structuredClone(v2)), trust);
    expect(result.verdict).toBe("autentico");
    expect(outcome(result, "cadena").detail).toBe(
      "La cadena original es exactamente la que producen los datos del acuse (versión 2).",
    );
    expect(result.acuse).toMatchObject({
      habilitacion: "lineamientos_2020",
      habilitacionLabel: LABEL_2020,
    });
  });

  it("names the habilitación when it was changed, and the version when it was dropped", async () => {
    const changed = copy(v2);
    changed.acuse.habilitacion = "activacion";
    const result = await verifyAcuseExport(changed, trust);
    expect(result.verdict).toBe("alterado");
    expect(outcome(result, "cadena").detail).toContain("el campo «habilitación del buzón»");
    const dropped = copy(v2);
    delete dropped.acuse.habilitacion;
    expect(outcome(await verifyAcuseExport(dropped, trust), "cadena").detail).toContain(
      "el campo «versión»",
    );
    // Nor can a version-1 acuse be made to state one.
    const added = copy(good);
    added.acuse.habilitacion = "lineamientos_2020";
    expect(outcome(await verifyAcuseExport(added, trust), "cadena").outcome).toBe("failed");
  });

  it("refuses an export naming an unknown habilitación as malformed", () => {
    const bad = copy(v2) as unknown as { acuse: { habilitacion: string } };
    bad.acuse.habilitacion = "padron";
    expect(() => parseAcuseExport(bad)).toThrow(/habilitación del buzón desconocida/);
  });

  it("still verifies a version-1 export written before version 2 existed, unchanged", async () => {
    // Exported by the code of the commit before ADR 0011 (a means registration, no documents):
    // its certificate is the one that sealed it, trusted here as the Institute's published one.
    const old = JSON.parse(
      await readFile(join(import.meta.dirname, "fixtures/acuse-v1-registro.json"), "utf8"),
    ) as unknown;
    const exported = parseAcuseExport(old);
    expect(exported.cadenaOriginal.startsWith("||1|BI-20250203-100717151|")).toBe(true);
    expect(exported.cadenaOriginal.endsWith("|lineamientos-2024-08-06.2||")).toBe(true);
    // Read and written back, its data are the same JSON: no habilitación key appears.
    expect(exportedAcuseData(acuseFromExport(exported.acuse), cadenaInstant)).toEqual(
      (old as AcuseExport).acuse,
    );
    const certificate = new X509Certificate(Buffer.from(exported.sealCertificate, "base64"));
    const result = await verifyAcuseExport(exported, {
      sealCertificates: [certificate],
      logVerifierKey: exported.log!.verifierKey,
    });
    expect(result.checks.filter((c) => c.outcome === "failed")).toEqual([]);
    expect(result.verdict).toBe("autentico");
    expect(outcome(result, "cadena").detail).toContain("(versión 1)");
    expect(result.acuse).not.toHaveProperty("habilitacion");
    expect(result.acuse).not.toHaveProperty("habilitacionLabel");
  });
});

describe("verifyAcuseExport: sello and certificado_sello", () => {
  it("fails an altered seal (and its time-stamp, which covers the seal bytes)", async () => {
    const e = copy(good);
    e.seal = flipBase64(e.seal, 10);
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "sello").outcome).toBe("failed");
    expect(outcome(result, "sello_tiempo")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("no corresponde a este documento"),
    });
    expect(result.verdict).toBe("alterado");
  });

  it("fails both when the certificate is unreadable, and reports no seal data", async () => {
    const e = copy(good);
    e.sealCertificate = "AAAA";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "sello").outcome).toBe("failed");
    expect(outcome(result, "sello").detail).toContain("no es un certificado X.509 legible");
    expect(outcome(result, "certificado_sello").outcome).toBe("failed");
    expect(result.seal).toBeUndefined();
  });

  it("fails a seal made with another certificate than the trusted one", async () => {
    const forged = await resealed(good, f.otherSeal);
    const result = await verifyAcuseExport(forged, {
      ...trust,
      tsaCertificates: [],
      logVerifierKey: f.verifierKey,
    });
    expect(outcome(result, "sello").outcome).toBe("ok");
    expect(outcome(result, "certificado_sello")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining(
        `huella SHA-256 ${f.otherSeal.certificate.fingerprint256}) no es ninguno de los certificados de confianza del Instituto`,
      ),
    });
    expect(result.verdict).toBe("alterado");
    // Without a trusted certificate nothing fails: the forgery is coherent, so it is not
    // confirmed (never «auténtico») and the warning asks to compare the fingerprint.
    // (The time-stamp covers the genuine seal's bytes: a forger leaves it out.)
    const coherent = await resealed(
      await f.exportOf(sampleAcuse(), { timestamp: false }),
      f.otherSeal,
    );
    const untrusted = await verifyAcuseExport(coherent, {});
    expect(untrusted.checks.filter((c) => c.outcome === "failed")).toEqual([]);
    expect(outcome(untrusted, "certificado_sello").outcome).toBe("warning");
    expect(untrusted.verdict).toBe("no_confirmado");
  });

  it("trusts any of several certificates (a renewed seal)", async () => {
    const result = await verifyAcuseExport(good, {
      sealCertificates: [f.otherSeal.certificate, f.seal.certificate],
    });
    expect(outcome(result, "certificado_sello").outcome).toBe("ok");
  });

  it("fails when the certificate number in the file is not the certificate's", async () => {
    const e = copy(good);
    e.sealCertificateNumber = "00001000000500000001";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "certificado_sello")).toMatchObject({
      outcome: "failed",
      detail: `El archivo dice que el número de certificado es 00001000000500000001, pero el certificado que trae es el ${f.seal.certificateNumber}.`,
    });
  });

  it("warns when the certificate was not valid at the folio's instant", async () => {
    const late = await createDevelopmentSeal(
      join(f.dir, "sello-2026"),
      new Date("2026-06-01T00:00:00Z"),
    );
    const e = await resealed(
      await f.exportOf(sampleAcuse(), { timestamp: false, log: false }),
      late,
    );
    const result = await verifyAcuseExport(e, { sealCertificates: [late.certificate] });
    expect(outcome(result, "certificado_sello")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("no estaba vigente cuando se emitió el acuse"),
    });
    expect(result.verdict).toBe("autentico");
  });
});

describe("verifyAcuseExport: sello_tiempo", () => {
  it("is a real RFC 3161 token over the seal bytes that OpenSSL accepts", async () => {
    const token = join(f.dir, "token.tsr");
    const data = join(f.dir, "sello-digital.bin");
    const ca = join(f.dir, "tsa-ca.pem");
    await writeFile(token, Buffer.from(good.timestamp!.token, "base64"));
    await writeFile(data, Buffer.from(good.seal, "base64"));
    await writeFile(ca, f.tsa.caPem);
    const { stdout } = await run("openssl", [
      "ts",
      "-verify",
      "-in",
      token,
      "-token_in",
      "-data",
      data,
      "-CAfile",
      ca,
    ]);
    expect(stdout).toContain("Verification: OK");
    const result = await verifyAcuseExport(good, trust);
    expect(outcome(result, "sello_tiempo")).toMatchObject({
      outcome: "ok",
      detail: expect.stringContaining("según una autoridad de sellado de tiempo de confianza"),
    });
  });

  it("accepts the TSA's own certificate as the trusted one", async () => {
    const result = await verifyAcuseExport(good, { tsaCertificates: [f.tsaCertificate] });
    expect(outcome(result, "sello_tiempo").outcome).toBe("ok");
  });

  it("fails a token of another acuse", async () => {
    const other = await f.exportOf(otherAcuse(), { log: false });
    const e = copy(good);
    e.timestamp = other.timestamp!;
    for (const t of [trust, {}]) {
      const result = await verifyAcuseExport(e, t);
      expect(outcome(result, "sello_tiempo")).toMatchObject({
        outcome: "failed",
        detail:
          "El sello de tiempo no es válido: el sello de tiempo no corresponde a este documento.",
      });
      expect(result.verdict).toBe("alterado");
      expect(result.timestamp).toBeUndefined();
    }
  });

  it("fails a TSA that is not the trusted one", async () => {
    const result = await verifyAcuseExport(good, { tsaCertificates: [f.seal.certificate] });
    expect(outcome(result, "sello_tiempo")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("no es de confianza"),
    });
  });

  it("fails a token whose signature was altered, or that is not a token", async () => {
    const e = copy(good);
    const token = Buffer.from(e.timestamp!.token, "base64");
    token[token.length - 10]! ^= 0x01; // inside the signature value, at the end
    e.timestamp!.token = token.toString("base64");
    for (const t of [trust, {}]) {
      expect(outcome(await verifyAcuseExport(e, t), "sello_tiempo").outcome).toBe("failed");
    }
    const garbage = copy(good);
    garbage.timestamp!.token = "AAAA";
    for (const t of [trust, {}]) {
      expect(outcome(await verifyAcuseExport(garbage, t), "sello_tiempo")).toMatchObject({
        outcome: "failed",
        detail: expect.stringContaining("estructura de RFC 3161"),
      });
    }
  });

  it("fails when the genTime written in the file is not the token's", async () => {
    const e = copy(good);
    e.timestamp!.genTime = "2025-02-12T01:40:06.000Z";
    const result = await verifyAcuseExport(e, trust);
    expect(outcome(result, "sello_tiempo")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("no es la que firmó la autoridad"),
    });
  });

  it("warns when the token carries no certificate and none is trusted", async () => {
    const pkijs = withPkijs();
    const info = pkijs.ContentInfo.fromBER(
      new Uint8Array(Buffer.from(good.timestamp!.token, "base64")),
    );
    const signed = new pkijs.SignedData({ schema: info.content });
    delete signed.certificates;
    const stripped = new pkijs.ContentInfo({
      contentType: info.contentType,
      content: signed.toSchema(true),
    });
    const e = copy(good);
    e.timestamp!.token = Buffer.from(stripped.toSchema().toBER()).toString("base64");
    const alone = await verifyAcuseExport(e, {
      sealCertificates: [f.seal.certificate],
      logVerifierKey: f.verifierKey,
    });
    expect(outcome(alone, "sello_tiempo")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("no incluye el certificado de la autoridad"),
    });
    expect(alone.verdict).toBe("autentico");
    expect(alone.summary).toBe(
      "El acuse BI-20250211-194005123 es auténtico e íntegro, con una advertencia: sello de tiempo (RFC 3161).",
    );
  });
});

describe("verifyAcuseExport: registro", () => {
  it("fails an altered proof", async () => {
    const e = copy(good);
    const lines = e.log!.proof.split("\n");
    lines[2] = flipBase64(lines[2]!, 5); // the first hash of the inclusion proof
    e.log!.proof = lines.join("\n");
    for (const t of [trust, {}]) {
      const result = await verifyAcuseExport(e, t);
      expect(outcome(result, "registro")).toMatchObject({
        outcome: "failed",
        detail: expect.stringMatching(
          /^La prueba de registro no demuestra que este acuse esté en el registro: /,
        ),
      });
      expect(result.log).toBeUndefined();
    }
  });

  it("fails a proof signed with another key than the trusted one", async () => {
    const result = await verifyAcuseExport(good, { logVerifierKey: f.otherVerifierKey });
    expect(outcome(result, "registro")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("no lleva ninguna firma de la clave"),
    });
  });

  it("fails the proof of another acuse", async () => {
    const other = await f.exportOf(otherAcuse(), { timestamp: false });
    const e = copy(good);
    e.log = other.log!;
    expect(outcome(await verifyAcuseExport(e, trust), "registro").outcome).toBe("failed");
  });

  it("fails when the key in the file is not a key and none is trusted", async () => {
    const e = copy(good);
    e.log!.verifierKey = "no es una clave";
    const result = await verifyAcuseExport(e, {});
    expect(outcome(result, "registro")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("La clave del registro que trae el archivo no es válida"),
    });
    // With a trusted key the file's own key does not matter.
    expect(outcome(await verifyAcuseExport(e, trust), "registro").outcome).toBe("ok");
  });
});

describe("verifyAcuseExport: punto_de_control", () => {
  it("fails a checkpoint of the same size with another root: the log forked", async () => {
    const forked = f.checkpointOf(["a", "x", good.cadenaOriginal]);
    const result = await verifyAcuseExport(good, { ...trust, checkpoint: forked });
    expect(outcome(result, "registro").outcome).toBe("ok");
    expect(outcome(result, "punto_de_control")).toMatchObject({
      outcome: "failed",
      detail: expect.stringContaining("el registro se bifurcó"),
    });
    expect(result.verdict).toBe("alterado");
  });

  it("asks for a proof against a kept checkpoint of another size", async () => {
    const later = f.checkpointOf(["a", "b", good.cadenaOriginal, "d", "e"]);
    const result = await verifyAcuseExport(good, { ...trust, checkpoint: later });
    expect(outcome(result, "punto_de_control")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining(
        `GET /api/v1/acuses/BI-20250211-194005123/tlog-proof?codigo=${encodeURIComponent(good.verificationCode)}&tamano=5 `,
      ),
    });
    expect(result.verdict).toBe("autentico");
  });

  it("asks for the proof with the URL-encoded code when it carries + or /", async () => {
    const e = await exportWithCodeLike(/[+/]/, { timestamp: false });
    const later = f.checkpointOf(["a", "b", e.cadenaOriginal, "d"]);
    const result = await verifyAcuseExport(e, { ...trust, checkpoint: later });
    const expected = `GET /api/v1/acuses/${e.acuse.folio}/tlog-proof?codigo=${encodeURIComponent(e.verificationCode)}&tamano=4 `;
    expect(expected).toMatch(/%2B|%2F/);
    expect(outcome(result, "punto_de_control").detail).toContain(expected);
  });

  it("says when the kept checkpoint is older than the acuse", async () => {
    const older = f.checkpointOf(["a", "b"]);
    const result = await verifyAcuseExport(good, { ...trust, checkpoint: older });
    expect(outcome(result, "punto_de_control")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining(
        "es anterior a este acuse (el número 3 del registro) y no lo puede contener",
      ),
    });
    expect(outcome(result, "punto_de_control").detail).toContain(
      `GET /api/v1/acuses/BI-20250211-194005123/tlog-proof?codigo=${encodeURIComponent(good.verificationCode)}&tamano=N.`,
    );
    const one = await verifyAcuseExport(good, { ...trust, checkpoint: f.checkpointOf(["a"]) });
    expect(outcome(one, "punto_de_control").detail).toContain("Tu punto de control (1 hoja)");
  });

  it("warns when the kept checkpoint does not open with the log's key", async () => {
    const result = await verifyAcuseExport(good, {
      ...trust,
      checkpoint: "esto no es un punto de control\n",
    });
    expect(outcome(result, "punto_de_control")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("Tu punto de control no se pudo abrir"),
    });
  });

  it("warns when there is no valid proof to compare with", async () => {
    const kept = f.checkpointOf(["a", "b", good.cadenaOriginal]);
    const bare = await f.exportOf(sampleAcuse(), { timestamp: false, log: false });
    expect(
      outcome(await verifyAcuseExport(bare, { checkpoint: kept }), "punto_de_control").detail,
    ).toContain("no trae prueba de registro");
    const bad = copy(good);
    bad.log!.proof = bad.log!.proof.replace("index 2", "index 1");
    const result = await verifyAcuseExport(bad, { ...trust, checkpoint: kept });
    expect(outcome(result, "punto_de_control")).toMatchObject({
      outcome: "warning",
      detail: expect.stringContaining("la prueba de registro del archivo no es válida"),
    });
    expect(result.verdict).toBe("alterado"); // because of the proof
  });
});

describe("verifyAcuseExport never throws on bad content", () => {
  it("answers alterado for any single-character change in the sealed or proved fields (a changed QR origin: a warning)", async () => {
    const targets: ((e: AcuseExport, i: number) => void)[] = [
      (e, i) => {
        const at = 3 + (i % (e.cadenaOriginal.length - 5));
        const ch = e.cadenaOriginal[at] === "X" ? "Y" : "X";
        e.cadenaOriginal = `${e.cadenaOriginal.slice(0, at)}${ch}${e.cadenaOriginal.slice(at + 1)}`;
      },
      (e, i) => {
        e.seal = flipBase64(e.seal, i % (e.seal.length - 4));
      },
      (e, i) => {
        const t = e.timestamp!;
        t.token = flipBase64(t.token, i % (t.token.length - 4));
      },
      (e, i) => {
        const l = e.log!;
        const at = i % l.proof.length;
        const ch = l.proof[at] === "A" ? "B" : "A";
        l.proof = `${l.proof.slice(0, at)}${ch}${l.proof.slice(at + 1)}`;
      },
      (e, i) => {
        const at = i % e.verificationCode.length;
        const ch = e.verificationCode[at] === "A" ? "B" : "A";
        e.verificationCode = `${e.verificationCode.slice(0, at)}${ch}${e.verificationCode.slice(at + 1)}`;
      },
      (e, i) => {
        const url = e.verificationUrl;
        const at = i % url.length;
        const ch = url[at] === "x" ? "y" : "x";
        e.verificationUrl = `${url.slice(0, at)}${ch}${url.slice(at + 1)}`;
      },
    ];
    for (const [n, mutate] of targets.entries()) {
      for (let i = 0; i < 12; i++) {
        const e = copy(good);
        mutate(e, i * 37 + n);
        if (JSON.stringify(e) === JSON.stringify(good)) continue;
        const result = await verifyAcuseExport(e, { ...trust, publicUrl: PUBLIC_URL });
        const link = outcome(result, "enlace_verificacion").outcome;
        if (n === 5 && link === "warning") {
          // Only the origin changed: unsealed, and addresses change; never a silent «ok».
          expect(e.verificationUrl.startsWith(PUBLIC_URL), `mutación ${n}/${i}`).toBe(false);
          continue;
        }
        expect(result.verdict, `mutación ${n}/${i}`).toBe("alterado");
      }
    }
  });
});
