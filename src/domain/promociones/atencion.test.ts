import { describe, expect, it } from "vitest";
import {
  type AtencionEvent,
  checkAnswerAddressee,
  checkNotOwn,
  cleanStaffText,
  decideTake,
  isAnsweredBy,
  PromocionAtencionError,
  projectAtencion,
} from "./atencion.ts";

const ev = (type: AtencionEvent["type"], data: Record<string, unknown> = {}): AtencionEvent => ({
  type,
  actorRfc: null,
  data,
});

describe("atención de una promoción", () => {
  it("projects the assignee (the last take), the answer and the conclusion", () => {
    expect(projectAtencion([ev("recibida")])).toEqual({
      state: "recibida",
      assignee: null,
      answer: null,
      conclusion: null,
      cancelledAnswers: 0,
    });
    const answered = projectAtencion([
      ev("recibida"),
      ev("en_atencion", { assignee: "AAAA800101AB1" }),
      ev("nota_interna", { text: "revisar" }),
      ev("en_atencion", { assignee: "BBBB800101AB2" }),
      ev("respondida", { kind: "notificacion", notificacionId: "n-1" }),
    ]);
    expect(answered).toMatchObject({
      state: "respondida",
      assignee: "BBBB800101AB2",
      answer: { kind: "notificacion", notificacionId: "n-1" },
    });
    expect(
      projectAtencion([ev("recibida"), ev("concluida", { reason: "Complementada" })]),
    ).toMatchObject({ state: "concluida", conclusion: "Complementada" });
  });

  it("a cancelled answer is cleared, the history and the assignee kept; answered again, the new act", () => {
    const answered = [
      ev("recibida"),
      ev("en_atencion", { assignee: "A" }),
      ev("respondida", { kind: "notificacion", notificacionId: "n-1" }),
    ];
    expect(isAnsweredBy(projectAtencion(answered), "n-1")).toBe(true);
    expect(isAnsweredBy(projectAtencion(answered), "n-2")).toBe(false);
    const reopened = projectAtencion([
      ...answered,
      ev("respuesta_cancelada", { notificacionId: "n-1", motivo: "Oficio mal numerado" }),
    ]);
    expect(reopened).toEqual({
      state: "en_atencion",
      assignee: "A",
      answer: null,
      conclusion: null,
      cancelledAnswers: 1,
    });
    expect(isAnsweredBy(reopened, "n-1")).toBe(false);
    // The same assignee again is nothing to do; another takes it only naming who had it.
    expect(decideTake(reopened, { assignee: "A" })).toBe("noop");
    expect(() => decideTake(reopened, { assignee: "B" })).toThrow(/ya la atiende A/);
    const again = projectAtencion([
      ...answered,
      ev("respuesta_cancelada", { notificacionId: "n-1" }),
      ev("respondida", { kind: "notificacion", notificacionId: "n-2" }),
    ]);
    expect(again).toMatchObject({
      state: "respondida",
      answer: { kind: "notificacion", notificacionId: "n-2" },
      cancelledAnswers: 1,
    });
    expect(isAnsweredBy(again, "n-2")).toBe(true);
    // A comunicado is no act to cancel.
    const byComunicado = projectAtencion([
      ev("recibida"),
      ev("en_atencion", { assignee: "A" }),
      ev("respondida", { kind: "comunicado", comunicadoId: "n-1" }),
    ]);
    expect(isAnsweredBy(byComunicado, "n-1")).toBe(false);
  });

  it("takes what nobody holds, does nothing on a second click, refuses to steal silently", () => {
    const free = projectAtencion([ev("recibida")]);
    expect(decideTake(free, { assignee: "A" })).toBe("take");
    const held = projectAtencion([ev("recibida"), ev("en_atencion", { assignee: "A" })]);
    expect(decideTake(held, { assignee: "A" })).toBe("noop");
    expect(() => decideTake(held, { assignee: "B" })).toThrow(/ya la atiende A/);
    expect(() => decideTake(held, { assignee: "B", from: null })).toThrow(/ya la atiende A/);
    // A reassignment names who held it.
    expect(decideTake(held, { assignee: "B", from: "A" })).toBe("take");
  });

  it("refuses taking a final promoción", () => {
    for (const final of ["respondida", "concluida"] as const) {
      const events = [ev("recibida"), ev("en_atencion", { assignee: "A" }), ev(final)];
      expect(() => decideTake(projectAtencion(events), { assignee: "B", from: "A" })).toThrow(
        /no admite «en_atencion»/,
      );
    }
  });

  it("cleans notes and reasons: NFC, trimmed, not empty, bounded", () => {
    expect(cleanStaffText("  Revisar\r\nanexo  ", "/text", "La nota", 20)).toBe("Revisar\nanexo");
    expect(() => cleanStaffText(" \n ", "/text", "La nota", 10)).toThrow(
      /no puede quedar en blanco/,
    );
    expect(() => cleanStaffText("x".repeat(11), "/text", "La nota", 10)).toThrow(/hasta 10/);
  });

  it("an answer goes to the promoción's own RFC", () => {
    expect(() => checkAnswerAddressee("AAA010101AAA", "aaa010101aaa")).not.toThrow();
    expect(() => checkAnswerAddressee("AAA010101AAA", "BBB010101BBB")).toThrow(
      /la presentó AAA010101AAA/,
    );
  });

  it("nobody attends a promoción they filed or signed as representative", () => {
    const promocion = { rfc: "EKU9003173C9", signerRfc: "VADA800927DJ3" };
    expect(() => checkNotOwn(promocion, "OPRA7702104D1")).not.toThrow();
    for (const own of ["EKU9003173C9", "VADA800927DJ3"]) {
      expect(() => checkNotOwn(promocion, own)).toThrow(PromocionAtencionError);
    }
  });
});
