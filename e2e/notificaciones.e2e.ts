import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { type DevSinks, startDevSinks } from "../src/features/delivery/dev-sinks.ts";
import { pdfOf, signTerms, validatedMeans } from "../src/features/notificaciones/test-support.ts";
import { createPadronImporter } from "../src/features/padron/import.ts";
import { systemClock } from "../src/platform/clock.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { createDemoClock, type DemoClock } from "../src/platform/demo-clock.ts";
import { PAGE_PATHS } from "../src/platform/http/page-paths.ts";
import { issueFisicaEfirma } from "../src/testing/efirma.ts";
import { startTestServer } from "../src/testing/server.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  alertOf,
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
 * Issue 11 §5 and §7: a notificador signs three acts' PDFs with the e.firma in Chromium and
 * deposits them (one refused: its addressee is not in the padrón); the particular gets the aviso
 * in the «Bandeja de desarrollo», sees the acts in «Mis notificaciones» with the business days
 * left, reads every date with «¿Por qué esta fecha?», opens one with the e.firma, downloads its
 * acuse (PDF and JSON) and verifies both files on the public page; the notificador sees on the
 * act's page who opened it and the acuse de notificación's folio, and downloads that act's
 * evidence ZIP, every part of which checks; the Institute cancels another (its page says who,
 * why and the acuse); the last, left unopened, is notified by ministerio de ley once the demo
 * clock passes the fourth business day (the constancia on both sides). Every page passes axe at
 * 1280 and 390 px and is photographed.
 */

const n = es.notificaciones;
const p = es.personal;
const v = es.verification;
const run = promisify(execFile);

const PARTICULAR = `LUGA7805126B${rfcCheckDigit("LUGA7805126B")}`;
const PARTICULAR_NAME = "LAURA GARCIA ULLOA";
const EMAIL = "laura.garcia@ejemplo.mx";
const NOTIFICADOR = `NOPE8203156C${rfcCheckDigit("NOPE8203156C")}`;
const NOTIFICADOR_NAME = "NORA PEREZ ESPINOSA";
const NOT_IN_PADRON = `SIPA9001017A${rfcCheckDigit("SIPA9001017A")}`;
const UNIT = "Subdelegación Centro";

// The refused deposit answers 422, which the browser logs; nothing else may fail.
const pages = watchPages<{ method: string; url: string; key?: string }>({
  ignoreConsoleError: /status of 422/,
  record: (request) => {
    if (!request.url().endsWith("/api/v1/notificaciones") || request.method() !== "POST") {
      return undefined;
    }
    const body = request.postDataJSON() as { idempotencyKey?: string } | null;
    return { method: request.method(), url: request.url(), key: body?.idempotencyKey };
  },
});

let server: Awaited<ReturnType<typeof startTestServer>>;
let sinks: DevSinks;
let browser: Browser;
let demo: DemoClock;
let particular: IssuedEfirma;
let notificador: IssuedEfirma;
let files: string;
/** The acuse de notificación of the opening: its folio, and its PDF and JSON as downloaded. */
let openingFolio: string;
let acusePdfPath: string;
let acuseJsonPath: string;

/** Validated e-mail and phone, the Terms signed: an enabled mailbox (5.1–5.3). */
async function enableMailbox(rfc: string, email: string): Promise<void> {
  const db = server.system.database.db;
  const now = demo.clock();
  await validatedMeans(db, rfc, "correo", email, now);
  await validatedMeans(db, rfc, "celular", "+525598765432", now);
  await signTerms(db, rfc, now);
}

/** The next weekday at 10:00 Zona Centro that the IMSS calendar does not declare non-business. */
async function nextBusinessMorning(): Promise<Temporal.Instant> {
  let day = Temporal.Now.zonedDateTimeISO("America/Mexico_City").toPlainDate().add({ days: 2 });
  for (;;) {
    const calendar = (await (
      await fetch(`${server.url}/api/v1/calendario/${day.year}?autoridad=IMSS`)
    ).json()) as { days: { date: string }[] };
    const closed = new Set(calendar.days.map((d) => d.date));
    if (day.dayOfWeek <= 5 && !closed.has(day.toString())) break;
    day = day.add({ days: 1 });
  }
  return day.toZonedDateTime({ timeZone: "America/Mexico_City", plainTime: "10:00" }).toInstant();
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  sinks = await startDevSinks();
  demo = createDemoClock(join(await mkdtemp(join(tmpdir(), "reloj-")), "reloj.json"));
  server = await startTestServer({
    trustDevCa: true,
    adminToken: true,
    demo: { clock: demo, sinks },
    env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
  });
  particular = await issueFisicaEfirma(PARTICULAR, PARTICULAR_NAME);
  notificador = await issueFisicaEfirma(NOTIFICADOR, NOTIFICADOR_NAME);
  await server.system.staff.set(
    { rfc: NOTIFICADOR, role: "notificador", name: NOTIFICADOR_NAME },
    "e2e",
  );
  const importPadron = createPadronImporter({ db: server.system.database.db, clock: systemClock });
  const csv = [
    "rfc,nombre,persona,registros_patronales,correo,habilitado_2020",
    `${PARTICULAR},${PARTICULAR_NAME},fisica,,,`,
    "",
  ].join("\n");
  const report = await importPadron(Readable.from([csv]), { fileName: "padron.csv", actor: "e2e" });
  expect(report.refused).toBe(0);
  // A business morning, inside the notification window: the aviso goes out at the deposit.
  demo.moveTo(await nextBusinessMorning());
  await enableMailbox(PARTICULAR, EMAIL);
  files = await mkdtemp(join(tmpdir(), "actos-"));
  for (const name of ["resolucion-prima.pdf", "requerimiento.pdf", "invitacion.pdf", "ajeno.pdf"]) {
    await writeFile(join(files, name), pdfOf(name));
  }
  // Named a PDF, but a web page saved under that name.
  await writeFile(join(files, "falso.pdf"), "<!doctype html><title>Oficio</title>");
  await writeFile(
    join(files, "lote.csv"),
    [
      "rfc,registro_patronal,tipo,oficio,unidad_emisora,documento",
      `${PARTICULAR},,7.6,09 53 01 9200/0002,${UNIT},requerimiento.pdf`,
      `${PARTICULAR},,7.8,09 53 01 9200/0003,${UNIT},invitacion.pdf`,
      `${NOT_IN_PADRON},,7.1,09 53 01 9200/0004,${UNIT},ajeno.pdf`,
      "",
    ].join("\n"),
  );
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
  await saveScreenshot(page, `notificaciones-${name}`);
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

/** The visible tab panel of the verification page (the others stay mounted, hidden). */
function visiblePanel(page: Page): Locator {
  return page.locator('[role="tabpanel"]:not([hidden])');
}

/** The value shown for a label of a definition list on the page (its visible panel if any). */
async function factOf(page: Page, label: string): Promise<string> {
  return textOf(
    page
      .locator(`xpath=//dl//dt[normalize-space()="${label}"]/following-sibling::dd[1]`)
      .filter({ visible: true })
      .first(),
  );
}

/** «Verificar» on the visible panel, waiting for the server's answer at `path`. */
async function submitVerification(page: Page, path: string): Promise<void> {
  const [answer] = await Promise.all([
    page.waitForResponse(
      (response) =>
        new URL(response.url()).pathname === path && response.request().method() === "POST",
      { timeout: 30_000 },
    ),
    visiblePanel(page).getByRole("button", { name: v.submit, exact: true }).click(),
  ]);
  expect(answer.status(), path).toBe(200);
}

/** From the staff's list (reloaded), the page of the act with this oficio. */
async function openStaffAct(page: Page, oficio: string): Promise<void> {
  await page.goto(`${server.url}${PAGE_PATHS.staffNotificaciones}`);
  await page.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
  await page.locator(".notif-card", { hasText: oficio }).getByRole("link").first().click();
  await page.getByRole("heading", { level: 2, name: p.act.timelineTitle }).waitFor();
}

/** The same page at 390 px, checked too. */
async function onPhone(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  await check(page, `${name}-telefono`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("Notificaciones electrónicas en el navegador", () => {
  let staff: Page;
  let person: Page;
  let staffContext: BrowserContext;
  let personContext: BrowserContext;

  it("el notificador firma en el navegador y deposita tres actos; uno se rechaza", {
    timeout: 300_000,
  }, async () => {
    staffContext = await newTestContext(browser, 1280);
    staff = await pages.open(staffContext, `${server.url}/acceso`);
    await signIn(staff, notificador, NOTIFICADOR_NAME);
    await staff.getByRole("link", { name: es.mailbox.staffNotificaciones, exact: true }).click();
    await staff.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
    await staff.getByRole("link", { name: p.list.compose, exact: true }).first().click();
    await staff.getByRole("heading", { level: 1, name: p.compose.title }).waitFor();
    await check(staff, "personal-nuevo");

    // An empty act: every error at once, the summary takes the focus.
    await staff.getByRole("button", { name: p.compose.add, exact: true }).click();
    const summary = staff.locator(".error-summary").first();
    await summary.waitFor();
    expect(await staff.evaluate(() => document.activeElement?.className)).toContain(
      "error-summary",
    );
    for (const message of [
      p.compose.errors.rfcMissing,
      p.compose.errors.actTypeMissing,
      p.compose.errors.oficioMissing,
      p.compose.errors.issuingUnitMissing,
      p.compose.errors.documentMissing,
    ]) {
      expect(await textOf(summary)).toContain(message);
    }
    await check(staff, "personal-nuevo-errores");

    // One act by hand.
    await staff.getByLabel(p.compose.rfc, { exact: true }).fill(PARTICULAR.toLowerCase());
    await staff.getByLabel(p.compose.actType, { exact: true }).selectOption("7.1");
    await staff.getByLabel(p.compose.oficio, { exact: true }).fill("09 53 01 9200/0001");
    await staff.getByLabel(p.compose.issuingUnit, { exact: true }).fill(UNIT);
    // A «.pdf» that is not one: refused when chosen, at its field, and never joins the list.
    const documentField = staff.getByLabel(p.compose.document, { exact: true });
    await documentField.setInputFiles(join(files, "falso.pdf"));
    const notPdf = p.compose.errors.notPdfContent("falso.pdf");
    await staff.locator("#documento-error", { hasText: notPdf }).waitFor();
    expect(await documentField.getAttribute("aria-invalid")).toBe("true");
    await check(staff, "personal-nuevo-falso");
    await staff.getByRole("button", { name: p.compose.add, exact: true }).click();
    await staff.locator(".error-summary", { hasText: notPdf }).waitFor();
    expect(await staff.locator(".queue-item").count()).toBe(0);
    await staff
      .getByLabel(p.compose.document, { exact: true })
      .setInputFiles(join(files, "resolucion-prima.pdf"));
    await staff.getByRole("button", { name: p.compose.add, exact: true }).click();
    await staff.locator('[data-document="resolucion-prima.pdf"]').waitFor();

    // Three more from a CSV and their PDFs.
    await staff.getByLabel(p.batch.csv, { exact: true }).setInputFiles(join(files, "lote.csv"));
    await staff
      .getByLabel(p.batch.pdfs, { exact: true })
      .setInputFiles(
        ["requerimiento.pdf", "invitacion.pdf", "ajeno.pdf"].map((f) => join(files, f)),
      );
    await staff.getByRole("button", { name: p.batch.add, exact: true }).click();
    await staff.locator('[data-document="ajeno.pdf"]').waitFor();
    expect(await staff.locator(".queue-item").count()).toBe(4);

    // The e.firma once, then each PDF signed and deposited; a double click deposits nothing twice.
    const t = es.signIn;
    await staff.getByLabel(t.certificate, { exact: true }).setInputFiles(notificador.cerPath);
    await staff.getByLabel(t.privateKey, { exact: true }).setInputFiles(notificador.keyPath);
    await staff.getByLabel(t.password, { exact: true }).fill(notificador.password);
    await staff.getByRole("button", { name: p.sign.submit(4), exact: true }).dblclick();
    const finished = staff.locator(".sign-progress .registered");
    await finished.waitFor({ timeout: 60_000 });
    expect(await textOf(finished)).toBe(p.sign.finished(3, 1));
    const posts = pages.sent(staff);
    expect(posts).toHaveLength(4);
    expect(new Set(posts.map((post) => post.key)).size).toBe(4);
    const refused = staff.locator('[data-document="ajeno.pdf"]');
    expect(await textOf(refused)).toContain(p.queue.refused);
    expect(await textOf(refused)).toMatch(/padrón/);
    // A refusal of the act itself cannot succeed again: no «Reintentar» is offered for it.
    expect(await textOf(refused)).toContain(p.queue.refusedFinal);
    expect(await staff.getByRole("button", { name: /^Reintentar/ }).count()).toBe(0);
    expect(await textOf(staff.locator('[data-document="requerimiento.pdf"]'))).toContain(
      "Depositado. Aviso:",
    );
    // The request carried the PDF and its .p7s, never the key nor its password.
    await check(staff, "personal-depositados");
    await onPhone(staff, "personal-depositados");

    // The follow-up lists the three acts, pending.
    await staff.getByRole("link", { name: p.nav.list, exact: true }).click();
    await staff.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
    expect(await staff.locator(".notif-card--pendiente").count()).toBe(3);
    await check(staff, "personal-seguimiento");
    await onPhone(staff, "personal-seguimiento");
  });

  it("el aviso llega a la Bandeja de desarrollo y el acto aparece en «Mis notificaciones»", {
    timeout: 300_000,
  }, async () => {
    await server.system.scheduler.runAll();
    personContext = await newTestContext(browser, 1280);
    person = await pages.open(personContext, `${server.url}/acceso`);
    await signIn(person, particular, PARTICULAR_NAME);

    // Inicio: the next step is to open them.
    const card = person.locator(".status-card--notif");
    await card.waitFor();
    expect(await textOf(card)).toContain(n.home.title(3));
    // The aviso's own day on the demo clock: the API counts all three days ahead.
    expect(await textOf(card)).toContain(n.daysLeft(3));
    await check(person, "inicio-pendientes");

    // The aviso, in the demo's inbox.
    await person.goto(`${server.url}/desarrollo/bandeja?para=${encodeURIComponent(EMAIL)}`);
    await person.getByRole("heading", { level: 1, name: es.devInbox.title }).waitFor();
    const message = person.locator(".dev-message").first();
    await message.waitFor();
    expect(await textOf(message)).toMatch(/notificaci/i);
    await saveScreenshot(person, "notificaciones-bandeja");

    await person.goto(`${server.url}/buzon/notificaciones`);
    await person.getByRole("heading", { level: 1, name: n.title }).waitFor();
    expect(await person.locator(".notif-card").count()).toBe(3);
    const badges = person.locator(".days-left");
    expect(await badges.count()).toBe(3);
    for (const badge of await badges.all()) expect(await textOf(badge)).toBe(n.daysLeft(3));
    await check(person, "lista");
    await onPhone(person, "lista");

    // Filters: by type, then a malformed date refused in the page.
    await person.locator("summary", { hasText: n.filters.title }).click();
    await person.getByLabel(n.filters.actType, { exact: true }).selectOption("7.6");
    await person.getByRole("button", { name: n.filters.apply, exact: true }).click();
    await person.waitForURL(/tipo=7\.6/);
    await expect.poll(() => person.locator(".notif-card").count()).toBe(1);
    await person.getByLabel(n.filters.from, { exact: true }).fill("31/02/2026");
    await person.getByRole("button", { name: n.filters.apply, exact: true }).click();
    await person.locator(".error-summary").waitFor();
    await check(person, "lista-filtros");
    await person.getByRole("link", { name: n.filters.clear, exact: true }).click();
    await expect.poll(() => person.locator(".notif-card").count()).toBe(3);

    // The Institute sees where the aviso went and how each delivery went (TFJA IX-J-1aS-7).
    await openStaffAct(staff, "09 53 01 9200/0001");
    await staff.getByRole("heading", { level: 2, name: p.act.deliveriesTitle }).waitFor();
    const deliveries = staff.locator(".delivery");
    expect(await deliveries.count()).toBeGreaterThanOrEqual(1);
    expect(await textOf(deliveries.first())).toContain(p.act.statuses.enviada);
    expect(await textOf(staff.locator("main"))).toContain(p.act.acuseTitle);
    await check(staff, "personal-aviso");
    await onPhone(staff, "personal-aviso");
    await staff.getByRole("link", { name: p.act.back, exact: true }).click();
    await staff.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
  });

  it("el detalle muestra cada fecha con «¿Por qué esta fecha?»; se abre con e.firma y el acuse verifica", {
    timeout: 300_000,
  }, async () => {
    await person.getByRole("link", { name: /Resolución de Determinación de la Prima/ }).click();
    await person.getByRole("heading", { level: 1 }).waitFor();
    const dates = person.locator(".notif-dates");
    await dates.waitFor();
    expect(await textOf(dates)).toContain(n.detail.dates.openBy);
    expect(await textOf(dates)).toContain(n.detail.dates.juicioNulidadBy);
    const why = person.locator('[data-date="openBy"] .why');
    await why.locator("summary").click();
    expect(await textOf(why)).toMatch(/Lineamientos 7\.4/);
    // The aviso says how the deposit gave it its instant (rule a), in the engine's words.
    const avisoWhy = person.locator('[data-date="avisoAt"] .why');
    await avisoWhy.locator("summary").click();
    expect(await textOf(avisoWhy)).toMatch(/Lineamientos 7\.2/);
    expect(await textOf(avisoWhy)).toContain("dentro del horario de notificación");
    expect(await textOf(avisoWhy)).not.toContain(n.detail.noWhy);
    await check(person, "detalle");
    await onPhone(person, "detalle");

    await person.getByRole("button", { name: n.open.button, exact: true }).click();
    const dialog = person.getByRole("dialog", { name: n.open.title });
    await dialog.waitFor();
    expect(await textOf(dialog)).toContain("CFF art. 134, fracción I");
    await check(person, "abrir-dialogo");
    const t = es.signIn;
    await dialog.getByLabel(t.certificate, { exact: true }).setInputFiles(particular.cerPath);
    await dialog.getByLabel(t.privateKey, { exact: true }).setInputFiles(particular.keyPath);
    await dialog.getByLabel(t.password, { exact: true }).fill(particular.password);
    // A double click signs one opening: one challenge, one opening, and the acuse (not a 409).
    const posts = watchPosts(person, (path) => path.includes("/apertura"));
    await dialog.getByRole("button", { name: n.open.submit, exact: true }).dblclick();
    const opened = person.locator(".registered");
    const answered = await Promise.race([
      opened.waitFor({ timeout: 30_000 }).then(() => "opened"),
      alertOf(person)
        .waitFor({ timeout: 30_000 })
        .then(() => "refused"),
    ]);
    expect(answered).toBe("opened");
    posts.stop();
    expect(posts.paths).toEqual([
      expect.stringMatching(/\/apertura\/desafio$/),
      expect.stringMatching(/\/apertura$/),
    ]);
    expect(await textOf(opened)).toMatch(/^Quedaste notificado\. Folio del acuse de notificación:/);
    await check(person, "abierta");
    await onPhone(person, "abierta");

    const acuseRef = opened.locator(".acuse-ref");
    openingFolio = await textOf(acuseRef.locator("dd").first());
    expect(openingFolio).toMatch(/^[A-Z]+-\d{8}-\d+$/);
    expect(await textOf(opened.locator(".registered__title"))).toContain(openingFolio);

    // The document downloads now.
    const download = person.getByRole("link", { name: n.detail.download, exact: true });
    const href = (await download.getAttribute("href")) ?? "";
    const pdf = await person.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toMatch(/application\/pdf/);

    // The acuse de notificación downloads from the detail: a PDF that says its folio.
    const [acuseDownload] = await Promise.all([
      person.waitForEvent("download"),
      acuseRef.getByRole("link", { name: new RegExp(`^${es.acuse.pdf}`) }).click(),
    ]);
    acusePdfPath = join(files, "acuse-apertura.pdf");
    await acuseDownload.saveAs(acusePdfPath);
    expect((await readFile(acusePdfPath)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const acuseText = (await run("pdftotext", ["-enc", "UTF-8", acusePdfPath, "-"])).stdout;
    expect(acuseText).toContain(openingFolio);

    // Its verification by folio and code, where its data (JSON) downloads too.
    await acuseRef.getByRole("link", { name: new RegExp(`^${es.acuse.verify}`) }).click();
    await person.waitForURL(
      (url) => url.pathname === `/verificacion/${encodeURIComponent(openingFolio)}`,
    );
    await person
      .getByRole("heading", { level: 2, name: v.verdicts.autentico, exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await factOf(person, v.facts.folio)).toBe(openingFolio);
    await check(person, "acuse-verificado");
    await onPhone(person, "acuse-verificado");
    const [jsonDownload] = await Promise.all([
      person.waitForEvent("download"),
      person.getByRole("link", { name: v.downloads.json, exact: true }).click(),
    ]);
    acuseJsonPath = join(files, "acuse-apertura.json");
    await jsonDownload.saveAs(acuseJsonPath);
    const exported = JSON.parse(await readFile(acuseJsonPath, "utf8")) as { acuse?: unknown };
    expect(JSON.stringify(exported.acuse)).toContain(openingFolio);
  });

  it("cualquiera verifica en la página pública el acuse que descargó, en PDF y en JSON", {
    timeout: 120_000,
  }, async () => {
    // No session: the page is public.
    const anyone = await newTestContext(browser, 1280);
    const page = await pages.open(anyone, `${server.url}/verificacion`);
    await page.getByRole("heading", { level: 1, name: v.title }).waitFor();
    await page.getByRole("tab", { name: v.tabs.pdf, exact: true }).click();
    await page.waitForURL(/tipo=pdf/);
    await check(page, "verificacion-pdf");
    const input = visiblePanel(page).getByLabel(v.pdf.file, { exact: true });

    // The acuse's PDF as it was downloaded: authentic, with the same folio.
    await input.setInputFiles(acusePdfPath);
    await submitVerification(page, "/api/v1/verificacion/pdf");
    await visiblePanel(page)
      .getByRole("heading", { level: 2, name: v.verdicts.autentico, exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await alertOf(page).count()).toBe(0);
    expect(await factOf(page, v.facts.folio)).toBe(openingFolio);
    expect(await factOf(page, v.facts.rfc)).toBe(PARTICULAR);
    expect(await factOf(page, v.facts.rule)).toBe(v.rules.apertura);
    await check(page, "verificacion-pdf-autentico");
    await onPhone(page, "verificacion-pdf-autentico");

    // Its exported data, through the same control: authentic too.
    await input.setInputFiles(acuseJsonPath);
    await submitVerification(page, "/api/v1/verificacion/acuse");
    await visiblePanel(page)
      .getByRole("heading", { level: 2, name: v.verdicts.autentico, exact: true })
      .waitFor({ timeout: 30_000 });
    expect(await factOf(page, v.facts.folio)).toBe(openingFolio);
    await check(page, "verificacion-json-autentico");
    expect(pages.jsErrors(page)).toEqual([]);
    await anyone.close();
  });

  it("el notificador descarga el paquete de evidencia del acto abierto", {
    timeout: 120_000,
  }, async () => {
    await openStaffAct(staff, "09 53 01 9200/0001");
    await staff.getByRole("heading", { level: 2, name: p.act.deliveriesTitle }).waitFor();

    // The act's timeline (issue 11 §5): deposited, aviso, then «abierta» by the titular, with
    // the folio of the acuse de notificación and links that name it.
    expect(await textOf(staff.locator(".notif-head"))).toContain(n.states.notificada);
    const actTimeline = staff.locator("ol.timeline");
    await staff.getByRole("heading", { level: 2, name: p.act.timelineTitle }).waitFor();
    expect(
      await actTimeline.locator(":scope > li").evaluateAll((li) => li.map((e) => e.dataset.event)),
    ).toEqual(["depositada", "aviso_emitido", "abierta"]);
    const abierta = actTimeline.locator('[data-event="abierta"]');
    expect(await textOf(abierta.locator(".timeline__what"))).toBe(p.act.events.abierta);
    expect(await textOf(abierta)).toContain(p.act.byCapacity("titular", PARTICULAR));
    expect(await textOf(abierta.locator(".timeline__acuse .notif-filename"))).toBe(openingFolio);
    const which = `${openingFolio} (${p.act.acuseNames.abierta})`;
    const verifyLink = abierta.getByRole("link", {
      name: `${n.detail.acuseLink} ${which}`,
      exact: true,
    });
    expect(await verifyLink.getAttribute("href")).toMatch(
      new RegExp(`^/verificacion/${openingFolio}\\?codigo=.+`),
    );
    const pdfLink = abierta.getByRole("link", { name: `${es.acuse.pdf} ${which}`, exact: true });
    const acusePdf = await staff.request.get(`${server.url}${await pdfLink.getAttribute("href")}`);
    expect(acusePdf.status()).toBe(200);
    expect(acusePdf.headers()["content-type"]).toMatch(/application\/pdf/);
    // The aviso's own acuse, in the timeline and in its section: «Folio:» on its value's baseline.
    expect(
      await textOf(actTimeline.locator('[data-event="aviso_emitido"] .timeline__acuse')),
    ).toMatch(/^Folio: \S+/);
    const folioRow = staff.locator(".facts__row", { hasText: p.act.verify });
    // The bottoms of the two texts' glyph boxes (same font): level when their baselines are.
    const textBottom = (locator: Locator) =>
      locator.evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return range.getBoundingClientRect().bottom;
      });
    const label = await textBottom(folioRow.locator("dt"));
    const value = await textBottom(folioRow.locator("dd .notif-filename"));
    expect(Math.abs(label - value), "«Folio:» y su valor en la misma línea base").toBeLessThan(1.5);
    await check(staff, "personal-acto-abierto");
    await onPhone(staff, "personal-acto-abierto");

    // The «Descargar paquete de evidencia» button: one ZIP, served as one.
    const evidence = staff.getByRole("link", { name: p.act.evidence, exact: true });
    const [zipDownload] = await Promise.all([staff.waitForEvent("download"), evidence.click()]);
    const zipHref = (await evidence.getAttribute("href")) ?? "";
    expect(new URL(zipDownload.url()).pathname).toBe(zipHref);
    expect(zipDownload.suggestedFilename()).toMatch(/^evidencia-.+\.zip$/);
    // Chromium hands a download's response to no page event: the same request, with the
    // staff's session, for its headers.
    const zipResponse = await staff.request.get(`${server.url}${zipHref}`);
    expect(zipResponse.status()).toBe(200);
    expect(zipResponse.headers()["content-type"]).toMatch(/^application\/zip/);
    expect(zipResponse.headers()["content-disposition"]).toContain(zipDownload.suggestedFilename());
    const zipPath = join(files, zipDownload.suggestedFilename());
    await zipDownload.saveAs(zipPath);
    const zip = unzipSync(new Uint8Array(await readFile(zipPath)));
    const names = Object.keys(zip);
    const file = (name: string) => Buffer.from(zip[name] ?? new Uint8Array());

    // The signed document as deposited and its detached CMS signature.
    expect(names).toContain("documento.pdf");
    expect(file("documento.pdf").equals(await readFile(join(files, "resolucion-prima.pdf")))).toBe(
      true,
    );
    expect(names).toContain("documento.pdf.p7s");
    expect(file("documento.pdf.p7s")[0]).toBe(0x30); // a DER SEQUENCE
    // Every acuse: the aviso's, then the opening's, each as its JSON export and its PDF.
    const aviso = names.filter((name) => /^acuses\/01-/.test(name));
    expect(aviso.map((name) => name.slice(name.lastIndexOf(".")))).toEqual(
      expect.arrayContaining([".json", ".pdf"]),
    );
    const opening = `acuses/02-apertura_notificacion-${openingFolio}`;
    expect(names).toEqual(expect.arrayContaining([`${opening}.json`, `${opening}.pdf`]));
    expect(file(`${opening}.pdf`).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(JSON.parse(file(`${opening}.json`).toString("utf8")).acuse.folio).toBe(openingFolio);
    // What the particular signed to open it, with its signature.
    expect(names).toEqual(
      expect.arrayContaining(["apertura/abierta-texto-firmado.txt", "apertura/abierta-firma.p7s"]),
    );
    // The timeline, the aviso's addresses, the README and the checksums of every file.
    const timeline = JSON.parse(file("linea-de-tiempo.json").toString("utf8")) as {
      eventos: { evento: string; acuse?: string }[];
    };
    expect(timeline.eventos.map((e) => e.evento)).toEqual(
      expect.arrayContaining(["depositada", "aviso_emitido", "abierta"]),
    );
    expect(timeline.eventos.find((e) => e.evento === "abierta")?.acuse).toBe(openingFolio);
    expect(names).toContain("aviso.json");
    expect(file("aviso.json").toString("utf8")).toContain(EMAIL);
    expect(names).toContain("LEEME.txt");
    expect(file("LEEME.txt").toString("utf8")).toMatch(/openssl cms -verify/);
    const sums = file("SHA256SUMS").toString("utf8").trim().split("\n");
    expect(sums.length).toBe(names.length - 1);
    for (const line of sums) {
      const [hash, name] = line.split(/\s+\*?/);
      expect(
        createHash("sha256")
          .update(file(name ?? ""))
          .digest("hex"),
        name,
      ).toBe(hash);
    }
    // The unzip tool lists the same entries, and OpenSSL checks both signatures as LEEME says.
    const listed = (await run("unzip", ["-Z1", zipPath])).stdout.trim().split("\n");
    expect(listed).toEqual(names);
    const unpacked = await mkdtemp(join(tmpdir(), "evidencia-"));
    await run("unzip", ["-q", zipPath, "-d", unpacked]);
    const signed: [string, string][] = [
      ["documento.pdf", "documento.pdf.p7s"],
      ["apertura/abierta-texto-firmado.txt", "apertura/abierta-firma.p7s"],
    ];
    for (const [content, signature] of signed) {
      const verified = await run("openssl", [
        "cms",
        "-verify",
        "-binary",
        "-content",
        join(unpacked, content),
        "-inform",
        "DER",
        "-in",
        join(unpacked, signature),
        "-noverify",
        "-out",
        "/dev/null",
      ]);
      expect(verified.stderr, signature).toMatch(/Verification successful/);
    }

    await staff.getByRole("link", { name: p.act.back, exact: true }).click();
    await staff.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
  });

  it("el Instituto cancela un acto con su motivo", { timeout: 120_000 }, async () => {
    await staff.reload();
    await staff.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
    const act = staff.locator(".notif-card", { hasText: "09 53 01 9200/0003" });
    await act.getByRole("button", { name: new RegExp(`^${p.cancel.button}`) }).click();
    const dialog = staff.getByRole("dialog", { name: p.cancel.title });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: p.cancel.accept, exact: true }).click();
    await dialog.getByText(p.cancel.errors.motivoMissing).first().waitFor();
    await check(staff, "cancelar-dialogo");
    await dialog
      .getByLabel(p.cancel.motivo, { exact: true })
      .fill("Se emitió con un número de oficio equivocado.");
    // A double click cancels once: one request, and the acuse (not «ya estaba cancelado»).
    const cancellations = watchPosts(staff, (path) => path.endsWith("/cancelacion"));
    await dialog.getByRole("button", { name: p.cancel.accept, exact: true }).dblclick();
    const done = staff.locator(".registered", { hasText: p.cancel.done("09 53 01 9200/0003") });
    const answered = await Promise.race([
      done.waitFor({ timeout: 30_000 }).then(() => "cancelled"),
      alertOf(staff)
        .waitFor({ timeout: 30_000 })
        .then(() => "refused"),
    ]);
    expect(answered).toBe("cancelled");
    cancellations.stop();
    expect(cancellations.paths).toHaveLength(1);
    expect(await textOf(done)).toMatch(/Folio/);
    await expect
      .poll(() => textOf(staff.locator(".notif-card", { hasText: "09 53 01 9200/0003" })))
      .toContain(n.states.cancelada);
    await check(staff, "cancelado");

    // Its page says who cancelled it, why, and the acuse de cancelación's folio.
    await staff
      .locator(".notif-card", { hasText: "09 53 01 9200/0003" })
      .getByRole("link")
      .first()
      .click();
    const cancelada = staff.locator('ol.timeline [data-event="cancelada"]');
    await cancelada.waitFor();
    expect(await textOf(cancelada)).toContain(p.act.events.cancelada);
    expect(await textOf(cancelada)).toContain(p.act.by(NOTIFICADOR));
    expect(await textOf(cancelada)).toContain(
      p.act.motivo("Se emitió con un número de oficio equivocado."),
    );
    expect(await textOf(cancelada.locator(".timeline__acuse .notif-filename"))).toMatch(/^\S+$/);
    // In legal order, as the API gives it (the cancellation after the aviso that preceded it).
    expect(
      await staff.locator("ol.timeline > li").evaluateAll((li) => li.map((e) => e.dataset.event)),
    ).toEqual(["depositada", "aviso_emitido", "cancelada"]);
    // Its aviso's evidence: the cancellation and its effect, not a term that no longer runs.
    const page = await textOf(staff.locator("main"));
    expect(page).toContain(p.act.cancelledAt);
    expect(page).toContain(p.act.cancellationAcuse);
    expect(page).toContain(p.act.cancellationEffect);
    expect(page).toContain("No corren los tres días hábiles para abrirlo ni habrá notificación");
    expect(page).not.toContain(p.act.openBy);
    expect(page).not.toContain(p.act.deemedNotifiedAt);
    await check(staff, "personal-acto-cancelado");
    await onPhone(staff, "personal-acto-cancelado");
  });

  it("el acto que nadie abrió queda notificado al cuarto día hábil", {
    timeout: 120_000,
  }, async () => {
    const answer = await person.request.get(`${server.url}/api/v1/notificaciones`);
    const list = (await answer.json()) as {
      oficio: string;
      openBy: string | null;
      businessDaysLeft: number | null;
      deemedNotifiedAt: string | null;
    }[];
    const unopened = list.find((act) => act.oficio === "09 53 01 9200/0002");
    expect(unopened?.deemedNotifiedAt).toBeTruthy();
    expect(unopened?.businessDaysLeft).toBe(3);
    // Opened: nothing left to count.
    expect(list.find((act) => act.oficio === "09 53 01 9200/0001")?.businessDaysLeft).toBeNull();

    // Its last day to open, on the demo clock: the badge follows the clock that notifies.
    demo.moveTo(Temporal.Instant.from(`${unopened?.openBy}T12:00:00-06:00`));
    await person.goto(`${server.url}/buzon/notificaciones`);
    await person.getByRole("heading", { level: 1, name: n.title }).waitFor();
    const lastDay = person.locator(".notif-card", { hasText: "09 53 01 9200/0002" });
    await lastDay.waitFor();
    expect(await textOf(lastDay.locator(".days-left"))).toBe(n.daysLeft(1));
    await check(person, "ultimo-dia");
    await onPhone(person, "ultimo-dia");
    await lastDay.getByRole("link").click();
    await person.getByRole("heading", { level: 1 }).waitFor();
    expect(await textOf(person.locator(".notif-head .days-left"))).toBe(n.daysLeft(1));
    expect(await person.getByRole("button", { name: n.open.button, exact: true }).count()).toBe(1);

    // The fourth business day at 08:00: still pending, but the three days are over and the
    // server refuses an opening until the law notifies at 09:30 (ADR 0002). The page no longer
    // offers «Abrir con e.firma» and says why, in the server's own words.
    const deemed = Temporal.Instant.from(unopened?.deemedNotifiedAt as string);
    demo.moveTo(deemed.subtract({ minutes: 90 }));
    await person.reload();
    await person.getByRole("heading", { level: 2, name: n.open.closedTitle }).waitFor();
    expect(await person.getByRole("button", { name: n.open.button, exact: true }).count()).toBe(0);
    const main = await textOf(person.locator("main"));
    expect(main).toContain("El plazo de tres días hábiles para abrir este acto terminó el");
    expect(main).toContain("se tiene por notificado por ministerio de ley");
    expect(await textOf(person.locator(".notif-head"))).toContain(n.states.pendiente);
    await check(person, "cuarto-dia-antes-0930");
    await onPhone(person, "cuarto-dia-antes-0930");

    demo.moveTo(deemed.add({ minutes: 1 }));
    await server.system.scheduler.runAll();
    await person.goto(`${server.url}/buzon/notificaciones?ver=notificadas`);
    await person.getByRole("heading", { level: 1, name: n.title }).waitFor();
    const card = person.locator(".notif-card", { hasText: "09 53 01 9200/0002" });
    await card.waitFor();
    expect(await textOf(card)).toContain(n.states.notificada);
    await card.getByRole("link").click();
    const timeline = person.locator(".timeline");
    await timeline.waitFor();
    // The constancia of the fourth business day, with its acuse (Lineamientos 7.5).
    const constancia = timeline.locator('[data-event="constancia_cuarto_dia"]');
    await constancia.waitFor();
    expect(await textOf(constancia)).toContain(n.detail.acuseLink);
    expect(await textOf(person.locator("main"))).toContain(n.notifiedBy.ministerio_de_ley);
    await check(person, "cuarto-dia");

    // The Institute sees the same constancia on the act's page.
    await openStaffAct(staff, "09 53 01 9200/0002");
    const staffConstancia = staff.locator('ol.timeline [data-event="constancia_cuarto_dia"]');
    await staffConstancia.waitFor();
    expect(await textOf(staffConstancia)).toContain(p.act.events.constancia_cuarto_dia);
    expect(await textOf(staffConstancia.locator(".timeline__acuse"))).toMatch(/^Folio: \S+/);
    await check(staff, "personal-acto-cuarto-dia");
    await onPhone(staff, "personal-acto-cuarto-dia");
    expect(pages.jsErrors(person)).toEqual([]);
    expect(pages.jsErrors(staff)).toEqual([]);
  });
});
