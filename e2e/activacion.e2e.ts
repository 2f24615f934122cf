import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { type DevSinks, startDevSinks } from "../src/features/delivery/dev-sinks.ts";
import { createPadronImporter } from "../src/features/padron/import.ts";
import { systemClock } from "../src/platform/clock.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { createDemoClock } from "../src/platform/demo-clock.ts";
import { issueFisicaEfirma, issueTestEfirma } from "../src/testing/efirma.ts";
import { startTestServer } from "../src/testing/server.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  axeViolations,
  launchChromium,
  newTestContext,
  SCREENSHOTS,
  screenshot as saveScreenshot,
  textOf,
  watchPages,
  watchPosts,
} from "./browser.ts";

/**
 * Issue 9 §8: a new person signs in with a dev-CA e.firma, registers an e-mail and a phone,
 * validates both from «Bandeja de desarrollo», signs the Terms and lands in an enabled mailbox;
 * each acuse downloads and verifies on the public page. Every page passes axe and is looked at
 * on a desktop and on a 390 px phone.
 */

const m = es.mailbox;
const c = es.contactMeans;
const v = es.validateMeans;
const a = es.activation;

const RFC = "GOMA8001017Q5";
const NAME = "ANA GOMEZ MARTINEZ";
const EMAIL = "ana.gomez@empresa.mx";
const PHONE = "55 1234 5678";
const PHONE_E164 = "+525512345678";
const REGISTROS = ["Y5410052104", "Y5410052112"];
const RFC_2020 = `PELR7503085A${rfcCheckDigit("PELR7503085A")}`;
const NAME_2020 = "ROSA PEREZ LUNA";
const EMAIL_2020 = "rosa.perez@ejemplo.mx";
const RFC_2020_SIN = `RUSJ6807124B${rfcCheckDigit("RUSJ6807124B")}`;
const NAME_2020_SIN = "JORGE RUIZ SOTO";

// The one refused request the flow makes on purpose: a wrong code (400), which the browser logs.
const pages = watchPages({ ignoreConsoleError: /status of 400 \(Bad Request\)/ });

let server: Awaited<ReturnType<typeof startTestServer>>;
let sinks: DevSinks;
let browser: Browser;
let person: IssuedEfirma;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  // As `serve --demo`: the demo clock, and the pipeline delivering to loopback SMTP and SMS.
  sinks = await startDevSinks();
  server = await startTestServer({
    trustDevCa: true,
    adminToken: true,
    demo: {
      clock: createDemoClock(join(await mkdtemp(join(tmpdir(), "reloj-")), "reloj.json")),
      sinks,
    },
    env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
  });
  person = await issueTestEfirma({
    rfc: RFC,
    name: NAME,
    curp: "GOMA800101MDFMRN05",
    representativeRfc: undefined,
    representativeCurp: undefined,
  });
  // The Institute knows her: the padrón (without an e-mail on file, not enabled in 2020); and
  // two particulars enabled under the 2020 rules (5.4), one with an e-mail on file.
  const importPadron = createPadronImporter({
    db: server.system.database.db,
    clock: systemClock,
  });
  const csv = [
    "rfc,nombre,persona,registros_patronales,correo,habilitado_2020",
    `${RFC},${NAME},fisica,${REGISTROS.join(";")},,`,
    `${RFC_2020},${NAME_2020},fisica,,${EMAIL_2020},2021-03-15`,
    `${RFC_2020_SIN},${NAME_2020_SIN},fisica,,,2020-11-02`,
    "",
  ].join("\n");
  const report = await importPadron(Readable.from([csv]), { fileName: "padron.csv", actor: "e2e" });
  expect(report.refused).toBe(0);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sinks?.close();
});

/** The worker's jobs now (delivery among them), as the demo clock runs them after moving. */
async function deliverNow(): Promise<void> {
  await server.system.scheduler.runAll();
}

async function shot(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, `activacion-${name}`);
}

/** The page passes axe and has no horizontal scroll; then a screenshot to look at. */
async function check(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page), name).toEqual([]);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name}: desborde horizontal`).toBeLessThanOrEqual(0);
  await shot(page, name);
}

async function signIn(page: Page, who: IssuedEfirma = person, name = NAME): Promise<void> {
  const t = es.signIn;
  await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
  await page.getByLabel(t.rfc, { exact: true }).fill(who.rfc);
  await page.getByLabel(t.certificate, { exact: true }).setInputFiles(who.cerPath);
  await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(who.keyPath);
  await page.getByLabel(t.password, { exact: true }).fill(who.password);
  await page.getByRole("button", { name: t.submit, exact: true }).click();
  await page.waitForURL(/\/buzon$/);
  await page.getByRole("heading", { level: 1, name: m.title(name) }).waitFor();
}

/** Registers one means through «Guardar» and the confirmation; answers the acuse's link. */
async function register(page: Page, kind: "correo" | "celular", value: string, name: string) {
  await page.getByRole("radio", { name: c.kinds[kind], exact: true }).check();
  await page.getByLabel(c.valueLabel[kind], { exact: true }).fill(value);
  await page.getByRole("button", { name: c.save, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: c.confirmTitle });
  await dialog.waitFor();
  expect(await textOf(dialog)).toContain(c.confirmText);
  // The errors of an earlier «Guardar» are gone: this one passed.
  expect(await page.locator(".error-summary, .field-error").count()).toBe(0);
  await check(page, `${name}-confirmacion`);
  await dialog.getByRole("button", { name: c.accept, exact: true }).click();
  const message = page.locator(".registered");
  await message.waitFor();
  const text = await textOf(message);
  expect(text).toMatch(
    /Se registró la información correctamente con el número de folio: \S+, fecha: /,
  );
  expect(text).toContain(c.warning72);
  await check(page, `${name}-registrado`);
  const acuse = await message
    .getByRole("link", { name: new RegExp(`^${es.acuse.verify}`) })
    .getAttribute("href");
  expect(acuse).toMatch(/^\/verificacion\/[^?]+\?codigo=/);
  return acuse ?? "";
}

/** The newest message of the Bandeja de desarrollo for an address. */
async function newestMessage(inbox: Page, para: string) {
  await inbox.goto(`${server.url}/desarrollo/bandeja?para=${encodeURIComponent(para)}`);
  await inbox.getByRole("heading", { level: 1, name: es.devInbox.title }).waitFor();
  const message = inbox.locator(".dev-message").first();
  await message.waitFor();
  return message;
}

describe("Activación del Buzón IMSS en el navegador", () => {
  let page: Page;
  let acuses: string[] = [];

  it("una persona nueva ingresa y registra un correo y un celular, con su acuse", {
    timeout: 300_000,
  }, async () => {
    const context = await newTestContext(browser, 1280);
    page = await pages.open(context, `${server.url}/acceso`);
    await signIn(page);

    // Inicio del buzón: sin medios, el paso siguiente y el plazo.
    const home = await textOf(page.locator("main"));
    expect(home).toContain(m.status(m.statuses.sin_medios ?? ""));
    expect(home).toContain(m.next.register);
    expect(home).toContain(m.deadlineTitle);
    // The deadline reads as one sentence: 180 days to Sat 1 Feb 2025, moved to Tue 4 Feb.
    const deadline = await textOf(page.locator("#plazo + p"));
    expect(deadline).toContain(
      "para habilitar el Buzón IMSS: terminaban el sábado 1 de febrero de 2025. Como ese día fue sábado,",
    );
    expect(deadline).toContain("el plazo corrió hasta el martes 4 de febrero de 2025");
    expect(deadline).not.toMatch(/\.\.|hasta el Venció/);
    await check(page, "inicio-sin-medios");

    // «Mis medios de contacto»: every error at once, next to its field.
    await page.getByRole("link", { name: m.nextAction.register, exact: true }).click();
    await page.waitForURL(/\/buzon\/medios$/);
    await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
    await check(page, "medios");
    await page.getByRole("button", { name: c.save, exact: true }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(await textOf(summary)).toContain(c.errors.kindMissing);
    expect(await textOf(summary)).toContain(c.errors.valueMissingAny);
    await check(page, "medios-errores");
    await page.getByRole("radio", { name: c.kinds.correo, exact: true }).check();
    await page.getByLabel(c.valueLabel.correo, { exact: true }).fill("ana@");
    await page.getByRole("button", { name: c.save, exact: true }).click();
    await page.getByText(c.errors.emailInvalid).first().waitFor();

    // Medios de registros patronales: the padrón's, one or all.
    await page.getByRole("radio", { name: c.scopes.registros, exact: true }).check();
    await page.getByRole("checkbox", { name: c.allRegistros }).waitFor();
    expect(await textOf(page.locator("main"))).toContain(REGISTROS[1]);
    await shot(page, "medios-registros-patronales");
    await page.getByRole("radio", { name: c.scopes.rfc, exact: true }).check();

    acuses = [
      await register(page, "correo", EMAIL, "correo"),
      await register(page, "celular", PHONE, "celular"),
    ];
    const list = page.locator(".means-list");
    expect(await textOf(list)).toContain(EMAIL);
    expect(await textOf(list)).toContain("+52 55 1234 5678");
    expect(await list.getByText(c.statuses.pendiente, { exact: true }).count()).toBe(2);
    // Each means names its registration's acuse with its code (folio + code verify it).
    for (const path of acuses) {
      const folio = decodeURIComponent(/\/verificacion\/([^?]+)/.exec(path)?.[1] ?? "");
      const code = new URLSearchParams(path.split("?")[1]).get("codigo") ?? "";
      const card = list.locator(".means-card__acuse", { hasText: folio });
      expect(await textOf(card)).toContain(code);
      expect(await card.getByRole("link").getAttribute("href")).toBe(path);
    }

    expect(pages.jsErrors(page)).toEqual([]);
  });

  it("los valida desde la Bandeja de desarrollo, firma los Términos y queda habilitada; cada acuse se verifica", {
    timeout: 300_000,
  }, async () => {
    const context = page.context();
    // The e-mail's link, from the Bandeja de desarrollo: her session shows her own messages.
    await deliverNow();
    const inbox = await pages.open(context, `${server.url}/desarrollo/bandeja`);
    await inbox.getByRole("heading", { level: 1, name: es.devInbox.title }).waitFor();
    // «Buscar» with no recipient says so at the field, and the summary takes the focus.
    await inbox.getByRole("button", { name: es.devInbox.search, exact: true }).click();
    const missing = inbox.locator(".error-summary", { hasText: es.devInbox.recipientMissing });
    await missing.waitFor();
    expect(await inbox.evaluate(() => document.activeElement?.className)).toContain(
      "error-summary",
    );
    expect(
      await inbox
        .getByLabel(es.devInbox.recipient, { exact: true })
        .getAttribute("aria-describedby"),
    ).toContain("para-error");
    await check(inbox, "bandeja-sin-destinatario");
    const mail = await newestMessage(inbox, EMAIL);
    await check(inbox, "bandeja");
    const link = mail.getByRole("link", { name: /\/buzon\/medios\/.+\/validar#codigo=\d{6}/ });
    // The link names the configured public address; this test server listens on a port of its own.
    const href = new URL((await link.getAttribute("href")) ?? "");
    await inbox.goto(`${server.url}${href.pathname}${href.hash}`);
    await inbox.waitForURL(/\/buzon\/medios\/[^/]+\/validar/);
    await inbox.getByRole("heading", { level: 1, name: v.title }).waitFor();
    // The code came in the fragment: filled in, and gone from the address bar.
    await expect
      .poll(() => inbox.getByLabel(v.code, { exact: true }).inputValue())
      .toMatch(/^\d{6}$/);
    expect(new URL(inbox.url()).hash).toBe("");
    await check(inbox, "validar-correo");
    await inbox.getByRole("button", { name: v.submit, exact: true }).click();
    await inbox.getByText(v.validated(EMAIL)).waitFor();
    // The validation's own acuse, to download and verify (and in «Mis acuses»).
    const validatedBox = inbox.locator(".notice__text", { hasText: v.validatedAcuse });
    const validationAcuse =
      (await validatedBox
        .getByRole("link", { name: new RegExp(`^${es.acuse.verify}`) })
        .getAttribute("href")) ?? "";
    expect(validationAcuse).toMatch(/^\/verificacion\/[^?]+\?codigo=/);
    expect(
      await validatedBox
        .getByRole("link", { name: new RegExp(`^${es.acuse.pdf}`) })
        .getAttribute("href"),
    ).toMatch(/^\/api\/v1\/acuses\/[^/]+\/pdf\?codigo=/);
    acuses.push(validationAcuse);
    await check(inbox, "validar-correo-listo");

    // The SMS: its code typed by hand, after a wrong one.
    const sms = await newestMessage(inbox, PHONE_E164);
    const code = /\b(\d{6})\b/.exec(await textOf(sms))?.[1];
    expect(code).toBeTruthy();
    await page.goto(`${server.url}/buzon/medios`);
    await page
      .locator(".means-card", { hasText: "+52 55 1234 5678" })
      .getByRole("link", { name: /^Validar/ })
      .click();
    await page.getByRole("heading", { level: 1, name: v.title }).waitFor();
    // The SMS went out with the registration: the page says so in the past tense.
    const lead = await textOf(page.locator(".lead").first());
    expect(lead).toContain("que enviamos por mensaje de texto (SMS)");
    expect(lead).not.toContain("recibirás");
    const wrong = code === "000000" ? "111111" : "000000";
    await page.getByLabel(v.code, { exact: true }).fill(wrong);
    await page.getByRole("button", { name: v.submit, exact: true }).click();
    await page.locator(".field-error").waitFor();
    await check(page, "validar-celular-codigo-equivocado");
    // Pasted as the SMS app copies it, with spaces around and inside: taken whole, read as 6 digits.
    const field = page.getByLabel(v.code, { exact: true });
    await field.fill("");
    await field.focus();
    const pasted = `  ${code?.slice(0, 3)} ${code?.slice(3)}  `;
    await page.keyboard.insertText(pasted);
    expect(await field.inputValue()).toBe(pasted);
    await page.getByRole("button", { name: v.submit, exact: true }).click();
    await page.getByText(v.validated("+52 55 1234 5678")).waitFor();

    // Both validated: the next step is the Terms.
    await page.getByRole("link", { name: v.nextStep }).click();
    await page.waitForURL(/\/buzon$/);
    await page.getByText(m.next.sign).waitFor();
    await check(page, "inicio-medios-validados");

    // «Activación del Buzón IMSS»: read, accept, sign in the browser.
    await page.getByRole("link", { name: m.nextAction.sign, exact: true }).click();
    await page.waitForURL(/\/buzon\/activacion$/);
    await page.getByRole("heading", { level: 1, name: a.title }).waitFor();
    expect(await textOf(page.locator(".facts").first())).toMatch(/[0-9a-f]{64}/);
    await check(page, "activacion");
    await page.getByRole("button", { name: a.submit, exact: true }).click();
    await page.getByText(a.errors.notAccepted).first().waitFor();
    await page.getByLabel(a.accept).check();
    await page.getByLabel(es.signIn.certificate, { exact: true }).setInputFiles(person.cerPath);
    await page.getByLabel(es.signIn.privateKey, { exact: true }).setInputFiles(person.keyPath);
    await page.getByLabel(es.signIn.password, { exact: true }).fill(person.password);
    await page.getByRole("button", { name: a.submit, exact: true }).click();
    const signed = page.locator(".registered");
    await signed.waitFor();
    expect(await textOf(signed)).toContain("Tu Buzón IMSS quedó habilitado");
    await check(page, "activacion-firmada");
    acuses.push(
      (await signed
        .getByRole("link", { name: new RegExp(`^${es.acuse.verify}`) })
        .getAttribute("href")) ?? "",
    );

    await page.getByRole("link", { name: a.goHome }).click();
    await page.waitForURL(/\/buzon$/);
    await page.getByText(m.status(m.statuses.habilitado ?? "")).waitFor();
    await check(page, "inicio-habilitado");

    // «Mis acuses», from the mailbox's menu: every acuse of hers, newest first (the Terms'),
    // each with its PDF and its verification.
    await page
      .getByRole("region", { name: m.signedInLabel })
      .getByRole("link", { name: m.ownAcuses, exact: true })
      .click();
    await page.waitForURL(/\/buzon\/acuses$/);
    await page.getByRole("heading", { level: 1, name: es.ownAcuses.title }).waitFor();
    const rows = page.locator(".acuses-table tbody tr");
    // Two registrations, two validations and the Terms.
    await expect.poll(() => rows.count()).toBe(5);
    expect(await textOf(rows.first())).toContain("Firma de términos y condiciones");
    const listed = await textOf(page.locator(".acuses-table"));
    for (const path of acuses) {
      const folio = decodeURIComponent(/\/verificacion\/([^?]+)/.exec(path)?.[1] ?? "");
      expect(listed).toContain(folio);
    }
    expect(listed).toContain("Validación de medios de contacto");
    await check(page, "mis-acuses");
    const firstPdf = await rows
      .first()
      .getByRole("link", { name: new RegExp(`^${es.ownAcuses.pdf}`) })
      .getAttribute("href");
    const pdfResponse = await page.request.get(new URL(firstPdf ?? "", server.url).toString());
    expect(pdfResponse.status()).toBe(200);
    expect(pdfResponse.headers()["content-type"]).toContain("application/pdf");

    // Each acuse verifies on the public page and downloads.
    for (const [index, path] of acuses.entries()) {
      const verify = await pages.open(context, `${server.url}${path}`);
      await verify
        .getByRole("heading", { level: 2, name: es.verification.verdicts.autentico, exact: true })
        .waitFor();
      const pdf = await verify
        .getByRole("link", { name: es.verification.downloads.pdf, exact: true })
        .getAttribute("href");
      const response = await verify.request.get(new URL(pdf ?? "", server.url).toString());
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toContain("application/pdf");
      if (index === acuses.length - 1) await shot(verify, "acuse-terminos-verificado");
      // A means acuse shows what it sealed (ADR 0012), and that its text is the sealed one.
      if (path === acuses[2]) {
        await verify
          .getByRole("heading", {
            name: es.verification.statement.titles.validacion_medios_contacto,
          })
          .waitFor();
        expect(await textOf(verify.locator("main"))).toContain(EMAIL);
        expect(await textOf(verify.locator("main"))).toContain("Texto de lo registrado");
        await check(verify, "acuse-validacion-verificado");
      }
      await verify.close();
    }

    // The same pages on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [path, name] of [
      ["/buzon", "telefono-inicio"],
      ["/buzon/medios", "telefono-medios"],
      ["/buzon/activacion", "telefono-activacion"],
      ["/buzon/acuses", "telefono-mis-acuses"],
      [`/desarrollo/bandeja?para=${encodeURIComponent(EMAIL)}`, "telefono-bandeja"],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await check(page, name);
      // A demo links its own tools from every page's footer.
      const tools = page.getByRole("navigation", { name: es.footer.demoTools });
      await tools.getByRole("link", { name: es.devInbox.title }).waitFor();
      await tools.getByRole("link", { name: es.demoClock.title }).waitFor();
    }

    // «Reloj de demostración»: the administrator's token from the printed link moves it a day
    // ahead, and every page says so.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/desarrollo/reloj#token=${server.system.adminToken}`);
    await page.getByRole("heading", { level: 1, name: es.demoClock.title }).waitFor();
    await page.getByText(es.devTools.usingToken).waitFor();
    // The loader keeps the token before the page renders; the page then drops the fragment from
    // the address (a navigation of the router), a moment after «usando el token» shows.
    await expect.poll(() => new URL(page.url()).hash).toBe("");
    await check(page, "reloj");
    await page.getByRole("button", { name: es.demoClock.quick(24) }).click();
    await page.locator(".demo-clock-banner").waitFor();
    // Inicio shows the banner too (her session is measured in real hours: still open).
    await page.goto(`${server.url}/`);
    await page.locator(".demo-clock-banner").waitFor();
    await check(page, "reloj-aviso-en-inicio");
    // The clock's page on a phone, with the token this tab keeps (it shows the offset: an
    // administrator's to know).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/desarrollo/reloj`);
    await page.getByText(es.devTools.usingToken).waitFor();
    await page.locator(".demo-clock-banner").waitFor();
    await check(page, "telefono-reloj");
    // A kept token the server refuses (expired, revoked, of an earlier start) is forgotten, said
    // so, and her session used instead (hers is not an administrator's: refused, and said).
    // Its own page: the 401 and 403 it shows in the console are the point of this step.
    const stale = await context.newPage();
    await stale.goto(`${server.url}/desarrollo/reloj#token=bzn_${"A".repeat(43)}`);
    await stale.getByText(es.devTools.tokenRefused).waitFor();
    await stale.getByRole("alert").waitFor();
    expect(await stale.getByText(es.devTools.usingToken).count()).toBe(0);
    await check(stale, "reloj-token-vencido");
    await stale.close();

    expect(pages.jsErrors(page)).toEqual([]);
    expect(pages.jsErrors(inbox)).toEqual([]);
    await context.close();
  });

  it("registra una aclaración si el correo no llega; el personal la atiende y ella ve la respuesta", {
    timeout: 300_000,
  }, async () => {
    const context = await newTestContext(browser, 390);
    const page = await pages.open(context, `${server.url}/acceso`);
    await signIn(page);
    await page.goto(`${server.url}/buzon/medios`);
    await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
    const lost = "no-llega@empresa.mx";
    await page.getByRole("radio", { name: c.kinds.correo, exact: true }).check();
    await page.getByLabel(c.valueLabel.correo, { exact: true }).fill(lost);
    await page.getByRole("button", { name: c.save, exact: true }).click();
    await page
      .getByRole("dialog", { name: c.confirmTitle })
      .getByRole("button", { name: c.accept, exact: true })
      .click();
    await page.locator(".registered").waitFor();
    await page.getByRole("link", { name: `${c.validate}${c.validateContext(lost)}` }).click();
    await page.getByRole("heading", { level: 1, name: v.title }).waitFor();
    await page.getByLabel(v.aclaracionField).fill("Revisé también el correo no deseado.");
    // A double click files one aclaración, and its acuse stays on the page (not a refusal).
    const filings = watchPosts(page, (path) => path === "/api/v1/buzon/aclaraciones");
    await page.getByRole("button", { name: v.aclaracionSubmit, exact: true }).dblclick();
    const filed = page.locator(".aclaracion .registered");
    await filed.waitFor();
    filings.stop();
    expect(filings.paths).toHaveLength(1);
    const folio = /folio (\S+)\./.exec(await textOf(filed))?.[1] ?? "";
    expect(folio).not.toBe("");
    await check(page, "telefono-aclaracion-registrada");

    // Staff answer it (an administrator's API token here; operadores do it the same way).
    const queue = await fetch(`${server.url}/api/v1/buzon/aclaraciones?estado=abierta`, {
      headers: { authorization: `Bearer ${server.system.adminToken}` },
    });
    const queueBody = await queue.json();
    expect(queue.status, JSON.stringify(queueBody)).toBe(200);
    const mine = queueBody.aclaraciones.find((a: { acuseFolio: string }) => a.acuseFolio === folio);
    const answer = "Reenviamos el correo de validación; llegará en unos minutos.";
    const attended = await fetch(`${server.url}/api/v1/buzon/aclaraciones/${mine.id}/atencion`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.system.adminToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ nota: answer }),
    });
    expect(attended.status).toBe(200);

    // She reads the answer in «Mis medios de contacto», and on the means' page.
    const list = es.contactMeans.aclaraciones;
    await page.goto(`${server.url}/buzon/medios`);
    const section = page.getByRole("region", { name: list.title });
    await section.waitFor();
    const text = await textOf(section);
    expect(text).toContain(list.about(lost));
    expect(text).toContain(list.statuses.atendida);
    expect(text).toContain(answer);
    expect(text).toContain(folio);
    await section.scrollIntoViewIfNeeded();
    await check(page, "telefono-aclaracion-atendida");
    await page.goBack();
    await page.getByText(v.aclaracionAttended(folio, answer)).waitFor();
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("un buzón habilitado en 2020: habilitado sin firma aquí; su correo del padrón, validado; sin correo, el inicio pide registrar medios", async () => {
    const home = es.mailbox;
    // With her e-mail on file: carried over as validated; a phone is what she lacks.
    const withEmail = await newTestContext(browser, 1280);
    const page = await pages.open(withEmail, `${server.url}/acceso`);
    await signIn(page, await issueFisicaEfirma(RFC_2020, NAME_2020), NAME_2020);
    const card = page.locator(".status-card");
    await card.getByText(home.provenance2020).waitFor();
    expect(await textOf(card)).toContain(home.provenance2020Missing(false, true));
    await check(page, "2020-inicio-con-correo");
    await page.goto(`${server.url}/buzon/medios`);
    await page.getByText(c.fromPadron2020).waitFor();
    expect(await textOf(page.locator(".means-list"))).toContain(EMAIL_2020);
    await check(page, "2020-medios-correo-del-padron");
    await withEmail.close();
    // Without one: still enabled (5.4), and the home asks for an e-mail and a phone.
    const without = await newTestContext(browser, 390);
    const phone = await pages.open(without, `${server.url}/acceso`);
    await signIn(phone, await issueFisicaEfirma(RFC_2020_SIN, NAME_2020_SIN), NAME_2020_SIN);
    const phoneCard = phone.locator(".status-card");
    await phoneCard.getByText(home.provenance2020).waitFor();
    expect(await textOf(phoneCard)).toContain(home.provenance2020Missing(true, true));
    await phoneCard.getByRole("link", { name: home.provenance2020Action }).click();
    await phone.getByRole("heading", { level: 1, name: c.title }).waitFor();
    await phone.goBack();
    await phoneCard.waitFor();
    await check(phone, "telefono-2020-inicio-sin-medios");
    expect(pages.jsErrors(page)).toEqual([]);
    expect(pages.jsErrors(phone)).toEqual([]);
    await without.close();
  });

  it("registra en un teléfono: el formulario de medios y su confirmación a 390 px", async () => {
    const context = await newTestContext(browser, 390);
    const page = await pages.open(context, `${server.url}/acceso`);
    await signIn(page);
    await page.goto(`${server.url}/buzon/medios`);
    await page.getByRole("heading", { level: 1, name: c.title }).waitFor();
    await page.getByRole("radio", { name: c.kinds.correo, exact: true }).check();
    await page.getByLabel(c.valueLabel.correo, { exact: true }).fill("otro@empresa.mx");
    await page.getByRole("button", { name: c.save, exact: true }).click();
    await page.getByRole("dialog", { name: c.confirmTitle }).waitFor();
    await check(page, "telefono-medios-confirmacion");
    await page.getByRole("button", { name: c.cancel, exact: true }).click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await context.close();
  });
});
