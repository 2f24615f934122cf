import { createHash, randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { type DevSinks, startDevSinks } from "../src/features/delivery/dev-sinks.ts";
import {
  fisicaRfc,
  padronWith,
  pdfOf,
  signTerms,
  validatedMeans,
} from "../src/features/notificaciones/test-support.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { createDemoClock, type DemoClock } from "../src/platform/demo-clock.ts";
import { issueFisicaEfirma, signDocumentLikeTheBrowser } from "../src/testing/efirma.ts";
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
 * Issue 12 §2–3 in Chromium with the demo clock: the Institute publishes a propuesta EMA for the
 * particular's registro patronal (API) and an operador schedules a comunicado to the
 * subdelegación of that registro an hour ahead (preview, then publish); it shows only once the
 * demo clock passes its instant. The particular sees the document in «Mis documentos», downloads
 * it and verifies it on the public page (kind and period, never whose); sees the comunicado in
 * «Mis comunicados» with the menu's unread badge, opens it and marks it read. Every page passes
 * axe at 1280 and 390 px and is photographed.
 */

const x = es.expedientes;

const PARTICULAR = `LOMA8507214B${rfcCheckDigit("LOMA8507214B")}`;
const PARTICULAR_NAME = "LORENA MARTINEZ AVILA";
const REGISTRO = "B5598765104";
const OPERADOR = `OPCA7901236D${rfcCheckDigit("OPCA7901236D")}`;
const OPERADOR_NAME = "OMAR PEREZ CASTRO";
const TITLE = "Horario de fin de año en la Subdelegación 09";

const pages = watchPages();

let server: Awaited<ReturnType<typeof startTestServer>>;
let sinks: DevSinks;
let browser: Browser;
let demo: DemoClock;
let particular: IssuedEfirma;
let operador: IssuedEfirma;
let downloads: string;
const publishedPdf = pdfOf("Propuesta EMA noviembre 2026 (e2e)");
const documentSha256 = createHash("sha256").update(publishedPdf).digest("hex");

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  demo = createDemoClock(join(await mkdtemp(join(tmpdir(), "reloj-")), "reloj.json"));
  sinks = await startDevSinks();
  server = await startTestServer({
    trustDevCa: true,
    adminToken: true,
    demo: { clock: demo, sinks },
    env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
  });
  particular = await issueFisicaEfirma(PARTICULAR, PARTICULAR_NAME);
  operador = await issueFisicaEfirma(OPERADOR, OPERADOR_NAME);
  await server.system.staff.set({ rfc: OPERADOR, role: "operador", name: OPERADOR_NAME }, "e2e");
  const db = server.system.database.db;
  const now = demo.clock();
  await padronWith(db, [{ rfc: PARTICULAR, registros: [REGISTRO] }], now);
  await validatedMeans(db, PARTICULAR, "correo", "lorena.martinez@ejemplo.mx", now);
  await validatedMeans(db, PARTICULAR, "celular", "+525512345670", now);
  await signTerms(db, PARTICULAR, now);
  downloads = await mkdtemp(join(tmpdir(), "descargas-"));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await sinks?.close();
});

async function check(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page), name).toEqual([]);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name}: desborde horizontal`).toBeLessThanOrEqual(0);
  await saveScreenshot(page, `expedientes-${name}`);
}

/** The same page at 390 px, checked too. */
async function onPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, `${name}-telefono`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function signIn(page: Page, who: IssuedEfirma, name: string): Promise<void> {
  const t = es.signIn;
  await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
  await page.getByLabel(t.rfc, { exact: true }).fill(who.rfc);
  await page.getByLabel(t.certificate, { exact: true }).setInputFiles(who.cerPath);
  await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(who.keyPath);
  await page.getByLabel(t.password, { exact: true }).fill(who.password);
  await page.getByRole("button", { name: t.submit, exact: true }).click();
  await page.waitForURL(/\/buzon$/);
  await page.getByRole("heading", { level: 1, name: es.mailbox.title(name) }).waitFor();
}

describe("«Mis documentos» y «Mis comunicados» en el navegador", () => {
  let staffContext: BrowserContext;
  let personContext: BrowserContext;
  let staff: Page;
  let person: Page;

  it("el Instituto publica un documento y el operador programa un comunicado", {
    timeout: 240_000,
  }, async () => {
    const published = await fetch(`${server.url}/api/v1/staff/documentos`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.system.adminToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        rfc: PARTICULAR,
        kind: "propuesta_cedula_ema",
        period: "2026-11",
        registroPatronal: REGISTRO,
        fileName: "Propuesta EMA noviembre 2026.pdf",
        document: publishedPdf.toString("base64"),
      }),
    });
    expect(published.status).toBe(201);

    staffContext = await newTestContext(browser, 1280);
    staff = await pages.open(staffContext, `${server.url}/acceso`);
    await signIn(staff, operador, OPERADOR_NAME);
    await staff.goto(`${server.url}/personal/comunicados`);
    await staff.getByRole("heading", { level: 1, name: x.staff.title }).waitFor();
    await check(staff, "personal-comunicados");

    // Nothing written: every error at once.
    await staff.getByRole("button", { name: x.staff.preview, exact: true }).click();
    const summary = staff.locator(".error-summary").first();
    await summary.waitFor();
    expect(await textOf(summary)).toContain(x.staff.titleMissing);
    expect(await textOf(summary)).toContain(x.staff.bodyMissing);

    await staff.getByLabel(x.staff.titleField, { exact: true }).fill(TITLE);
    await staff
      .getByLabel(x.staff.body, { exact: true })
      .fill(
        "Del 21 de diciembre al 6 de enero atendemos de 9:00 a 14:00 horas.\nTrae tu registro patronal.",
      );
    await staff.getByLabel(x.staff.audiences.subdelegacion, { exact: true }).check();
    await staff.getByLabel(x.staff.subdelegacion, { exact: true }).selectOption("09");
    // An hour ahead on the demo clock, in Zona Centro.
    const at = demo.clock().add({ hours: 1 }).toZonedDateTimeISO("America/Mexico_City");
    const two = (n: number) => String(n).padStart(2, "0");
    await staff
      .getByLabel(x.staff.date, { exact: true })
      .fill(`${two(at.day)}/${two(at.month)}/${at.year}`);
    await staff.getByLabel(x.staff.time, { exact: true }).fill(`${two(at.hour)}:${two(at.minute)}`);
    await staff.getByRole("button", { name: x.staff.preview, exact: true }).click();
    const preview = staff.locator(".comunicado-preview");
    await preview.waitFor();
    expect(await textOf(preview)).toContain(x.staff.reach(1));
    expect(await textOf(preview)).toContain("Se mostrará desde el");
    await check(staff, "personal-comunicados-vista-previa");
    await onPhone(staff, "personal-comunicados-vista-previa");

    // A double click publishes once (useSubmitOnce): one POST, one row.
    const publications = watchPosts(staff, (path) => path === "/api/v1/staff/comunicados");
    await staff.getByRole("button", { name: x.staff.publish, exact: true }).dblclick();
    await staff.getByText(/^Programado: «Horario de fin de año/).waitFor();
    publications.stop();
    expect(publications.paths).toHaveLength(1);
    const row = staff.getByRole("row").filter({ hasText: TITLE });
    // The list comes with the revalidation after the answer: one row, not two.
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await textOf(row)).toContain(x.staff.scheduled);
  });

  it("el particular ve su documento, lo descarga y lo verifica; el comunicado aparece a su hora", {
    timeout: 240_000,
  }, async () => {
    personContext = await newTestContext(browser, 1280);
    person = await pages.open(personContext, `${server.url}/acceso`);
    await signIn(person, particular, PARTICULAR_NAME);

    await person.getByRole("link", { name: x.menu.documentos, exact: true }).first().click();
    await person.getByRole("heading", { level: 1, name: x.documentos.title }).waitFor();
    const card = person.locator(".documento-card").filter({ hasText: documentSha256 });
    await card.waitFor();
    expect(await textOf(card)).toContain("noviembre de 2026");
    expect(await textOf(card)).toContain(REGISTRO);
    await check(person, "mis-documentos");
    await onPhone(person, "mis-documentos");

    // Filtered by another kind: none.
    await person.getByLabel(x.documentos.kind, { exact: true }).selectOption("vigencia_derechos");
    await person.getByRole("button", { name: x.documentos.apply, exact: true }).click();
    await person.getByText(x.documentos.empty).waitFor();
    await person.getByRole("link", { name: x.documentos.clear, exact: true }).click();
    await card.waitFor();

    const [download] = await Promise.all([
      person.waitForEvent("download"),
      card.getByRole("link", { name: new RegExp(x.documentos.download) }).click(),
    ]);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    const bytes = await readFile(saved);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(documentSha256);

    // The public verification: kind and period, never whose.
    const verify = await pages.open(personContext, `${server.url}/verificacion?tipo=documento`);
    await verify.getByRole("heading", { level: 1, name: es.verification.title }).waitFor();
    const panel = verify.locator('[role="tabpanel"]:not([hidden])');
    await panel.getByLabel(es.verification.documento.file, { exact: true }).setInputFiles(saved);
    await panel.getByRole("button", { name: es.verification.submit, exact: true }).click();
    await panel
      .getByRole("heading", { level: 2, name: es.verification.verdicts.autentico, exact: true })
      .waitFor();
    const result = await textOf(panel);
    expect(result).toContain(x.verification.title);
    expect(result).toContain("Propuesta de cédula de determinación mensual (EMA)");
    expect(result).toContain("noviembre de 2026");
    expect(result).not.toContain(PARTICULAR);
    expect(result).not.toContain(REGISTRO);
    await check(verify, "verificacion-documento");
    await onPhone(verify, "verificacion-documento");
    await verify.close();

    // Before its instant the comunicado is not there.
    await person.getByRole("link", { name: x.menu.comunicados }).first().click();
    await person.getByRole("heading", { level: 1, name: x.comunicados.title }).waitFor();
    await person.getByText(x.comunicados.empty).waitFor();
    expect(await person.locator(".session-bar__count").count()).toBe(0);

    // The demo clock passes its instant.
    demo.moveTo(demo.clock().add({ hours: 1, minutes: 1 }));
    await person.reload();
    const comunicado = person.locator(".comunicado-card").filter({ hasText: TITLE });
    await comunicado.waitFor();
    expect(await textOf(comunicado)).toContain(x.comunicados.unread);
    await person.locator(".session-bar__count").waitFor();
    expect(await textOf(person.locator(".session-bar__count"))).toContain("1");
    await check(person, "mis-comunicados");
    await onPhone(person, "mis-comunicados");

    await comunicado.getByRole("link", { name: x.comunicados.open }).click();
    await comunicado.getByText("Trae tu registro patronal.").waitFor();
    await check(person, "mis-comunicados-abierto");
    await comunicado.getByRole("button", { name: x.comunicados.markRead, exact: true }).click();
    await comunicado.getByText(/^Leído el /).waitFor();
    expect(await textOf(comunicado)).not.toContain(x.comunicados.unread);
    // The badge is gone once nothing is unread.
    await expect.poll(() => person.locator(".session-bar__count").count()).toBe(0);
    await check(person, "mis-comunicados-leido");
    await onPhone(person, "mis-comunicados-leido");

    // Unread only: none left.
    await person.getByRole("link", { name: x.comunicados.filters.sin_leer, exact: true }).click();
    await person.getByText(x.comunicados.emptyUnread).waitFor();

    for (const page of [staff, person]) expect(pages.jsErrors(page)).toEqual([]);
  });
  it("«Mis expedientes» reúne el documento, el comunicado y una notificación; la búsqueda los acota y el CSV se descarga", {
    timeout: 240_000,
  }, async () => {
    // A notification for the particular, deposited by a notificador; the demo clock passes its aviso.
    const notificador = await issueFisicaEfirma(fisicaRfc("NOTE"), "NORA TIRADO");
    await server.system.staff.set(
      { rfc: notificador.rfc, role: "notificador", name: "NORA TIRADO" },
      "e2e",
    );
    const pdf = pdfOf(randomUUID());
    const deposited = await fetch(`${server.url}/api/v1/notificaciones`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${server.system.adminToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        idempotencyKey: randomUUID(),
        rfc: PARTICULAR,
        actType: "7.1",
        oficio: "09 53 01 9200/7788",
        issuingUnit: "Subdelegación 09",
        documentName: "Resolución prima RT 2026.pdf",
        document: pdf.toString("base64"),
        signature: await signDocumentLikeTheBrowser(notificador, pdf),
      }),
    });
    expect(deposited.status, await deposited.clone().text()).toBe(201);
    const avisoAt = Temporal.Instant.from(
      ((await deposited.json()) as { avisoAt: string }).avisoAt,
    );
    if (Temporal.Instant.compare(demo.clock(), avisoAt) < 0)
      demo.moveTo(avisoAt.add({ minutes: 1 }));

    const l = x.lista;
    await person.goto(`${server.url}/buzon`);
    await person.getByRole("link", { name: x.menu.expedientes, exact: true }).first().click();
    await person.getByRole("heading", { level: 1, name: l.title }).waitFor();
    const cards = person.locator(".expediente-card");
    await cards.first().waitFor();
    const all = await textOf(person.locator(".expediente-list"));
    expect(all).toContain(TITLE);
    expect(all).toContain("Propuesta de cédula de determinación mensual (EMA)");
    expect(all).toContain("09 53 01 9200/7788");
    expect(await cards.count()).toBe(3);
    await check(person, "mis-expedientes");
    await onPhone(person, "mis-expedientes");

    // A search narrows it: the words of the comunicado's title, without accents.
    await person.getByLabel(l.q, { exact: true }).fill("horario subdelegacion");
    await person.getByRole("button", { name: l.apply, exact: true }).click();
    await person.getByText(l.count(1, false)).waitFor();
    expect(await textOf(cards.first())).toContain(TITLE);
    await check(person, "mis-expedientes-busqueda");
    await onPhone(person, "mis-expedientes-busqueda");

    // The oficio finds the notification, whose link opens its page.
    await person.getByLabel(l.q, { exact: true }).fill("7788");
    await person.getByLabel(l.clase, { exact: true }).selectOption("notificacion");
    await person.getByRole("button", { name: l.apply, exact: true }).click();
    await person.getByText(l.count(1, false)).waitFor();
    expect(await textOf(cards.first())).toContain(l.states.pendiente);

    // Nothing matches: said so.
    await person.getByLabel(l.q, { exact: true }).fill("inexistente");
    await person.getByRole("button", { name: l.apply, exact: true }).click();
    await person.getByText(l.empty).waitFor();

    // The whole list as CSV, with the BOM Excel needs.
    await person.getByRole("link", { name: l.clear, exact: true }).click();
    await person.getByText(l.count(3, false)).waitFor();
    const [download] = await Promise.all([
      person.waitForEvent("download"),
      person.getByRole("link", { name: l.csv, exact: true }).click(),
    ]);
    const saved = join(downloads, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toBe("mis-expedientes.csv");
    const csv = await readFile(saved);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines.join("\n")).toContain(TITLE);

    expect(pages.jsErrors(person)).toEqual([]);
  });
});
