import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import type { Browser, BrowserContext, Locator, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCalendar } from "../src/domain/calendar/calendar.ts";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { computePromocion } from "../src/domain/plazos/promocion.ts";
import { type DevSinks, startDevSinks } from "../src/features/delivery/dev-sinks.ts";
import { appendMailboxEvent } from "../src/features/mailbox/store.ts";
import {
  enableMailbox,
  padronWith,
  pdfOf,
  signTerms,
  validatedMeans,
} from "../src/features/notificaciones/test-support.ts";
import {
  filePromocion,
  sessionRequests,
  staffUrl,
} from "../src/features/promociones/test-support.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { createDemoClock, type DemoClock } from "../src/platform/demo-clock.ts";
import { issueFisicaEfirma } from "../src/testing/efirma.ts";
import { startTestServer, TEST_CALENDAR } from "../src/testing/server.ts";
import { signInWith } from "../src/testing/sign-in.ts";
import { formatDate, formatInstant } from "../web/src/format/dates.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  axeViolations,
  launchChromium,
  newTestContext,
  SCREENSHOTS,
  screenshot as saveScreenshot,
  textOf,
  watchPages,
} from "./browser.ts";

/**
 * Issue 12 §6: with the demo clock on a Saturday, a particular writes a promoción with two
 * anexos, hashed and signed with the e.firma in Chromium; its acuse says it is received at 00:00
 * of the next business day (exactly the instant the time engine gives for the instant it was
 * sent), and downloads and verifies, from the acuse and from «Mis expedientes». On that business
 * day an operador finds it in «Atención de promociones», takes it and adds an internal note; the
 * competent servant (a notificador) answers it with an act signed with their e.firma in the
 * browser; the particular sees the answer as a notification in «Mis notificaciones» and on the
 * promoción's page, never the note. Another particular, whose mailbox is no longer enabled when
 * the answer is deposited, finds it on the estrados electrónicos instead: its dates and the link
 * to the act's public card (/estrados/{id}). Every page passes axe at 1280 and 390 px and is
 * photographed.
 */

const pr = es.promociones;

const PARTICULAR = `MAGA8106153K${rfcCheckDigit("MAGA8106153K")}`;
const PARTICULAR_NAME = "MARIA GARCIA ALONSO";
const OPERADOR = `OPRA7702104D${rfcCheckDigit("OPRA7702104D")}`;
const OPERADOR_NAME = "OSCAR PRADO RAMIREZ";
const NOTIFICADOR = `NOTA7905126H${rfcCheckDigit("NOTA7905126H")}`;
const NOTIFICADOR_NAME = "NORMA TAPIA ARELLANO";
const NOTE = "Revisar con cobranza el pago del 17 de noviembre antes de responder.";
const OFICIO = "09 53 01 9200/2026/0412";
const SUBJECT = "Aclaración de cuotas de noviembre";
// A second particular, whose mailbox stops being enabled after filing: the answer goes to estrados.
const SIN_BUZON = `ROVE7503218M${rfcCheckDigit("ROVE7503218M")}`;
const SIN_BUZON_NAME = "ROSA VEGA ESTRADA";
const SIN_BUZON_SUBJECT = "Aclaración de la prima de riesgo de trabajo";
const SIN_BUZON_OFICIO = "09 53 01 9200/2026/0413";

// The refusals the flow provokes on purpose answer 4xx, which the browser logs.
// Refusals the pages expect, and the filing whose answer the test cuts on purpose.
const pages = watchPages({ ignoreConsoleError: /status of 4(03|13|22)|net::ERR_CONNECTION_RESET/ });

let sinks: DevSinks;
let server: Awaited<ReturnType<typeof startTestServer>>;
let browser: Browser;
let demo: DemoClock;
let particular: IssuedEfirma;
let operador: IssuedEfirma;
let notificador: IssuedEfirma;
let sinBuzon: IssuedEfirma;
let files: string;

const zona = (instant: Temporal.Instant) => instant.toZonedDateTimeISO("America/Mexico_City");

/** The next Saturday at 11:00 Zona Centro, at least a day ahead. */
function nextSaturdayMorning(): Temporal.Instant {
  let day = Temporal.Now.zonedDateTimeISO("America/Mexico_City").toPlainDate().add({ days: 1 });
  while (day.dayOfWeek !== 6) day = day.add({ days: 1 });
  return day.toZonedDateTime({ timeZone: "America/Mexico_City", plainTime: "11:00" }).toInstant();
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  demo = createDemoClock(join(await mkdtemp(join(tmpdir(), "reloj-")), "reloj.json"));
  sinks = await startDevSinks();
  server = await startTestServer({
    trustDevCa: true,
    demo: { clock: demo, sinks },
    env: { SMTP_URL: sinks.smtpUrl, SMS_GATEWAY_URL: sinks.smsUrl },
  });
  particular = await issueFisicaEfirma(PARTICULAR, PARTICULAR_NAME);
  operador = await issueFisicaEfirma(OPERADOR, OPERADOR_NAME);
  notificador = await issueFisicaEfirma(NOTIFICADOR, NOTIFICADOR_NAME);
  sinBuzon = await issueFisicaEfirma(SIN_BUZON, SIN_BUZON_NAME);
  await server.system.staff.set({ rfc: OPERADOR, role: "operador", name: OPERADOR_NAME }, "e2e");
  await server.system.staff.set(
    { rfc: NOTIFICADOR, role: "notificador", name: NOTIFICADOR_NAME },
    "e2e",
  );
  demo.moveTo(nextSaturdayMorning());
  const db = server.system.database.db;
  // In the padrón: the answer is an act notified to this RFC.
  await padronWith(db, [{ rfc: PARTICULAR }], demo.clock());
  await validatedMeans(db, PARTICULAR, "correo", "maria.garcia@ejemplo.mx", demo.clock());
  await validatedMeans(db, PARTICULAR, "celular", "+525512345678", demo.clock());
  await signTerms(db, PARTICULAR, demo.clock());
  files = await mkdtemp(join(tmpdir(), "promocion-"));
  await writeFile(join(files, "escrito-aclaracion.pdf"), pdfOf("escrito-aclaracion.pdf"));
  await writeFile(
    join(files, "cuotas.xml"),
    '<?xml version="1.0" encoding="UTF-8"?>\n<cuotas periodo="2026-11"><importe>1520.00</importe></cuotas>\n',
  );
  await writeFile(join(files, "falso.pdf"), "esto no es un PDF");
  await writeFile(join(files, "respuesta-aclaracion.pdf"), pdfOf("respuesta-aclaracion.pdf"));
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
  await saveScreenshot(page, `promociones-${name}`);
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

async function fillEfirma(page: Page, who: IssuedEfirma): Promise<void> {
  const t = es.signIn;
  await page.getByLabel(t.certificate, { exact: true }).setInputFiles(who.cerPath);
  await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(who.keyPath);
  await page.getByLabel(t.password, { exact: true }).fill(who.password);
}

/** The value of the row `label` of a definition list (a `.facts` or a `.summary`). */
function rowOf(list: Locator, label: string): Promise<string> {
  return textOf(list.locator(`xpath=.//dt[normalize-space()="${label}"]/following-sibling::dd[1]`));
}

const run = promisify(execFile);

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("Promociones electrónicas en el navegador", () => {
  let person: Page;
  let personContext: BrowserContext;

  it("el particular presenta en sábado una promoción con dos anexos y la recibe el día hábil siguiente a las 00:00", {
    timeout: 300_000,
  }, async () => {
    personContext = await newTestContext(browser, 1280, { acceptDownloads: true });
    person = await pages.open(personContext, `${server.url}/acceso`);
    await signIn(person, particular, PARTICULAR_NAME);
    await person.getByRole("link", { name: pr.menu, exact: true }).click();
    await person.getByRole("heading", { level: 1, name: pr.title }).waitFor();
    expect(await textOf(person.locator("main"))).toContain(pr.empty);
    await check(person, "lista-vacia");
    await onPhone(person, "lista-vacia");

    await person.getByRole("link", { name: pr.newAction, exact: true }).click();
    await person.getByRole("heading", { level: 1, name: pr.compose.title }).waitFor();
    const c = pr.compose;

    // Nothing filled: every error at once, in the server's own words.
    await person.getByRole("button", { name: c.submit, exact: true }).click();
    await person.locator(".error-summary").waitFor();
    expect(await textOf(person.locator(".error-summary"))).toContain(c.errors.typeMissing);
    // Type, subject, text and the three of the e.firma, each a link to its own field.
    const links = person.locator(".error-summary li a");
    const targets = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(targets).toEqual([
      "#promocion-tipo",
      "#promocion-asunto",
      "#promocion-escrito",
      "#promocion-certificado",
      "#promocion-llave",
      "#promocion-contrasena",
    ]);
    for (const target of targets) {
      expect(await person.locator(`${target}[aria-invalid="true"]`).count(), target).toBe(1);
    }
    await links.nth(2).click();
    expect(await person.evaluate(() => document.activeElement?.id)).toBe("promocion-escrito");
    await check(person, "nueva-vacia");

    await person.getByLabel(c.type, { exact: true }).selectOption("aclaracion_orientacion");
    await person.getByLabel(c.subject, { exact: true }).fill(SUBJECT);
    await person
      .getByLabel(c.text, { exact: true })
      .fill(
        "Solicito la aclaración de las cuotas de noviembre de 2026.\nAdjunto el escrito y el detalle.",
      );

    // A «.pdf» that is not a PDF is refused here, before anything is signed.
    await person.getByLabel(c.files, { exact: true }).setInputFiles(join(files, "falso.pdf"));
    await fillEfirma(person, particular);
    await person.getByRole("button", { name: c.submit, exact: true }).click();
    // The summary of the first attempt stays until this one's answer replaces it.
    const summary = person.locator(".error-summary", { hasText: "«falso.pdf» se llama como PDF" });
    await summary.waitFor();
    await check(person, "nueva-errores");

    // The two anexos: hashed in the browser as they are chosen.
    const pdf = await readFile(join(files, "escrito-aclaracion.pdf"));
    const xml = await readFile(join(files, "cuotas.xml"));
    await person
      .getByLabel(c.files, { exact: true })
      .setInputFiles([join(files, "escrito-aclaracion.pdf"), join(files, "cuotas.xml")]);
    const chosen = person.locator(".promocion-files");
    await chosen.waitFor();
    expect(await textOf(chosen)).toContain(sha256(pdf));
    expect(await textOf(chosen)).toContain(sha256(xml));

    // A draft first (no e.firma needed), then resumed from the list.
    await person.getByRole("button", { name: c.saveDraft, exact: true }).click();
    await person.getByText(/^Borrador guardado el/).waitFor();
    await person.getByRole("link", { name: c.back, exact: true }).click();
    await person.getByRole("heading", { level: 1, name: pr.title }).waitFor();
    const drafts = person.locator("section[aria-labelledby=borradores]");
    expect(await textOf(drafts)).toContain(SUBJECT);
    await check(person, "lista-borrador");
    await drafts.getByRole("link", { name: new RegExp(`^${pr.draftResume}`) }).click();
    await person.getByRole("heading", { level: 1, name: c.title }).waitFor();
    expect(await person.getByLabel(c.subject, { exact: true }).inputValue()).toBe(SUBJECT);
    expect(await textOf(person.locator("main"))).toContain(c.draftFileMissing);
    await person
      .getByLabel(c.files, { exact: true })
      .setInputFiles([join(files, "escrito-aclaracion.pdf"), join(files, "cuotas.xml")]);
    await person.locator(".promocion-files").waitFor();
    await check(person, "nueva");
    await onPhone(person, "nueva");

    // Another e.firma than the session's: refused in the browser, in Spanish.
    await fillEfirma(person, operador);
    await person.getByRole("button", { name: c.submit, exact: true }).click();
    await person
      .locator(".error-summary", { hasText: c.errors.notSessionEfirma(OPERADOR, PARTICULAR) })
      .waitFor();

    // A manifest to sign that is not this promoción (an anexo's hash changed on the way): the
    // browser refuses to sign it, says so in Spanish, and sends nothing.
    await fillEfirma(person, particular);
    let filings = 0;
    const countFilings = (request: Request) => {
      if (
        new URL(request.url()).pathname === "/api/v1/promociones" &&
        request.method() === "POST"
      ) {
        filings++;
      }
    };
    person.on("request", countFilings);
    await person.route(
      "**/api/v1/promociones/desafio",
      async (route) => {
        const response = await route.fetch();
        const json = (await response.json()) as { toSign: string };
        json.toSign = json.toSign.replace(sha256(xml), "0".repeat(64));
        await route.fulfill({ response, json });
      },
      { times: 1 },
    );
    await person.getByRole("button", { name: c.submit, exact: true }).click();
    await person.getByText(c.errors.manifestMismatch(c.manifestParts.anexos)).waitFor();
    person.off("request", countFilings);
    expect(filings).toBe(0);
    await check(person, "nueva-manifiesto-ajeno");

    // The answer is lost on the way back (the connection drops after the server filed it): the
    // page says so, and sending again sends the same signed challenge — the server answers the
    // promoción it already filed instead of filing a second one with a second acuse.
    await fillEfirma(person, particular);
    let challenges = 0;
    const countChallenges = (request: Request) => {
      if (new URL(request.url()).pathname === "/api/v1/promociones/desafio") challenges++;
    };
    person.on("request", countChallenges);
    let lost: { id: string; acuse: { folio: string } } | undefined;
    await person.route(
      "**/api/v1/promociones",
      async (route) => {
        if (route.request().method() !== "POST") return route.fallback();
        const response = await route.fetch();
        lost = (await response.json()) as typeof lost;
        await route.abort("connectionreset");
      },
      { times: 1 },
    );
    await person.getByRole("button", { name: c.submit, exact: true }).click();
    await person.getByText(c.errors.answerLost).waitFor();
    expect(lost?.acuse.folio).toMatch(/^BI-/);
    await check(person, "nueva-sin-respuesta");

    // Signed and filed: the server's answer (§5) is kept to compare the page with.
    await fillEfirma(person, particular);
    const [filing] = await Promise.all([
      person.waitForResponse(
        (r) =>
          new URL(r.url()).pathname === "/api/v1/promociones" && r.request().method() === "POST",
        { timeout: 60_000 },
      ),
      person.getByRole("button", { name: c.submit, exact: true }).click(),
    ]);
    expect(filing.status()).toBe(201);
    const filedJson = (await filing.json()) as {
      id: string;
      receivedAt: string;
      acuse: { folio: string; codigo: string };
    };
    person.off("request", countChallenges);
    expect(challenges).toBe(1);
    expect(filedJson.id).toBe(lost?.id);
    expect(filedJson.acuse.folio).toBe(lost?.acuse.folio);
    const { rows: filed } = await sql<{ n: string }>`
      select count(*) as n from promociones where subject = ${SUBJECT}`.execute(
      server.system.database.db,
    );
    expect(Number(filed[0]?.n)).toBe(1);
    await person
      .getByRole("heading", { level: 1, name: c.filedTitle })
      .waitFor({ timeout: 60_000 });
    // The instant it was sent, as the list of the API gives it: a Saturday on the demo clock.
    const listed = await personContext.request.get(`${server.url}/api/v1/promociones`);
    expect(listed.status()).toBe(200);
    const own = (
      (await listed.json()) as { id: string; sentAt: string; receivedAt: string }[]
    ).find((p) => p.id === filedJson.id);
    expect(own?.receivedAt).toBe(filedJson.receivedAt);
    const sentAt = Temporal.Instant.from(own?.sentAt ?? "");
    expect(zona(sentAt).dayOfWeek).toBe(6);
    // Received when the time engine says (rule f, Lineamientos 6.3), on the calendar the server
    // loaded: 00:00 of the next business day, whatever the date of the run.
    expect((await server.system.calendars.calendar()).version).toBe(TEST_CALENDAR.version);
    const calendar = createCalendar(TEST_CALENDAR);
    const expected = computePromocion(calendar, sentAt);
    const receivedAt = Temporal.Instant.from(expected.receivedAt);
    expect(Temporal.Instant.from(filedJson.receivedAt).equals(receivedAt)).toBe(true);
    // That instant is 00:00 of the first business day after the Saturday (a Monday, or later
    // when the Monday is a holiday).
    const receivedDay = zona(receivedAt);
    expect(receivedDay.toPlainTime().toString()).toBe("00:00:00");
    expect(calendar.isBusinessDay(receivedDay.toPlainDate())).toBe(true);
    for (
      let day = zona(sentAt).toPlainDate();
      Temporal.PlainDate.compare(day, receivedDay.toPlainDate()) < 0;
      day = day.add({ days: 1 })
    ) {
      expect(calendar.isBusinessDay(day), day.toString()).toBe(false);
    }
    // The page says exactly that instant, as the web writes it.
    expect(await textOf(person.locator(".registered__title"))).toBe(
      c.filedLead(formatInstant(expected.receivedAt)),
    );
    const folio = await textOf(person.locator(".acuse-ref dd").first());
    expect(folio).toBe(filedJson.acuse.folio);
    await check(person, "acuse");
    await onPhone(person, "acuse");

    // The acuse's PDF downloads; its verification page verifies it.
    const [download] = await Promise.all([
      person.waitForEvent("download"),
      person.getByRole("link", { name: new RegExp(`^${es.acuse.pdf}`) }).click(),
    ]);
    const pdfPath = await download.path();
    expect((await readFile(pdfPath)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    await person.getByRole("link", { name: new RegExp(`^${es.acuse.verify}`) }).click();
    await person.waitForURL(/\/verificacion\//);
    await person
      .getByRole("heading", { level: 2, name: es.verification.verdicts.autentico, exact: true })
      .waitFor();
    await saveScreenshot(person, "promociones-verificacion");

    // «Mis promociones»: the new one, received, with its two instants.
    await person.goto(`${server.url}/buzon/promociones`);
    await person.getByRole("heading", { level: 1, name: pr.title }).waitFor();
    const row = person.locator("tbody tr").first();
    expect(await textOf(row)).toContain(SUBJECT);
    expect(await textOf(row)).toContain(pr.states.recibida);
    expect(await person.locator("section[aria-labelledby=borradores]").textContent()).toContain(
      pr.draftsEmpty,
    );
    await check(person, "lista");
    await onPhone(person, "lista");
    await row.getByRole("link", { name: SUBJECT }).click();
    await person.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    expect(await textOf(person.locator(".timeline"))).toContain(pr.detail.events.recibida);
    expect(await textOf(person.locator("main"))).toContain(sha256(xml));
    await check(person, "detalle");
    await onPhone(person, "detalle");
    // The signature the acuse lists, and the manifest it signs, downloaded from the page: the
    // acuse's SHA-256, and OpenSSL verifies one over the other.
    const signature = person.locator("section[aria-labelledby=firma-promocion]");
    const saveDownload = async (name: string) => {
      const [file] = await Promise.all([
        person.waitForEvent("download"),
        signature.getByRole("link", { name, exact: true }).click(),
      ]);
      const path = join(files, file.suggestedFilename());
      await file.saveAs(path);
      return path;
    };
    const manifestPath = await saveDownload(pr.detail.manifestDownload);
    const p7sPath = await saveDownload(pr.detail.signatureDownload);
    expect([manifestPath, p7sPath].map((path) => path.slice(files.length + 1))).toEqual([
      "manifiesto-firmado.txt",
      "firma-promocion.p7s",
    ]);
    const p7s = await readFile(p7sPath);
    const sealed = (await server.system.evidence.acuseByFolio(folio))?.documents;
    expect(sealed?.find((d) => d.name === "firma-promocion.p7s")?.sha256).toBe(sha256(p7s));
    expect(sealed?.find((d) => d.name === "manifiesto-firmado.txt")?.sha256).toBe(
      sha256(await readFile(manifestPath)),
    );
    expect(await textOf(signature)).toContain(sha256(p7s));
    const verified = await run("openssl", [
      ...["cms", "-verify", "-binary", "-inform", "DER", "-in", p7sPath],
      ...["-content", manifestPath, "-noverify", "-out", "/dev/null"],
    ]);
    expect(verified.stderr).toContain("Verification successful");

    // «Mis expedientes»: the promoción, sent on the Saturday, with its acuse to download and
    // verify.
    const x = es.expedientes;
    await person.getByRole("link", { name: x.menu.expedientes, exact: true }).first().click();
    await person.getByRole("heading", { level: 1, name: x.lista.title }).waitFor();
    const card = person.locator(".expediente-card").filter({ hasText: SUBJECT });
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await textOf(card)).toContain(x.lista.claseLabel.promocion);
    expect(await textOf(card.locator("time"))).toBe(formatInstant(sentAt.toString()));
    expect(await textOf(card.locator(".expediente-acuses"))).toContain(x.lista.acuseFolio(folio));
    await check(person, "mis-expedientes");
    await onPhone(person, "mis-expedientes");
    const [acuse] = await Promise.all([
      person.waitForEvent("download"),
      card.getByRole("link", { name: `${x.lista.acusePdf}${x.lista.acuseContext(folio)}` }).click(),
    ]);
    const acusePath = join(files, "acuse-expedientes.pdf");
    await acuse.saveAs(acusePath);
    expect((await readFile(acusePath)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const acuseText = (await run("pdftotext", ["-enc", "UTF-8", acusePath, "-"])).stdout;
    expect(acuseText).toContain(folio);
    await card
      .getByRole("link", { name: `${x.lista.acuseVerify}${x.lista.acuseContext(folio)}` })
      .click();
    await person.waitForURL(
      (url) =>
        url.pathname === `/verificacion/${encodeURIComponent(folio)}` &&
        url.searchParams.get("codigo") === filedJson.acuse.codigo,
    );
    await person
      .getByRole("heading", { level: 2, name: es.verification.verdicts.autentico, exact: true })
      .waitFor();
    expect(await textOf(person.locator("main"))).toContain(folio);
    await check(person, "mis-expedientes-verificacion");
    await onPhone(person, "mis-expedientes-verificacion");
    expect(pages.jsErrors(person)).toEqual([]);
  });

  it("en el día hábil el personal la toma, anota y la responde con una notificación firmada; el particular ve la respuesta y nunca la nota", {
    timeout: 300_000,
  }, async () => {
    const st = pr.staff;
    const db = server.system.database.db;
    const filed = await db
      .selectFrom("promociones")
      .select(["id", "received_at"])
      .where("rfc", "=", PARTICULAR)
      .executeTakeFirstOrThrow();
    // 10:00 of the business day it was received: the act's aviso counts at once (rule a).
    demo.moveTo(
      Temporal.Instant.fromEpochMilliseconds(filed.received_at.getTime()).add({ hours: 10 }),
    );

    // The operador: the queue, filtered, then the promoción.
    const staffContext = await newTestContext(browser, 1280, { acceptDownloads: true });
    const staff = await pages.open(staffContext, `${server.url}/acceso`);
    await signIn(staff, operador, OPERADOR_NAME);
    await staff.goto(`${server.url}/personal/notificaciones`);
    await staff.getByRole("link", { name: st.nav, exact: true }).click();
    await staff.getByRole("heading", { level: 1, name: st.title }).waitFor();
    const row = staff.locator(`tr[data-promocion="${filed.id}"]`);
    expect(await textOf(row)).toContain(SUBJECT);
    expect(await textOf(row)).toContain(pr.states.recibida);
    expect(await textOf(row)).toContain(st.unassigned);
    await staff.getByLabel(st.filters.state, { exact: true }).selectOption("recibida");
    await staff.getByLabel(st.filters.rfc, { exact: true }).fill(PARTICULAR);
    await staff.getByRole("button", { name: st.filters.apply, exact: true }).click();
    await staff.waitForURL(/estado=recibida/);
    await row.waitFor();
    await check(staff, "personal-bandeja");
    await onPhone(staff, "personal-bandeja");
    await staff.getByLabel(st.filters.state, { exact: true }).selectOption("respondida");
    await staff.getByRole("button", { name: st.filters.apply, exact: true }).click();
    await staff.waitForURL(/estado=respondida/);
    await staff.getByText(st.empty).waitFor();

    await staff.goto(`${server.url}/personal/promociones`);
    await row.getByRole("link", { name: SUBJECT }).click();
    await staff.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    // The anexos, downloadable one by one.
    const [anexo] = await Promise.all([
      staff.waitForEvent("download"),
      staff
        .getByRole("link", { name: `${st.download}${st.downloadContext("cuotas.xml")}` })
        .click(),
    ]);
    expect(sha256(await readFile(await anexo.path()))).toBe(
      sha256(await readFile(join(files, "cuotas.xml"))),
    );
    // Saved under the name signed: it already ends with the extension of what its bytes are.
    expect(anexo.suggestedFilename()).toBe("cuotas.xml");
    // The e.firma's signature the acuse lists, as the particular gets it.
    const [firma] = await Promise.all([
      staff.waitForEvent("download"),
      staff.getByRole("link", { name: pr.detail.signatureDownload, exact: true }).click(),
    ]);
    expect(firma.suggestedFilename()).toBe("firma-promocion.p7s");
    expect(await readFile(await firma.path())).toEqual(
      await readFile(join(files, "firma-promocion.p7s")),
    );
    await staff.getByRole("button", { name: st.take, exact: true }).dblclick();
    await staff.getByText(st.done.en_atencion ?? "").waitFor();
    expect(await textOf(staff.locator(".facts").first())).toContain(OPERADOR);
    await staff.getByLabel(st.note, { exact: true }).fill(NOTE);
    await staff.getByRole("button", { name: st.addNote, exact: true }).click();
    await staff.getByText(st.done.nota_interna ?? "").waitFor();
    expect(await textOf(staff.locator(".atencion-notes"))).toContain(NOTE);
    // An operador answers with a comunicado, never with an act: no signing form here.
    expect(await staff.getByRole("heading", { name: st.answerTitle }).count()).toBe(0);
    await check(staff, "personal-atencion");
    await onPhone(staff, "personal-atencion");
    // One take, however many clicks.
    const takes = await db
      .selectFrom("promocion_events")
      .select("type")
      .where("promocion_id", "=", filed.id)
      .where("type", "=", "en_atencion")
      .execute();
    expect(takes).toHaveLength(1);

    // The competent servant signs the answer with their own e.firma, in the browser.
    const servantContext = await newTestContext(browser, 1280);
    const servant = await pages.open(servantContext, `${server.url}/acceso`);
    await signIn(servant, notificador, NOTIFICADOR_NAME);
    await servant.goto(`${server.url}/personal/promociones`);
    await servant.getByRole("heading", { level: 1, name: st.title }).waitFor();
    await servant
      .locator(`tr[data-promocion="${filed.id}"]`)
      .getByRole("link", { name: SUBJECT })
      .click();
    await servant.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    expect(await textOf(servant.locator("main"))).toContain(NOTE);
    await servant.getByLabel(st.actType, { exact: true }).selectOption("7.1");
    await servant.getByLabel(st.oficio, { exact: true }).fill(OFICIO);
    await servant.getByLabel(st.issuingUnit, { exact: true }).fill("Subdelegación Centro");
    await servant
      .getByLabel(st.document, { exact: true })
      .setInputFiles(join(files, "respuesta-aclaracion.pdf"));
    await fillEfirma(servant, notificador);
    await check(servant, "personal-responder");
    await onPhone(servant, "personal-responder");
    await servant.getByRole("button", { name: st.signAndAnswer, exact: true }).click();
    await servant.getByText(st.done.respondida ?? "").waitFor({ timeout: 60_000 });
    expect(await textOf(servant.locator(".facts").first())).toContain(OFICIO);
    expect(await textOf(servant.locator(".timeline"))).toContain(pr.detail.events.respondida);
    await check(servant, "personal-respondida");
    await onPhone(servant, "personal-respondida");

    // The particular: the answer in «Mis notificaciones» and on the promoción's page.
    await person.goto(`${server.url}/buzon/notificaciones`);
    await person.getByRole("heading", { level: 1 }).first().waitFor();
    await person.getByText(OFICIO, { exact: false }).first().waitFor();
    await check(person, "mis-notificaciones-respuesta");
    await onPhone(person, "mis-notificaciones-respuesta");
    await person.goto(`${server.url}/buzon/promociones/${filed.id}`);
    await person.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    const answer = person.locator(".promocion-answer");
    expect(await textOf(answer)).toContain(OFICIO);
    const timeline = await textOf(person.locator(".timeline"));
    expect(timeline).toContain(pr.detail.events.en_atencion);
    expect(timeline).toContain(pr.detail.events.respondida);
    const main = await textOf(person.locator("main"));
    expect(main).not.toContain(NOTE);
    expect(main).not.toContain(pr.detail.events.nota_interna);
    expect(main).not.toContain(OPERADOR);
    await check(person, "respondida");
    await onPhone(person, "respondida");
    await answer.getByRole("link", { name: pr.detail.openNotificacion }).click();
    await person.waitForURL(/\/buzon\/notificaciones\/[0-9a-f-]{36}$/);
    await person.getByText(OFICIO, { exact: false }).first().waitFor();
    await check(person, "respuesta-notificacion");
    for (const page of [person, staff, servant]) expect(pages.jsErrors(page)).toEqual([]);
    await staffContext.close();
    await servantContext.close();
  });

  it("el operador responde otra con un comunicado y concluye una tercera; el particular ve el comunicado y el motivo", {
    timeout: 300_000,
  }, async () => {
    const st = pr.staff;
    // Two more promociones of the same particular, filed through the API on the business day.
    const session = await signInWith(server.system.app, particular);
    const informativa = await filePromocion(server.system.app, session, [], "Consulta informativa");
    const complemento = await filePromocion(server.system.app, session, [], "Complemento");
    const REASON =
      "La complementa la promoción «Aclaración de cuotas de noviembre», ya respondida.";

    const staffContext = await newTestContext(browser, 1280);
    const staff = await pages.open(staffContext, `${server.url}/acceso`);
    await signIn(staff, operador, OPERADOR_NAME);
    await staff.goto(`${server.url}/personal/promociones?estado=recibida`);
    await staff.getByRole("heading", { level: 1, name: st.title }).waitFor();
    expect(await staff.locator("tbody tr").count()).toBe(2);
    await staff
      .locator(`tr[data-promocion="${informativa.id}"]`)
      .getByRole("link", { name: "Consulta informativa" })
      .click();
    await staff.getByRole("heading", { level: 1, name: "Consulta informativa" }).waitFor();
    // Not yet taken: no comunicado to answer with.
    expect(await staff.getByRole("heading", { name: st.comunicadoTitle }).count()).toBe(0);
    await staff.getByRole("button", { name: st.take, exact: true }).click();
    await staff.getByText(st.done.en_atencion ?? "").waitFor();
    await staff.getByRole("button", { name: st.sendComunicado, exact: true }).click();
    await staff.locator(".field-error").first().waitFor();
    expect(await textOf(staff.locator("main"))).toContain(st.errors.titleMissing);
    await staff.getByLabel(st.comunicadoSubject, { exact: true }).fill("Respuesta a su consulta");
    await staff
      .getByLabel(st.comunicadoBody, { exact: true })
      .fill("Sus cuotas de noviembre de 2026 están al corriente.");
    await check(staff, "personal-comunicado");
    await staff.getByRole("button", { name: st.sendComunicado, exact: true }).click();
    await staff.getByText(st.done.respondida ?? "").waitFor();
    expect(await textOf(staff.locator(".facts").first())).toContain("Respuesta a su consulta");

    await staff.goto(`${server.url}/personal/promociones/${complemento.id}`);
    await staff.getByRole("heading", { level: 1, name: "Complemento" }).waitFor();
    await staff.getByLabel(st.concludeReason, { exact: true }).fill(REASON);
    await staff.getByRole("button", { name: st.conclude, exact: true }).click();
    await staff.getByText(st.done.concluida ?? "").waitFor();
    expect(await textOf(staff.locator(".timeline"))).toContain(REASON);
    await check(staff, "personal-concluida");
    await onPhone(staff, "personal-concluida");

    // The particular: the comunicado opens from the promoción; the reason is in its timeline.
    await person.goto(`${server.url}/buzon/promociones/${informativa.id}`);
    await person.getByRole("heading", { level: 1, name: "Consulta informativa" }).waitFor();
    await check(person, "respondida-comunicado");
    await person
      .locator(".promocion-answer")
      .getByRole("link", { name: pr.detail.openComunicado })
      .click();
    await person.waitForURL(/\/buzon\/comunicados\?abierto=/);
    await person.getByText("Sus cuotas de noviembre de 2026 están al corriente.").waitFor();
    await check(person, "comunicado-respuesta");
    await person.goto(`${server.url}/buzon/promociones/${complemento.id}`);
    await person.getByRole("heading", { level: 1, name: "Complemento" }).waitFor();
    expect(await textOf(person.locator(".timeline"))).toContain(REASON);
    await check(person, "concluida");
    await onPhone(person, "concluida");
    for (const page of [person, staff]) expect(pages.jsErrors(page)).toEqual([]);
    await staffContext.close();
  });

  it("el notificador cancela el acto de la respuesta: la promoción vuelve a atención y ambas líneas de tiempo lo dicen", {
    timeout: 300_000,
  }, async () => {
    const p = es.personal;
    const MOTIVO = "El oficio se numeró con el consecutivo de otra subdelegación.";
    const filed = await server.system.database.db
      .selectFrom("promociones")
      .select("id")
      .where("rfc", "=", PARTICULAR)
      .where("subject", "=", SUBJECT)
      .executeTakeFirstOrThrow();

    const servantContext = await newTestContext(browser, 1280);
    const servant = await pages.open(servantContext, `${server.url}/acceso`);
    await signIn(servant, notificador, NOTIFICADOR_NAME);
    await servant.goto(`${server.url}/personal/notificaciones`);
    await servant.getByRole("heading", { level: 1, name: p.list.title }).waitFor();
    const act = servant.locator(".notif-card", { hasText: OFICIO });
    await act.getByRole("button", { name: new RegExp(`^${p.cancel.button}`) }).click();
    const dialog = servant.getByRole("dialog", { name: p.cancel.title });
    await dialog.getByLabel(p.cancel.motivo, { exact: true }).fill(MOTIVO);
    await dialog.getByRole("button", { name: p.cancel.accept, exact: true }).click();
    await servant.locator(".registered", { hasText: p.cancel.done(OFICIO) }).waitFor();

    // The staff: en atención again, the step with the act and the motive.
    await servant.goto(`${server.url}/personal/promociones/${filed.id}`);
    await servant.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    expect(await textOf(servant.locator(".facts").first())).toContain(pr.states.en_atencion);
    const staffTimeline = await textOf(servant.locator(".timeline"));
    expect(staffTimeline).toContain(pr.detail.events.respuesta_cancelada);
    expect(staffTimeline).toContain(MOTIVO);
    // Answerable again: the signing form is back.
    await servant.getByRole("button", { name: pr.staff.signAndAnswer, exact: true }).waitFor();
    await check(servant, "personal-respuesta-cancelada");
    await onPhone(servant, "personal-respuesta-cancelada");

    // The particular: the step, without the motive, the staff or an answer.
    await person.goto(`${server.url}/buzon/promociones/${filed.id}`);
    await person.getByRole("heading", { level: 1, name: SUBJECT }).waitFor();
    expect(await textOf(person.locator(".timeline"))).toContain(
      pr.detail.events.respuesta_cancelada,
    );
    const main = await textOf(person.locator("main"));
    expect(main).not.toContain(MOTIVO);
    expect(main).not.toContain(NOTIFICADOR);
    expect(main).not.toContain(OPERADOR);
    expect(await person.locator(".promocion-answer").count()).toBe(0);
    await check(person, "respuesta-cancelada");
    await onPhone(person, "respuesta-cancelada");
    for (const page of [person, servant]) expect(pages.jsErrors(page)).toEqual([]);
    await servantContext.close();
  });

  it("una respuesta cuyo acto fue a estrados (el buzón ya no habilitado) lleva a su publicación, con sus fechas, también a 390 px", {
    timeout: 300_000,
  }, async () => {
    const st = pr.staff;
    const d = pr.detail;
    const app = server.system.app;
    const db = server.system.database.db;
    const { get, post } = sessionRequests(app);
    // Another particular, with an enabled mailbox when filing (through the API).
    await padronWith(db, [{ rfc: SIN_BUZON }], demo.clock());
    await enableMailbox(db, SIN_BUZON, demo.clock());
    const session = await signInWith(app, sinBuzon);
    const filed = await filePromocion(app, session, [], SIN_BUZON_SUBJECT);
    // 10:00 of the business day it is received (or now, if later): the act is deposited in
    // business hours and its publication on the estrados counts at once.
    const tenOClock = Temporal.Instant.from(filed.receivedAt)
      .toZonedDateTimeISO("America/Mexico_City")
      .toPlainDate()
      .toZonedDateTime({ timeZone: "America/Mexico_City", plainTime: "10:00" })
      .toInstant();
    if (Temporal.Instant.compare(demo.clock(), tenOClock) < 0) demo.moveTo(tenOClock);
    // As in the service's test: the particular removes the phone, the mailbox is no longer
    // enabled, and the operador takes the promoción.
    const phone = await db
      .selectFrom("mailbox_means")
      .select("id")
      .where("rfc", "=", SIN_BUZON)
      .where("kind", "=", "celular")
      .executeTakeFirstOrThrow();
    await appendMailboxEvent(db, {
      type: "medio_eliminado",
      rfc: SIN_BUZON,
      at: demo.clock(),
      data: { meansId: phone.id },
    });
    const taken = await post(await signInWith(app, operador), staffUrl(filed.id, "/atencion"), {});
    expect(taken.statusCode, taken.body).toBe(200);

    // The competent servant answers with an act signed in the browser; their page says where
    // it went.
    const servantContext = await newTestContext(browser, 1280);
    const servant = await pages.open(servantContext, `${server.url}/acceso`);
    await signIn(servant, notificador, NOTIFICADOR_NAME);
    await servant.goto(`${server.url}/personal/promociones/${filed.id}`);
    await servant.getByRole("heading", { level: 1, name: SIN_BUZON_SUBJECT }).waitFor();
    await servant.getByLabel(st.actType, { exact: true }).selectOption("7.1");
    await servant.getByLabel(st.oficio, { exact: true }).fill(SIN_BUZON_OFICIO);
    await servant.getByLabel(st.issuingUnit, { exact: true }).fill("Subdelegación Centro");
    await servant
      .getByLabel(st.document, { exact: true })
      .setInputFiles(join(files, "respuesta-aclaracion.pdf"));
    await fillEfirma(servant, notificador);
    await servant.getByRole("button", { name: st.signAndAnswer, exact: true }).click();
    await servant.getByText(st.done.respondida ?? "").waitFor({ timeout: 60_000 });
    const staffAnswer = await rowOf(servant.locator(".facts").first(), st.answer);
    expect(staffAnswer).toContain(SIN_BUZON_OFICIO);
    expect(staffAnswer).toContain(st.answerByEstrados);
    await check(servant, "personal-respondida-estrados");
    await onPhone(servant, "personal-respondida-estrados");
    const act = await db
      .selectFrom("notificaciones")
      .select(["id", "estrados"])
      .where("rfc", "=", SIN_BUZON)
      .where("oficio", "=", SIN_BUZON_OFICIO)
      .executeTakeFirstOrThrow();
    expect(act.estrados).toBe(true);
    // The dates the page must show: the API's, in the page's own Spanish.
    const own = await get(session, `/api/v1/promociones/${filed.id}`);
    expect(own.statusCode, own.body).toBe(200);
    const place = own.json().answer.estrados;
    expect(place.status).toBe("en_publicacion");

    // The particular, on a phone: the answer is on the estrados, with its dates and the link.
    const personContext = await newTestContext(browser, 390);
    const person = await pages.open(personContext, `${server.url}/acceso`);
    await signIn(person, sinBuzon, SIN_BUZON_NAME);
    await person.goto(`${server.url}/buzon/promociones/${filed.id}`);
    await person.getByRole("heading", { level: 1, name: SIN_BUZON_SUBJECT }).waitFor();
    const answer = person.locator(".promocion-answer");
    expect(await textOf(answer)).toContain(d.answerByEstrados(SIN_BUZON_OFICIO));
    const facts = answer.locator(`dl.facts[aria-label="${d.estradosFacts}"]`);
    const shown = {
      publishedAt: await rowOf(facts, d.estradosPublishedAt),
      days: await rowOf(facts, d.estradosDays),
      notifiedOn: await rowOf(facts, d.estradosNotifiedOn),
      effectiveOn: await rowOf(facts, d.estradosEffectiveOn),
    };
    expect(shown).toEqual({
      publishedAt: formatInstant(place.publishedAt),
      days: d.estradosFromTo(
        formatDate(place.firstPublicationDay),
        formatDate(place.lastPublicationDay),
      ),
      notifiedOn: d.estradosNotifiedOnValue(formatDate(place.notifiedOn)),
      effectiveOn: formatDate(place.effectiveOn),
    });
    expect(await rowOf(facts, d.estradosListedUntil)).toBe(formatDate(place.listedUntil));
    // Never a way into «Mis notificaciones», where the act is not.
    expect(await answer.getByRole("link", { name: d.openNotificacion }).count()).toBe(0);
    const link = answer.getByRole("link", { name: d.openEstrados, exact: true });
    expect(await link.getAttribute("href")).toBe(`/estrados/${act.id}`);
    await check(person, "respondida-estrados-telefono");
    await person.setViewportSize({ width: 1280, height: 900 });
    await check(person, "respondida-estrados");
    await person.setViewportSize({ width: 390, height: 844 });

    // The link: the act's own publication on the public estrados, with the same dates.
    await link.click();
    await person.waitForURL(new RegExp(`/estrados/${act.id}$`));
    await person.getByRole("heading", { level: 1, name: es.estrados.title }).waitFor();
    const card = person.getByRole("article");
    await card.waitFor();
    expect(await person.getByRole("article").count()).toBe(1);
    const e = es.estrados.fields;
    const summary = card.locator("dl.summary");
    expect(await rowOf(summary, e.oficio)).toBe(SIN_BUZON_OFICIO);
    expect(await rowOf(summary, e.publishedAt)).toBe(shown.publishedAt);
    expect(await rowOf(summary, e.publicationDays)).toBe(shown.days);
    expect(await rowOf(summary, e.notifiedOn)).toBe(shown.notifiedOn);
    expect(await rowOf(summary, e.effectiveOn)).toBe(shown.effectiveOn);
    await check(person, "estrados-acto-telefono");
    await person.setViewportSize({ width: 1280, height: 900 });
    await check(person, "estrados-acto");
    for (const page of [person, servant]) expect(pages.jsErrors(page)).toEqual([]);
    await personContext.close();
    await servantContext.close();
  });
});
