import { describe, expect, it } from "vitest";
import { AVISO_TEMPLATE, notificacionTemplates } from "./templates.ts";

const data = {
  destinatario: "el RFC EKU9003173C9",
  acto: "Resolución de Determinación de la Prima en el Seguro de Riesgos de Trabajo",
  oficio: '09 53 01 <script>alert("x")</script>',
  unidad: "Subdelegación Centro",
  disponible: "lunes 14 de diciembre de 2026 a las 09:30 (Zona Centro)",
  abrirHasta: "jueves 17 de diciembre de 2026",
  abrirHastaCorto: "17/12/2026",
  notificadaEl: "viernes 18 de diciembre de 2026 a las 09:30 (Zona Centro)",
  enlace: "https://buzon.example/buzon/notificaciones/1",
};

describe("the aviso de notificación (Lineamientos 7.3–7.5)", () => {
  const template = notificacionTemplates[AVISO_TEMPLATE]!;

  it("states the three business days, the last one and when it counts as notified", () => {
    expect(template.subject(data)).toBe("Aviso de notificación — Buzón IMSS");
    const text = template.text(data);
    expect(text).toContain("tres días hábiles");
    expect(text).toContain("en el Buzón IMSS del RFC EKU9003173C9 un documento");
    expect(template.html(data)).toContain("en el Buzón IMSS del RFC EKU9003173C9 un documento");
    expect(text).toContain("hasta el jueves 17 de diciembre de 2026");
    expect(text).toContain("se tendrá por realizada el viernes 18 de diciembre de 2026");
    expect(text).toContain("Este aviso no contiene el documento");
    expect(template.sms(data)).toContain("17/12/2026");
    expect(template.sms(data).length).toBeLessThan(320);
  });

  it("escapes what the act's data says in the HTML", () => {
    const html = template.html(data);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
