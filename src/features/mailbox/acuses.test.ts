import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAcuseExport } from "../../domain/evidence/acuse-export.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueTestEfirma } from "../../testing/efirma.ts";
import { createTestSystem } from "../../testing/server.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import { openSecret } from "../delivery/secret-box.ts";
import { encodeCursor } from "../evidence/own-acuses.ts";
import { createPadronStore } from "../padron/store.ts";
import { verifyAcuseExport } from "../verification/offline.ts";

type System = Awaited<ReturnType<typeof createTestSystem>>;

/**
 * ADR 0012 and «Mis acuses», through HTTP on both engines: the means acuses seal what was
 * registered or validated (the statement is kept, shown, verified online and offline), the
 * validation answers its acuse, the means list gives each registration's code, and a person
 * finds all her acuses again — never anyone else's.
 */
const START = Temporal.Now.instant().round({ smallestUnit: "second", roundingMode: "floor" });
const MORAL = "EKU9003173C9";
const FISICA = "XOJI740919U48";
const RP_1 = "Y5412345108";
const RP_2 = "Y5412345207";

const sha256 = (text: string) =>
  createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

describe.each(ENGINES)("the means' statement and «Mis acuses» on %s", (engine) => {
  let system: System;
  let now = START;
  let moral: SignedIn;
  let fisica: SignedIn;
  let moralEfirma: IssuedEfirma;

  beforeAll(async () => {
    system = await createTestSystem({ engine, trustDevCa: true, clock: () => now });
    const padron = createPadronStore(system.database.db);
    const importId = randomUUID();
    await padron.beginImport({
      id: importId,
      fileName: "padron-pruebas.csv",
      sha256: "0".repeat(64),
      actor: "pruebas",
      startedAt: new Date(START.epochMilliseconds),
    });
    await padron.write(
      [
        {
          rfc: MORAL,
          name: "ESCUELA KEMPER URGATE SA DE CV",
          persona: "moral",
          registrosPatronales: [RP_1, RP_2],
          emailOnFile: null,
          habilitacion2020: null,
        },
      ],
      importId,
      new Date(START.epochMilliseconds),
    );
    moralEfirma = await issueTestEfirma();
    moral = await signInWith(system.app, moralEfirma);
    fisica = await signInWith(
      system.app,
      await issueTestEfirma({
        rfc: FISICA,
        name: "JUAN PEREZ",
        curp: "XOJI740919HDFLNN09",
        representativeRfc: undefined,
        representativeCurp: undefined,
      }),
    );
  });
  afterAll(async () => {
    await system?.app.close();
  });

  function call(who: SignedIn, method: "GET" | "POST", url: string, payload?: object) {
    return system.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      cookies: { buzon_sesion: who.cookie },
      headers: method === "GET" ? {} : { "x-csrf-token": who.csrf },
    });
  }
  async function lastCode(to: string): Promise<string> {
    const row = await system.database.db
      .selectFrom("outbox")
      .select(["idempotency_key", "secret"])
      .where("recipient", "=", to)
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    return openSecret(row.secret!, row.idempotency_key)?.codigo as string;
  }
  async function exportOf(acuse: { folio: string; codigo: string }) {
    await system.evidence.publishCheckpoint();
    const response = await system.app.inject({
      url: `/api/v1/acuses/${acuse.folio}/json?codigo=${encodeURIComponent(acuse.codigo)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  }
  const trust = () => ({
    sealCertificates: system.evidence.sealCertificates(),
    logVerifierKey: system.evidence.verifierKey(),
    publicUrl: system.evidence.publicUrl(),
  });

  let registration: { folio: string; codigo: string };
  let validation: { folio: string; codigo: string };

  it("a registration's acuse seals the statement of what was registered, kept verbatim", async () => {
    now = now.add({ milliseconds: 7 });
    const registered = await call(moral, "POST", "/api/v1/buzon/medios", {
      kind: "celular",
      value: "55 1234 5678",
      registrosPatronales: [RP_2, RP_1],
    });
    expect(registered.statusCode, registered.body).toBe(201);
    registration = registered.json().acuse;
    const text = [
      "Buzón IMSS — Registro de medios de contacto",
      `RFC: ${MORAL}`,
      "Medio: celular",
      "Valor: +525512345678",
      `Alcance: Registro patronal ${RP_2}`,
      `Alcance: Registro patronal ${RP_1}`,
      "",
    ].join("\n");
    // The means carry the registration's code beside its folio.
    for (const means of registered.json().means) {
      expect(means).toMatchObject({
        acuseFolio: registration.folio,
        acuseCodigo: registration.codigo,
      });
    }

    const exported = await exportOf(registration);
    expect(exported.acuse.documents).toEqual([
      { name: "medios-de-contacto.txt", sha256: sha256(text), bytes: Buffer.byteLength(text) },
    ]);
    expect(exported.statement).toEqual({ name: "medios-de-contacto.txt", text });
    // Cadena version 1 (the mailbox is not enabled): the format is unchanged.
    expect(exported.cadenaOriginal).toMatch(/^\|\|1\|/);
    expect(exported.cadenaOriginal).toContain(`|medios-de-contacto.txt|${sha256(text)}|`);

    // Append-only: the kept text cannot be changed.
    await expect(
      sql`update acuse_statements set text = 'otro' where folio = ${registration.folio}`.execute(
        system.database.db,
      ),
    ).rejects.toThrow();

    // The public verification shows it to whoever holds folio and code, checked.
    const byFolio = await system.app.inject({
      url: `/api/v1/verificacion/acuses/${registration.folio}?codigo=${encodeURIComponent(registration.codigo)}`,
    });
    expect(byFolio.json().verdict).toBe("autentico");
    expect(byFolio.json().acuse.statement).toEqual({ name: "medios-de-contacto.txt", text });
    expect(byFolio.json().checks).toContainEqual(
      expect.objectContaining({ id: "texto_sellado", outcome: "ok" }),
    );

    // Whoever only guesses the text (an RFC and a phone) learns nothing from its hash: a
    // statement verifies by folio and code, never by the public search by SHA-256.
    const byHash = await system.app.inject({
      url: `/api/v1/verificacion/documentos/${sha256(text)}`,
    });
    expect(byHash.statusCode).toBe(200);
    expect(byHash.json()).toMatchObject({ verdict: "no_encontrado", total: 0 });

    // The PDF lists what was registered and carries the text as an attachment.
    const pdf = await system.app.inject({
      url: `/api/v1/acuses/${registration.folio}/pdf?codigo=${encodeURIComponent(registration.codigo)}`,
    });
    expect(pdf.statusCode).toBe(200);
    const shown = execFileSync("/usr/bin/pdftotext", ["-enc", "UTF-8", "-", "-"], {
      input: pdf.rawPayload,
      encoding: "utf8",
    }).replace(/\s+/g, " ");
    expect(shown).toContain("Lo que se registró");
    expect(shown).toContain("Valor +525512345678");
    expect(shown).toContain(`Alcance Registro patronal ${RP_2}`);
    const uploaded = await system.app.inject({
      method: "POST",
      url: "/api/v1/verificacion/pdf",
      headers: { "content-type": "application/pdf" },
      payload: pdf.rawPayload,
    });
    expect(uploaded.json()).toMatchObject({ verdict: "autentico", acuse: { statement: { text } } });
  });

  it("offline, a statement altered in the export fails «texto_sellado»; one absent is not checked", async () => {
    const exported = parseAcuseExport(await exportOf(registration));
    expect((await verifyAcuseExport(exported, trust())).verdict).toBe("autentico");

    const altered = {
      ...exported,
      statement: {
        ...exported.statement!,
        text: exported.statement!.text.replace("+52551", "+52991"),
      },
    };
    const verdict = await verifyAcuseExport(altered, trust());
    expect(verdict.verdict).toBe("alterado");
    expect(verdict.checks.find((c) => c.id === "texto_sellado")).toMatchObject({
      outcome: "failed",
    });
    const renamed = { ...exported, statement: { ...exported.statement!, name: "otro.txt" } };
    expect((await verifyAcuseExport(renamed, trust())).verdict).toBe("alterado");

    const { statement: _dropped, ...without } = exported;
    const bare = await verifyAcuseExport(without, trust());
    expect(bare.verdict).toBe("autentico");
    expect(bare.checks.map((c) => c.id)).not.toContain("texto_sellado");
    // An unknown field inside the statement is refused as malformed.
    expect(() =>
      parseAcuseExport({ ...exported, statement: { ...exported.statement, extra: 1 } }),
    ).toThrow(/statement\/extra/);
  });

  it("the validation answers its acuse, which seals what was validated", async () => {
    const code = await lastCode("+525512345678");
    const listed = await call(moral, "GET", "/api/v1/buzon");
    const id = listed.json().means.find((m: { scope: string }) => m.scope === RP_1).id;
    now = now.add({ seconds: 5 });
    const validated = await call(moral, "POST", `/api/v1/buzon/medios/${id}/validacion`, {
      codigo: code,
    });
    expect(validated.statusCode, validated.body).toBe(200);
    validation = validated.json().acuse;
    expect(validation.folio).not.toBe(registration.folio);
    expect(validation.codigo).toMatch(/^[A-Za-z0-9+/]{8}$/);
    const exported = await exportOf(validation);
    expect(exported.acuse.kind).toBe("validacion_medios_contacto");
    expect(exported.statement.text).toBe(
      [
        "Buzón IMSS — Validación de medios de contacto",
        `RFC: ${MORAL}`,
        "Medio: celular",
        "Valor: +525512345678",
        // The registration's means in the order they are kept (by scope).
        `Alcance: Registro patronal ${RP_1}`,
        `Alcance: Registro patronal ${RP_2}`,
        "",
      ].join("\n"),
    );
    expect(exported.acuse.documents[0].sha256).toBe(sha256(exported.statement.text));
    // The means list still gives the registration's acuse, with its code.
    const after = await call(moral, "GET", "/api/v1/buzon");
    for (const means of after.json().means) {
      expect(means).toMatchObject({
        status: "validado",
        acuseFolio: registration.folio,
        acuseCodigo: registration.codigo,
      });
    }
  });

  it("«Mis acuses» lists the buzón's own acuses newest first, in keyset pages", async () => {
    now = now.add({ seconds: 5 });
    const email = await call(moral, "POST", "/api/v1/buzon/medios", {
      kind: "correo",
      value: "kemper@ejemplo.mx",
    });
    expect(email.statusCode, email.body).toBe(201);
    // Someone else's acuse: never in this list.
    const other = await call(fisica, "POST", "/api/v1/buzon/medios", {
      kind: "correo",
      value: "juan@ejemplo.mx",
    });
    expect(other.statusCode, other.body).toBe(201);

    const all = await call(moral, "GET", "/api/v1/buzon/acuses");
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().siguiente).toBeNull();
    expect(all.json().acuses.map((a: { folio: string }) => a.folio)).toEqual([
      email.json().acuse.folio,
      validation.folio,
      registration.folio,
    ]);
    expect(all.json().acuses[1]).toEqual({
      folio: validation.folio,
      codigo: validation.codigo,
      kind: "validacion_medios_contacto",
      kindLabel: "Validación de medios de contacto",
      eventAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?-0[56]:00$/),
      countsAt: all.json().acuses[1].eventAt,
    });
    expect(JSON.stringify(all.json())).not.toContain(other.json().acuse.folio);

    const first = await call(moral, "GET", "/api/v1/buzon/acuses?limite=2");
    expect(first.json().acuses).toHaveLength(2);
    expect(first.json().siguiente).toEqual(expect.any(String));
    const second = await call(
      moral,
      "GET",
      `/api/v1/buzon/acuses?limite=2&despues=${encodeURIComponent(first.json().siguiente)}`,
    );
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toEqual({ acuses: [all.json().acuses[2]], siguiente: null });

    const theirs = await call(fisica, "GET", "/api/v1/buzon/acuses");
    expect(theirs.json().acuses.map((a: { folio: string }) => a.folio)).toEqual([
      other.json().acuse.folio,
    ]);
    // A cursor pointing past someone else's folio still reads only the session's buzón.
    const crafted = await call(
      fisica,
      "GET",
      `/api/v1/buzon/acuses?despues=${encodeCursor("BI-20991231-235959999")}`,
    );
    expect(crafted.json().acuses.map((a: { folio: string }) => a.folio)).toEqual([
      other.json().acuse.folio,
    ]);
  });

  it("refuses a tampered cursor, a bad limit and no session", async () => {
    const siguiente = encodeCursor(registration.folio);
    for (const despues of [
      "nada",
      `${siguiente.slice(0, -2)}x`,
      Buffer.from(`v2:${registration.folio}`).toString("base64url"),
      Buffer.from("v1:no-es-folio").toString("base64url"),
      "a".repeat(201),
    ]) {
      const response = await call(
        moral,
        "GET",
        `/api/v1/buzon/acuses?despues=${encodeURIComponent(despues)}`,
      );
      expect(response.statusCode, despues).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toMatch(/^(invalid_cursor|validation)$/);
      expect(response.json().detail).toMatch(/despues|cursor|caracteres/i);
    }
    const tampered = await call(moral, "GET", "/api/v1/buzon/acuses?despues=nada");
    expect(tampered.json()).toMatchObject({ code: "invalid_cursor", status: 400 });
    const limit = await call(moral, "GET", "/api/v1/buzon/acuses?limite=0");
    expect(limit.json().code).toBe("validation");
    const anonymous = await system.app.inject({ url: "/api/v1/buzon/acuses" });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe("unauthorized");
  });
});
