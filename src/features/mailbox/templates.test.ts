import { describe, expect, it } from "vitest";
import { MEANS_EMAIL_TEMPLATE, MEANS_SMS_TEMPLATE, mailboxTemplates } from "./templates.ts";

const d = {
  enlace: "https://buzon.example/buzon/medios/3f1c0c9e-0000-4000-8000-000000000001/validar",
  alcance: "tu RFC EKU9003173C9",
  folio: "BI-20261201-100717151",
  vence: "jueves 3 de diciembre de 2026 a las 10:07:17 (Zona Centro)",
  venceCorto: "03/12/2026 10:07",
  codigo: "042917",
};

describe("validation messages", () => {
  it("carry the code, the link with the code in its fragment, the folio and the deadline", () => {
    const email = mailboxTemplates[MEANS_EMAIL_TEMPLATE]!;
    expect(email.subject(d)).toBe("Buzón IMSS: valida tu correo electrónico");
    for (const body of [email.text(d), email.html(d)]) {
      expect(body).toContain("042917");
      expect(body).toContain(`${d.enlace}#codigo=042917`);
      expect(body).toContain(d.folio);
      expect(body).toContain(d.vence);
    }
    const sms = mailboxTemplates[MEANS_SMS_TEMPLATE]!.sms(d);
    expect(sms).toContain("042917");
    expect(sms).toContain("03/12/2026 10:07");
    // One SMS segment in GSM-7 is 160 characters; accents may cost more, keep it short.
    expect(sms.length).toBeLessThanOrEqual(120);
  });

  it("escapes what it puts in HTML", () => {
    const html = mailboxTemplates[MEANS_EMAIL_TEMPLATE]!.html({
      ...d,
      alcance: '<script>alert("x")</script>',
    });
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  });
});
