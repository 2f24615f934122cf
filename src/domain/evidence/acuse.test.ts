import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  type Acuse,
  AcuseError,
  type AcuseErrorCode,
  cadenaOriginal,
  cadenaVersionOf,
  escapeCadenaValue,
  sealInput,
  validateAcuse,
} from "./acuse.ts";

const at = (iso: string) => Temporal.Instant.from(iso);
const SHA_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const SHA_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Sent on Saturday 8 Feb 2025 at 11:15:30.250; received at 00:00 of Monday 10 Feb (6.3). */
function promocion(): Acuse {
  return {
    folio: "BI-20250208-111530412",
    kind: "promocion",
    parties: { rfc: "XOJI740919U48", actorRfc: "XOJI740919U48", capacity: "titular" },
    eventAt: at("2025-02-08T11:15:30.250-06:00"),
    countsAt: at("2025-02-10T00:00:00-06:00"),
    rule: "recepcion_promocion",
    calendarVersion: "cff-2025.1",
    // A golden string: the version is the one this acuse was issued under, not today's.
    rulesVersion: "lineamientos-2024-08-06",
    documents: [
      { name: "Escrito de promoción.pdf", sha256: SHA_ABC.toUpperCase(), bytes: 1024 },
      { name: "Anexo 1.pdf", sha256: SHA_EMPTY, bytes: 0 },
    ],
  };
}

/** Opened by the legal representative on Tuesday 11 Feb at 19:40:05, after hours (7.2). */
function apertura(): Acuse {
  return {
    folio: "BI-20250211-194005123",
    kind: "apertura_notificacion",
    parties: {
      rfc: "EKU9003173C9",
      actorRfc: "XOJI740919U48",
      capacity: "representante_legal",
    },
    eventAt: at("2025-02-12T01:40:05Z"),
    countsAt: at("2025-02-12T15:30:00Z"),
    rule: "horario_notificacion",
    calendarVersion: "cff-2025.1",
    rulesVersion: "lineamientos-2024-08-06",
    documents: [{ name: "Resolución 2025-17.pdf", sha256: SHA_ABC, bytes: 48213 }],
  };
}

function registro(): Acuse {
  return {
    folio: "BI-20250203-100717151",
    kind: "registro_medios_contacto",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: at("2025-02-03T10:07:17.100-06:00"),
    countsAt: at("2025-02-03T10:07:17.100-06:00"),
    rule: "momento_del_evento",
    calendarVersion: "cff-2025.1",
    rulesVersion: "lineamientos-2024-08-06",
    documents: [],
  };
}

describe("cadenaOriginal: golden strings", () => {
  it("promoción with two documents", () => {
    expect(cadenaOriginal(promocion())).toBe(
      "||1|BI-20250208-111530412|promocion|XOJI740919U48|XOJI740919U48|titular" +
        "|2025-02-08T11:15:30.250-06:00|2025-02-10T00:00:00.000-06:00|recepcion_promocion" +
        "|cff-2025.1|lineamientos-2024-08-06" +
        "|Escrito de promoción.pdf|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|1024" +
        "|Anexo 1.pdf|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|0||",
    );
  });

  it("apertura by a legal representative", () => {
    expect(cadenaOriginal(apertura())).toBe(
      "||1|BI-20250211-194005123|apertura_notificacion|EKU9003173C9|XOJI740919U48|representante_legal" +
        "|2025-02-11T19:40:05.000-06:00|2025-02-12T09:30:00.000-06:00|horario_notificacion" +
        "|cff-2025.1|lineamientos-2024-08-06" +
        "|Resolución 2025-17.pdf|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|48213||",
    );
  });

  it("a kind without documents ends right after the rules version", () => {
    expect(cadenaOriginal(registro())).toBe(
      "||1|BI-20250203-100717151|registro_medios_contacto|EKU9003173C9|XOJI740919U48|representante_legal" +
        "|2025-02-03T10:07:17.100-06:00|2025-02-03T10:07:17.100-06:00|momento_del_evento" +
        "|cff-2025.1|lineamientos-2024-08-06||",
    );
  });

  it("sealInput is the UTF-8 bytes of the cadena", () => {
    const bytes = sealInput(apertura());
    expect(Buffer.from(bytes).toString("utf8")).toBe(cadenaOriginal(apertura()));
    // "ó" is two bytes in UTF-8.
    expect(bytes.length).toBe(cadenaOriginal(apertura()).length + 1);
  });
});

// Version 2 (ADR 0011) is version 1 with the mailbox's habilitación after the rules version.
// The version-1 strings above stay as they are: an acuse that states nothing is still version 1.
describe("cadenaOriginal version 2: golden strings", () => {
  it("a means registration of a mailbox enabled under the 2020 rules, no documents", () => {
    const acuse: Acuse = { ...registro(), habilitacion: "lineamientos_2020" };
    expect(cadenaVersionOf(acuse)).toBe("2");
    expect(cadenaOriginal(acuse)).toBe(
      "||2|BI-20250203-100717151|registro_medios_contacto|EKU9003173C9|XOJI740919U48|representante_legal" +
        "|2025-02-03T10:07:17.100-06:00|2025-02-03T10:07:17.100-06:00|momento_del_evento" +
        "|cff-2025.1|lineamientos-2024-08-06|lineamientos_2020||",
    );
  });

  it("a promoción of a mailbox enabled by activation: the habilitación comes before the documents", () => {
    const acuse: Acuse = { ...promocion(), habilitacion: "activacion" };
    expect(cadenaOriginal(acuse)).toBe(
      "||2|BI-20250208-111530412|promocion|XOJI740919U48|XOJI740919U48|titular" +
        "|2025-02-08T11:15:30.250-06:00|2025-02-10T00:00:00.000-06:00|recepcion_promocion" +
        "|cff-2025.1|lineamientos-2024-08-06|activacion" +
        "|Escrito de promoción.pdf|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|1024" +
        "|Anexo 1.pdf|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|0||",
    );
  });

  it("an acuse that states no habilitación is version 1, byte for byte", () => {
    const acuse: Acuse = { ...registro(), habilitacion: undefined };
    expect(cadenaVersionOf(acuse)).toBe("1");
    expect(cadenaOriginal(acuse)).toBe(cadenaOriginal(registro()));
    expect(cadenaOriginal(acuse).startsWith("||1|")).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["unknown", "padron"],
    ["differently written", "Lineamientos_2020"],
  ])("refuses a habilitación that is %s", (_label, value) => {
    const acuse = { ...registro(), habilitacion: value } as unknown as Acuse;
    expect(captured(() => validateAcuse(acuse))).toMatchObject({
      code: "invalid_habilitacion",
      pointer: "habilitacion",
    });
    expect(() => cadenaOriginal(acuse)).toThrow(AcuseError);
  });
});

describe("cadenaOriginal: escaping and normalization", () => {
  it("escapes |, %, newlines and other controls so fields never split", () => {
    expect(escapeCadenaValue("a|b")).toBe("a%7Cb");
    expect(escapeCadenaValue("100%")).toBe("100%25");
    expect(escapeCadenaValue("%7C")).toBe("%257C");
    expect(escapeCadenaValue("línea 1\r\nlínea 2\tfin")).toBe("línea 1%0D%0Alínea 2%09fin");
    expect(escapeCadenaValue("a\u2028b\u0085c")).toBe("a%E2%80%A8b%C2%85c");
    expect(escapeCadenaValue("  espacios  ")).toBe("  espacios  ");
  });

  it("applies the escaping to document names in the cadena", () => {
    const acuse = promocion();
    acuse.documents = [{ name: "Anexo|2\nfinal.pdf", sha256: SHA_EMPTY, bytes: 0 }];
    const cadena = cadenaOriginal(acuse);
    expect(cadena).toContain(`|Anexo%7C2%0Afinal.pdf|${SHA_EMPTY}|0||`);
    expect(cadena).not.toContain("\n");
    // 11 fields + 3 per document, plus the empty fields the "||" delimiters leave at the ends.
    expect(cadena.split("|")).toHaveLength(2 + 11 + 3 + 2);
  });

  it("gives the same cadena for a composed or a decomposed é", () => {
    const composed = promocion();
    composed.documents = [{ name: "Notificaci\u00f3n caf\u00e9.pdf", sha256: SHA_ABC, bytes: 1 }];
    const decomposed = promocion();
    decomposed.documents = [
      { name: "Notificacio\u0301n cafe\u0301.pdf", sha256: SHA_ABC, bytes: 1 },
    ];
    expect(cadenaOriginal(decomposed)).toBe(cadenaOriginal(composed));
    expect(Buffer.from(sealInput(decomposed)).equals(Buffer.from(sealInput(composed)))).toBe(true);
  });
});

describe("validateAcuse: refusals", () => {
  const cases: [string, (a: Acuse) => Acuse, AcuseErrorCode, string][] = [
    [
      "a malformed folio",
      (a) => ({ ...a, folio: "BI-20250230-111530412" }),
      "invalid_folio",
      "folio",
    ],
    ["an unknown kind", (a) => ({ ...a, kind: "queja" as Acuse["kind"] }), "invalid_kind", "kind"],
    [
      "an RFC with the wrong shape",
      (a) => ({ ...a, parties: { ...a.parties, rfc: "XOJI74091U48" } }),
      "invalid_rfc",
      "parties.rfc",
    ],
    [
      "an RFC with an impossible date",
      (a) => ({ ...a, parties: { ...a.parties, actorRfc: "XOJI741319U48" } }),
      "invalid_rfc",
      "parties.actorRfc",
    ],
    [
      "an RFC not in canonical form",
      (a) => ({ ...a, parties: { ...a.parties, rfc: "xoji740919u48" } }),
      "invalid_rfc",
      "parties.rfc",
    ],
    [
      "an unknown capacity",
      (a) => ({ ...a, parties: { ...a.parties, capacity: "apoderado" as "titular" } }),
      "invalid_capacity",
      "parties.capacity",
    ],
    [
      "a sub-millisecond instant",
      (a) => ({ ...a, eventAt: a.eventAt.add({ microseconds: 1 }) }),
      "invalid_instant",
      "eventAt",
    ],
    [
      "countsAt before eventAt",
      (a) => ({ ...a, countsAt: a.eventAt.subtract({ milliseconds: 1 }) }),
      "counts_before_event",
      "countsAt",
    ],
    [
      "an unknown rule",
      (a) => ({ ...a, rule: "plazo_inventado" as Acuse["rule"] }),
      "invalid_rule",
      "rule",
    ],
    [
      "a later countsAt said to be at the event",
      (a) => ({ ...a, rule: "momento_del_evento" }),
      "invalid_rule",
      "rule",
    ],
    [
      "a folio issued before the event",
      (a) => ({ ...a, folio: "BI-20250208-111530249" }),
      "issued_before_event",
      "folio",
    ],
    [
      "an empty calendar version",
      (a) => ({ ...a, calendarVersion: "" }),
      "invalid_version",
      "calendarVersion",
    ],
    [
      "a rules version with a pipe",
      (a) => ({ ...a, rulesVersion: "v1|v2" }),
      "invalid_version",
      "rulesVersion",
    ],
    [
      "no documents for a promoción",
      (a) => ({ ...a, documents: [] }),
      "documents_required",
      "documents",
    ],
    [
      "a SHA-256 of 63 digits",
      (a) => ({ ...a, documents: [{ name: "x.pdf", sha256: SHA_ABC.slice(1), bytes: 3 }] }),
      "invalid_document",
      "documents[0].sha256",
    ],
    [
      "a SHA-256 that is not hexadecimal",
      (a) => ({ ...a, documents: [{ name: "x.pdf", sha256: `${SHA_ABC.slice(1)}g`, bytes: 3 }] }),
      "invalid_document",
      "documents[0].sha256",
    ],
    [
      "a document without a name",
      (a) => ({ ...a, documents: [{ name: "  ", sha256: SHA_ABC, bytes: 3 }] }),
      "invalid_document",
      "documents[0].name",
    ],
    [
      "a negative size",
      (a) => ({ ...a, documents: [{ name: "x.pdf", sha256: SHA_ABC, bytes: -1 }] }),
      "invalid_document",
      "documents[0].bytes",
    ],
  ];

  it.each(cases)("refuses %s", (_label, change, code, pointer) => {
    const acuse = change(promocion());
    const error = captured(() => validateAcuse(acuse));
    expect(error).toBeInstanceOf(AcuseError);
    expect((error as AcuseError).code).toBe(code);
    expect((error as AcuseError).pointer).toBe(pointer);
    expect((error as AcuseError).message).toMatch(/[a-záéíóúñ]/);
    expect(() => cadenaOriginal(acuse)).toThrow(AcuseError);
  });

  it("refuses a later countsAt for a kind that counts at the event", () => {
    const acuse = registro();
    acuse.countsAt = acuse.countsAt.add({ hours: 1 });
    acuse.rule = "validacion_medios";
    expect(captured(() => validateAcuse(acuse))).toMatchObject({
      code: "counts_later_not_allowed",
    });
  });

  it("refuses documents for a kind without documents (a 32-D consent)", () => {
    const acuse: Acuse = { ...registro(), kind: "autorizacion_32d" };
    acuse.documents = [{ name: "x.pdf", sha256: SHA_ABC, bytes: 3 }];
    expect(captured(() => validateAcuse(acuse))).toMatchObject({ code: "documents_not_allowed" });
  });

  it("a means acuse may seal its statement, or nothing (those issued before ADR 0012)", () => {
    const statement = { name: "medios-de-contacto.txt", sha256: SHA_ABC, bytes: 120 };
    for (const kind of ["registro_medios_contacto", "validacion_medios_contacto"] as const) {
      expect(() => validateAcuse({ ...registro(), kind })).not.toThrow();
      expect(() => validateAcuse({ ...registro(), kind, documents: [statement] })).not.toThrow();
      expect(
        captured(() =>
          validateAcuse({ ...registro(), kind, documents: [{ ...statement, bytes: -1 }] }),
        ),
      ).toMatchObject({ code: "invalid_document", pointer: "documents[0].bytes" });
    }
    // The document goes after the rules version, as any other's: the format does not change.
    expect(cadenaOriginal({ ...registro(), documents: [statement] })).toBe(
      "||1|BI-20250203-100717151|registro_medios_contacto|EKU9003173C9|XOJI740919U48|representante_legal" +
        "|2025-02-03T10:07:17.100-06:00|2025-02-03T10:07:17.100-06:00|momento_del_evento" +
        `|cff-2025.1|lineamientos-2024-08-06|medios-de-contacto.txt|${SHA_ABC}|120||`,
    );
  });

  it("refuses an apertura with no document", () => {
    expect(captured(() => validateAcuse({ ...apertura(), documents: [] }))).toMatchObject({
      code: "documents_required",
    });
  });

  it("the estrados' acuses name the document; only the end of the publication counts later (CFF 139)", () => {
    // Published Fri 11 Apr 2025 12:00; the tenth day ends Wed 30 Apr 00:00 and the eleventh
    // is that day: equal. With a weekend between, the end (Sat 00:00) precedes Mon 00:00.
    const publicacion: Acuse = {
      ...apertura(),
      folio: "BI-20250411-120000500",
      kind: "publicacion_estrados",
      parties: { rfc: "EKU9003173C9", actorRfc: "EKU9003173C9", capacity: "sistema" },
      eventAt: at("2025-04-11T12:00:00-06:00"),
      countsAt: at("2025-04-11T12:00:00-06:00"),
      rule: "estrados",
    };
    expect(() => validateAcuse(publicacion)).not.toThrow();
    expect(captured(() => validateAcuse({ ...publicacion, documents: [] }))).toMatchObject({
      code: "documents_required",
    });
    expect(
      captured(() =>
        validateAcuse({ ...publicacion, countsAt: publicacion.countsAt.add({ hours: 1 }) }),
      ),
    ).toMatchObject({ code: "counts_later_not_allowed" });
    const retiro: Acuse = {
      ...publicacion,
      folio: "BI-20250512-000001000",
      kind: "retiro_estrados",
      eventAt: at("2025-05-10T00:00:00-06:00"),
      countsAt: at("2025-05-12T00:00:00-06:00"),
    };
    expect(() => validateAcuse(retiro)).not.toThrow();
    expect(cadenaOriginal(retiro)).toContain("|retiro_estrados|");
  });

  it("the aviso's acuse names the document and counts at the aviso's instant, sealed later (Lineamientos 7.3)", () => {
    const aviso: Acuse = {
      ...apertura(),
      folio: "BI-20250411-120500000",
      kind: "aviso_notificacion",
      parties: { rfc: "EKU9003173C9", actorRfc: "IMS421231I45", capacity: "sistema" },
      eventAt: at("2025-04-11T12:00:00-06:00"),
      countsAt: at("2025-04-11T12:00:00-06:00"),
      rule: "horario_notificacion",
    };
    expect(() => validateAcuse(aviso)).not.toThrow();
    expect(cadenaOriginal(aviso)).toContain("|aviso_notificacion|");
    expect(captured(() => validateAcuse({ ...aviso, documents: [] }))).toMatchObject({
      code: "documents_required",
    });
    expect(
      captured(() => validateAcuse({ ...aviso, countsAt: aviso.countsAt.add({ hours: 1 }) })),
    ).toMatchObject({ code: "counts_later_not_allowed" });
  });

  it("accepts the examples, and an apertura that counts when it happened", () => {
    expect(() => validateAcuse(promocion())).not.toThrow();
    expect(() => validateAcuse(apertura())).not.toThrow();
    expect(() => validateAcuse(registro())).not.toThrow();
    const inHours = apertura();
    inHours.eventAt = at("2025-02-11T12:00:00-06:00");
    inHours.countsAt = inHours.eventAt;
    inHours.rule = "apertura";
    expect(() => validateAcuse(inHours)).not.toThrow();
  });
});

function captured(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}
