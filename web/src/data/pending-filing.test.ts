import { describe, expect, it } from "vitest";
import { ApiError, clientProblem } from "../api/client.ts";
import {
  answerLost,
  type FilingStorage,
  filingKey,
  forgetFiling,
  pendingFiling,
  rememberFiling,
} from "./pending-filing.ts";

function memory(): FilingStorage & { size(): number } {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    size: () => map.size,
  };
}

const content = {
  rfc: "EKU9003173C9",
  type: { id: "aclaracion", name: "Aclaración u orientación" },
  subject: "Pago de cuotas",
  text: "Texto",
  notificacionId: null,
  attachments: [{ name: "a.pdf", sha256: "0".repeat(64), size: 10 }],
};
const filing = { challengeId: "c1", certificate: "MIIB", signature: "c2ln" };

describe("a filing whose answer was lost, kept to send again", () => {
  it("keys the very same content alike, and any change apart", () => {
    expect(filingKey(content)).toBe(filingKey({ ...content }));
    expect(filingKey(content)).not.toBe(filingKey({ ...content, subject: "Pago de cuotas." }));
    expect(filingKey(content)).not.toBe(
      filingKey({ ...content, attachments: [{ ...content.attachments[0]!, size: 11 }] }),
    );
    expect(filingKey(content)).toMatch(/^buzon\.promocion-sin-respuesta:[0-9a-f]{64}$/);
  });

  it("remembers, recalls and forgets it; anything else stored there is ignored", () => {
    const storage = memory();
    const key = filingKey(content);
    expect(pendingFiling(key, storage)).toBeUndefined();
    rememberFiling(key, filing, storage);
    expect(pendingFiling(key, storage)).toEqual(filing);
    expect(pendingFiling(filingKey({ ...content, text: "otro" }), storage)).toBeUndefined();
    forgetFiling(key, storage);
    expect(storage.size()).toBe(0);
    storage.setItem(key, "{no es json");
    expect(pendingFiling(key, storage)).toBeUndefined();
    storage.setItem(key, JSON.stringify({ challengeId: "c1" }));
    expect(pendingFiling(key, storage)).toBeUndefined();
  });

  it("keeps it only when the server may have filed it: no answer or a server error, not a refusal", () => {
    expect(answerLost(new ApiError(clientProblem("Sin conexión.")))).toBe(true);
    expect(answerLost(new ApiError(clientProblem("Puerta de enlace.", 502)))).toBe(true);
    expect(
      answerLost(new ApiError({ ...clientProblem("Error interno.", 500), code: "internal" })),
    ).toBe(true);
    expect(answerLost(new ApiError(clientProblem("Anexo rechazado.", 422)))).toBe(false);
    expect(answerLost(new ApiError(clientProblem("Desafío vencido.", 409)))).toBe(false);
    expect(answerLost(new DOMException("Cancelado", "AbortError"))).toBe(false);
  });
});
