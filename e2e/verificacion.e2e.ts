import { Buffer } from "node:buffer";
import { createHash, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { openPrivateKey } from "../src/domain/efirma/private-key.ts";
import type { AcuseExport } from "../src/domain/evidence/acuse-export.ts";
import { verificationCodeOf } from "../src/domain/evidence/acuse-export.ts";
import { RULES_VERSION } from "../src/domain/plazos/rules.ts";
import { detachedCms } from "../src/platform/crypto/seal.ts";
import { issueTestEfirma } from "../src/testing/efirma.ts";
import { overwriteBytes, replaceVisibleText, unsignedAcusePdf } from "../src/testing/pdf-tamper.ts";
import { formatBytes } from "../web/src/components/verification/files.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  alertOf,
  axeViolations,
  newTestContext,
  screenshot as saveScreenshot,
  siteInChromium,
  textOf,
  watchPages,
} from "./browser.ts";

const t = es.verification;

/** The document the acuse seals, and one no acuse seals. */
const DOCUMENT = Buffer.from(
  "Escrito de promoción presentado en el Buzón IMSS.\nPrueba de verificación en el navegador.\n",
  "utf8",
);
const DOCUMENT_SHA256 = createHash("sha256").update(DOCUMENT).digest("hex");
const UNKNOWN_DOCUMENT = Buffer.from("Un documento que ningún acuse sella.\n", "utf8");

/** The servant-signed document of the «Firma de servidor público» tab. */
const SIGNED_DOCUMENT = Buffer.from("Resolución firmada por un servidor público del IMSS.\n");

// Monday 3 February 2025, 10:07:17.151 in Zona Centro: in the past, to the millisecond.
const EVENT_AT = Temporal.Instant.from("2025-02-03T16:07:17.151Z");

interface ApiCall {
  method: string;
  path: string;
  contentType: string | undefined;
  body: Buffer | null;
}

/**
 * Script errors and console errors seen by each page (a page that throws is a failing page), and
 * the API calls each page made (method, path and body), to see what left the browser.
 */
const pages = watchPages({
  record: (request): ApiCall | undefined => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith("/api/")) return undefined;
    // Every page load asks once who is signed in (for the navigation); it carries nothing.
    if (url.pathname === "/api/v1/auth/sesion" && request.method() === "GET") return undefined;
    return {
      method: request.method(),
      path: url.pathname,
      contentType: request.headers()["content-type"],
      body: request.postDataBuffer(),
    };
  },
});
const jsErrors = pages.jsErrors;
const apiCalls = pages.sent;
const site = siteInChromium({ trustDevCa: true });

let folio: string;
let code: string;
let folio2020: string;
let code2020: string;
let servantSignature: Buffer;

beforeAll(async () => {
  const acuse = await site.system.evidence.issueAcuse({
    kind: "promocion",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: EVENT_AT,
    countsAt: EVENT_AT,
    rule: "momento_del_evento",
    calendarVersion: "IMSS:test-1",
    rulesVersion: RULES_VERSION,
    documents: [{ name: "Escrito.pdf", sha256: DOCUMENT_SHA256, bytes: DOCUMENT.length }],
  });
  folio = acuse.folio;
  code = verificationCodeOf(acuse.seal);

  // A means registration of a mailbox enabled under the 2020 rules: its cadena is version 2.
  const enabled2020 = await site.system.evidence.issueAcuse({
    kind: "registro_medios_contacto",
    parties: { rfc: "EKU9003173C9", actorRfc: "XOJI740919U48", capacity: "representante_legal" },
    eventAt: EVENT_AT,
    countsAt: EVENT_AT,
    rule: "momento_del_evento",
    calendarVersion: "IMSS:test-1",
    rulesVersion: RULES_VERSION,
    documents: [],
    habilitacion: "lineamientos_2020",
  });
  folio2020 = enabled2020.folio;
  code2020 = verificationCodeOf(enabled2020.seal);

  // A public servant of the Institute signs a document with the e.firma (detached CMS).
  const servant = await issueTestEfirma({
    rfc: "VADA800927DJ3",
    curp: "VADA800927HSRSRL05",
    name: "ADRIANA VAZQUEZ DAVILA",
    representativeRfc: undefined,
    representativeCurp: undefined,
  });
  await site.system.staff.set(
    { rfc: servant.rfc, role: "notificador", name: "ADRIANA VAZQUEZ DAVILA" },
    "e2e",
  );
  const key = openPrivateKey(await readFile(servant.keyPath), servant.password);
  const signature = sign("sha256", SIGNED_DOCUMENT, key).toString("base64");
  servantSignature = detachedCms(await readFile(servant.cerPath), signature);
});

function newContext(width = 1280): Promise<BrowserContext> {
  return newTestContext(site.browser, width, { acceptDownloads: true });
}

function openPage(context: BrowserContext, path: string): Promise<Page> {
  return pages.open(context, `${site.url}${path}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, `verificacion-${name}`);
}

/** The visible tab panel (the others stay mounted, hidden). */
function panel(page: Page): Locator {
  return page.locator('[role="tabpanel"]:not([hidden])');
}

/** The value shown for a label of a definition list in the visible panel. */
async function factOf(page: Page, label: string): Promise<string> {
  return textOf(
    panel(page)
      .locator(`xpath=.//dl//dt[normalize-space()="${label}"]/following-sibling::dd[1]`)
      .first(),
  );
}

function verdictHeading(page: Page, name: string): Locator {
  return panel(page).getByRole("heading", { level: 2, name, exact: true });
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

async function chooseTab(page: Page, name: string): Promise<void> {
  await page.getByRole("tab", { name, exact: true }).click();
  await expect
    .poll(() => page.getByRole("tab", { name, exact: true }).getAttribute("aria-selected"))
    .toBe("true");
}

async function submit(page: Page): Promise<void> {
  await panel(page).getByRole("button", { name: t.submit, exact: true }).click();
}

/** The visible panel's summary of what to correct. */
function errorSummary(page: Page): Locator {
  return panel(page).locator(".error-summary");
}

/** The messages of the summary, once it shows `count` of them. */
async function summaryMessages(page: Page, count: number): Promise<string[]> {
  await expect.poll(() => errorSummary(page).getByRole("link").count()).toBe(count);
  return errorSummary(page).getByRole("link").allTextContents();
}

/** The app's own message next to a field: the first thing the input is described by. */
async function fieldError(page: Page, input: Locator): Promise<string> {
  const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
  return textOf(page.locator(`[id="${describedBy.split(" ")[0]}"]`));
}

/** No WCAG 2.2 A/AA violation on the page as it is now. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await axeViolations(page), what).toEqual([]);
}

/** How far the page is wider than the screen, and the elements that stick out (to fix them). */
async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Visually hidden text (a field error's «Error: ») is clipped to 1 px by design.
    const culprits = [...document.querySelectorAll("main *:not(.visually-hidden)")]
      .filter(
        (element) =>
          element.getBoundingClientRect().right > width + 0.5 ||
          element.scrollWidth > element.clientWidth + 0.5,
      )
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.getAttribute("class") ?? ""}`);
    return { overflow: document.documentElement.scrollWidth - width, culprits };
  });
}

/** The acuse's PDF, as the Institute serves it. */
async function acusePdf(): Promise<Buffer> {
  const response = await fetch(
    `${site.url}/api/v1/acuses/${folio}/pdf?codigo=${encodeURIComponent(code)}`,
  );
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe("Verificación de documentos en el navegador", () => {
  it("el código QR del acuse abre la página y verifica al instante", async () => {
    const context = await newContext();
    // As printed in the QR, with the code's + and / left as they are.
    const page = await openPage(context, `/verificacion/${folio}?codigo=${code}`);
    const verdict = verdictHeading(page, t.verdicts.autentico);
    await verdict.waitFor();
    await expect.poll(() => page.title()).toContain(t.title);
    // The verdict is what a screen reader says first.
    expect(await isFocused(verdict)).toBe(true);
    expect(await page.getByLabel(t.folio.folio, { exact: true }).inputValue()).toBe(folio);
    expect(await page.getByLabel(t.folio.code, { exact: true }).inputValue()).toBe(code);

    expect(await factOf(page, t.facts.folio)).toBe(folio);
    expect(await factOf(page, t.facts.rfc)).toBe("EKU9003173C9");
    expect(await factOf(page, t.facts.actor)).toContain("XOJI740919U48");
    expect(await factOf(page, t.facts.eventAt)).toContain("3 de febrero de 2025");
    expect(await factOf(page, t.facts.countsAt)).toContain("3 de febrero de 2025");
    expect(await factOf(page, t.facts.rule)).toBe(t.rules.momento_del_evento);
    // Sealed with the development seal: the demonstration band, in words.
    expect(await textOf(panel(page).locator(".demo-band"))).toContain(t.demonstration);

    const result = await textOf(panel(page));
    expect(result).toContain("Escrito.pdf");
    expect(result).toContain(DOCUMENT_SHA256);
    expect(result).toMatch(
      /Inscrito en el registro público de evidencias del Instituto: es el número \d+ de \d+ inscritos?\./,
    );
    // Identifiers, versions, the seal and the log's root only under «Detalles técnicos».
    expect(result).not.toContain("se cuentan desde 0");
    const technical = panel(page).locator("details.technical");
    expect(await technical.getAttribute("open")).toBeNull();
    expect(await textOf(panel(page).locator(".verification-section").first())).not.toContain(
      "IMSS:test-1",
    );
    await technical.locator("summary").click();
    expect(await factOf(page, t.facts.ruleId)).toBe("momento_del_evento");
    expect(await factOf(page, t.facts.calendar)).toBe("IMSS:test-1");
    expect(await factOf(page, t.facts.rulesVersion)).toBe(RULES_VERSION);
    expect(await factOf(page, t.seal.certificateNumber)).toMatch(/\S/);
    expect(await factOf(page, t.seal.fingerprint)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    // Every check is listed with its outcome in words; an authentic acuse has no failure.
    const checks = panel(page).locator(".check");
    expect(await checks.count()).toBeGreaterThan(0);
    expect(await panel(page).locator(".check--failed").count()).toBe(0);
    expect(await textOf(checks.first())).toMatch(
      new RegExp(`^(${t.outcomes.ok}|${t.outcomes.warning})`),
    );

    // The three downloads answer: the PDF, the exported acuse and its log proof.
    const download = async (name: string) => {
      const href = await panel(page).getByRole("link", { name, exact: true }).getAttribute("href");
      expect(href, name).toBeTruthy();
      const response = await page.request.get(new URL(href ?? "", site.url).toString());
      expect(response.status(), name).toBe(200);
      return response;
    };
    expect((await download(t.downloads.pdf)).headers()["content-type"]).toContain(
      "application/pdf",
    );
    const exported = (await (await download(t.downloads.json)).json()) as { acuse?: unknown };
    expect(JSON.stringify(exported.acuse)).toContain(folio);
    expect(await (await download(t.downloads.tlogProof)).text()).toContain("c2sp.org/tlog-proof");
    await screenshot(page, "qr");
    await expectAccessible(page, "resultado por QR");
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("dice, en un teléfono, que el buzón se habilitó conforme a los Lineamientos de 2020", async () => {
    const context = await newContext(390);
    const page = await openPage(
      context,
      `/verificacion/${folio2020}?codigo=${encodeURIComponent(code2020)}`,
    );
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    expect(await factOf(page, t.facts.folio)).toBe(folio2020);
    expect(await factOf(page, t.facts.habilitacion)).toBe(
      "Buzón habilitado conforme a los Lineamientos de 2020 (numeral 5.4)",
    );
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });
    await screenshot(page, "habilitacion-2020-390");
    await expectAccessible(page, "acuse con habilitación de 2020");
    expect(jsErrors(page)).toEqual([]);
    // An acuse that states none (version 1) shows no such line.
    await page.goto(`${site.url}/verificacion/${folio}?codigo=${encodeURIComponent(code)}`);
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    expect(await factOf(page, t.facts.folio)).toBe(folio);
    expect(
      await panel(page)
        .locator(`xpath=.//dl//dt[normalize-space()="${t.facts.habilitacion}"]`)
        .count(),
    ).toBe(0);
    await context.close();
  });

  it("por folio: revisa el formato en la página y no encuentra un código equivocado", async () => {
    const context = await newContext();
    const page = await openPage(context, "/verificacion");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const nav = page.getByRole("navigation", { name: es.nav.label });
    expect(
      await nav.getByRole("link", { name: es.nav.verification }).getAttribute("aria-current"),
    ).toBe("page");
    await screenshot(page, "formulario");
    const folioField = page.getByLabel(t.folio.folio, { exact: true });
    const codeField = page.getByLabel(t.folio.code, { exact: true });

    // Nothing typed: both messages at once, the app's own, in a summary that takes the focus
    // and next to each field; nothing is sent.
    await submit(page);
    expect(await summaryMessages(page, 2)).toEqual([t.errors.folioMissing, t.errors.codeMissing]);
    expect(await isFocused(errorSummary(page))).toBe(true);
    expect(await fieldError(page, folioField)).toContain(t.errors.folioMissing);
    expect(await fieldError(page, codeField)).toContain(t.errors.codeMissing);
    expect(await codeField.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "folio-vacio");
    await expectAccessible(page, "folio y código vacíos");

    // A malformed folio is caught here, with the field marked; the summary's link takes the
    // keyboard to it.
    await folioField.fill("BI-2025-1");
    await codeField.fill(code);
    await submit(page);
    expect(await summaryMessages(page, 1)).toEqual([t.errors.folioInvalid]);
    expect(await fieldError(page, folioField)).toContain(t.errors.folioInvalid);
    expect(await folioField.getAttribute("aria-invalid")).toBe("true");
    expect(await codeField.getAttribute("aria-invalid")).toBeNull();
    await errorSummary(page).getByRole("link").click();
    expect(await isFocused(folioField)).toBe(true);
    expect(apiCalls(page)).toEqual([]);
    await screenshot(page, "folio-invalido");

    // Lower case is taken as the folio's upper case; the code is case-sensitive.
    await folioField.fill(folio.toLowerCase());
    expect(await folioField.inputValue()).toBe(folio);
    const wrongCode = code === "AAAAAAAA" ? "BBBBBBBB" : "AAAAAAAA";
    await page.getByLabel(t.folio.code, { exact: true }).fill(wrongCode);
    await submit(page);
    await verdictHeading(page, t.verdicts.no_encontrado).waitFor();
    expect(await alertOf(page).count()).toBe(0);
    expect(await errorSummary(page).count()).toBe(0);
    expect(await folioField.getAttribute("aria-invalid")).toBeNull();
    expect(apiCalls(page).map((c) => c.path)).toEqual([`/api/v1/verificacion/acuses/${folio}`]);
    await screenshot(page, "codigo-equivocado");

    // The tabs answer to the keyboard and keep the chosen one in the address.
    await page.getByRole("tab", { name: t.tabs.folio, exact: true }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => new URL(page.url()).searchParams.get("tipo")).toBe("pdf");
    expect(await isFocused(page.getByRole("tab", { name: t.tabs.pdf, exact: true }))).toBe(true);
    await page.keyboard.press("End");
    await expect.poll(() => new URL(page.url()).searchParams.get("tipo")).toBe("firma");
    await page.keyboard.press("Home");
    await expect.poll(() => new URL(page.url()).searchParams.get("tipo")).toBe(null);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("documento original: solo envía la huella y encuentra el acuse que lo sella", async () => {
    const context = await newContext();
    const page = await openPage(context, "/verificacion?tipo=documento");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    expect(await textOf(panel(page))).toContain(t.documento.privacyNote);

    const input = page.getByLabel(t.documento.file, { exact: true });
    await submit(page);
    expect(await summaryMessages(page, 1)).toEqual([t.errors.documentMissing]);
    expect(await fieldError(page, input)).toContain(t.errors.documentMissing);

    await input.setInputFiles({
      name: "Escrito.pdf",
      mimeType: "application/pdf",
      buffer: DOCUMENT,
    });
    await submit(page);
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    const result = await textOf(panel(page));
    expect(result).toContain(DOCUMENT_SHA256);
    expect(result).toContain(t.sealingPrivacy);
    expect(await factOf(page, t.facts.documentName)).toBe("Escrito.pdf");
    // What and when, never who nor the folio.
    expect(result).not.toContain(folio);
    expect(result).not.toContain("EKU9003173C9");
    await screenshot(page, "documento-encontrado");
    await expectAccessible(page, "documento encontrado");

    // An unknown document: no acuse seals it.
    await input.setInputFiles({
      name: "Otro.txt",
      mimeType: "text/plain",
      buffer: UNKNOWN_DOCUMENT,
    });
    await submit(page);
    await verdictHeading(page, t.documentNotFound).waitFor();
    await screenshot(page, "documento-no-encontrado");

    // The documents never left the browser: two GETs by hash, no body at all.
    const unknownSha256 = createHash("sha256").update(UNKNOWN_DOCUMENT).digest("hex");
    expect(apiCalls(page)).toEqual([
      {
        method: "GET",
        path: `/api/v1/verificacion/documentos/${DOCUMENT_SHA256}`,
        contentType: undefined,
        body: null,
      },
      {
        method: "GET",
        path: `/api/v1/verificacion/documentos/${unknownSha256}`,
        contentType: undefined,
        body: null,
      },
    ]);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("acuse en PDF: rechaza en la página un archivo grande o que no es PDF, y verifica el del Instituto", async () => {
    const context = await newContext();
    const page = await openPage(context, "/verificacion?tipo=pdf");
    const input = page.getByLabel(t.pdf.file, { exact: true });

    const oversized = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    oversized.write("%PDF-1.7\n", 0, "latin1");
    await input.setInputFiles({
      name: "grande.pdf",
      mimeType: "application/pdf",
      buffer: oversized,
    });
    await submit(page);
    const tooLarge = t.errors.pdfTooLarge(formatBytes(oversized.length, "up"));
    expect(await summaryMessages(page, 1)).toEqual([tooLarge]);
    expect(await fieldError(page, input)).toContain(tooLarge);
    expect(tooLarge).toContain("10.1 MiB");
    expect(await input.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "pdf-grande");
    await expectAccessible(page, "PDF demasiado grande");

    await input.setInputFiles({ name: "acuse.pdf", mimeType: "application/pdf", buffer: DOCUMENT });
    await submit(page);
    await expect.poll(() => fieldError(page, input)).toContain(t.errors.notPdf);
    expect(await summaryMessages(page, 1)).toEqual([t.errors.notPdf]);
    expect(apiCalls(page)).toEqual([]);

    // The acuse's own PDF is authentic…
    const pdf = await acusePdf();
    await input.setInputFiles({ name: `${folio}.pdf`, mimeType: "application/pdf", buffer: pdf });
    await submit(page);
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    expect(await alertOf(page).count()).toBe(0);
    expect(await factOf(page, t.facts.folio)).toBe(folio);
    const sent = apiCalls(page);
    expect(sent.map((c) => `${c.method} ${c.path}`)).toEqual(["POST /api/v1/verificacion/pdf"]);
    // The file itself is the body (Chromium does not hand a File body to Playwright to compare).
    expect(sent[0]?.contentType).toBe("application/pdf");
    expect(await errorSummary(page).count()).toBe(0);
    await screenshot(page, "pdf-autentico");

    // …its exported data (acuse.json) too, through the same field…
    const json = await (
      await fetch(`${site.url}/api/v1/acuses/${folio}/json?codigo=${encodeURIComponent(code)}`)
    ).arrayBuffer();
    await input.setInputFiles({
      name: "acuse.json",
      mimeType: "application/json",
      buffer: Buffer.from(json),
    });
    await submit(page);
    await expect
      .poll(() => apiCalls(page).map((c) => `${c.method} ${c.path}`))
      .toContain("POST /api/v1/verificacion/acuse");
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    expect(await factOf(page, t.facts.folio)).toBe(folio);
    await screenshot(page, "json-autentico");

    // …but the PDF with its visible RFC and date rewritten (attachments untouched) is not the
    // Institute's document: the headline says so, and the record's data are shown apart.
    const shown = (await textOf(panel(page))).match(/\d\d:\d\d:\d\d/)?.[0] ?? "10:07:17";
    const tampered = replaceVisibleText(
      replaceVisibleText(pdf, "EKU9003173C9", "XYZ9003173C9"),
      shown,
      "23:59:59",
    );
    await input.setInputFiles({
      name: `${folio}.pdf`,
      mimeType: "application/pdf",
      buffer: tampered,
    });
    await submit(page);
    await verdictHeading(page, t.notIssued).waitFor();
    const record = panel(page).locator(".record");
    expect(await textOf(record)).toContain(t.recordTitle);
    expect(await textOf(record)).toContain("EKU9003173C9");
    expect(await textOf(record)).not.toContain("XYZ9003173C9");
    expect(await panel(page).locator(".file-data").count()).toBe(0);
    expect(await panel(page).locator(".check--failed").count()).toBeGreaterThan(0);
    // Not said to be an older copy: it carries a signature, and it is broken.
    expect(await panel(page).locator(".older-copy").count()).toBe(0);
    await screenshot(page, "pdf-texto-cambiado");
    await expectAccessible(page, "PDF con el texto cambiado");

    // …and so is the PDF with four bytes overwritten in the middle.
    await input.setInputFiles({
      name: `${folio}.pdf`,
      mimeType: "application/pdf",
      buffer: overwriteBytes(pdf),
    });
    await submit(page);
    await verdictHeading(page, t.notIssued).waitFor();
    await screenshot(page, "pdf-cuatro-bytes");
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("acuse en PDF sin firma pero con los datos del registro: dice que puede ser una copia anterior y lleva al PDF sellado", async () => {
    const exported = (await (
      await fetch(`${site.url}/api/v1/acuses/${folio}/json?codigo=${encodeURIComponent(code)}`)
    ).json()) as AcuseExport;
    for (const width of [1280, 390]) {
      const context = await newContext(width);
      const page = await openPage(context, "/verificacion?tipo=pdf");
      await page.getByLabel(t.pdf.file, { exact: true }).setInputFiles({
        name: `${folio}.pdf`,
        mimeType: "application/pdf",
        buffer: await unsignedAcusePdf(exported),
      });
      await submit(page);
      // The verdict stays: a PDF is never authentic because of its attachments.
      const verdict = verdictHeading(page, t.notIssued);
      await verdict.waitFor();
      expect(await isFocused(verdict)).toBe(true);
      const olderCopy = panel(page).locator(".older-copy");
      expect(await textOf(olderCopy.getByRole("heading"))).toBe(t.olderCopy.title);
      expect(await textOf(olderCopy)).toContain(t.olderCopy.text);
      // The record's data are still shown apart.
      expect(await textOf(panel(page).locator(".record"))).toContain("EKU9003173C9");
      const summary = await textOf(panel(page).locator(".verdict__summary"));
      expect(summary).toContain("Puede ser una copia anterior");
      expect(summary).toContain("verificación por folio y código");
      await screenshot(page, `pdf-copia-anterior-${width}`);
      await expectAccessible(page, `copia anterior a ${width} px`);
      expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });

      // The current PDF, sealed, is one click away…
      const href = await olderCopy
        .getByRole("link", { name: t.olderCopy.download, exact: true })
        .getAttribute("href");
      const current = await page.request.get(new URL(href ?? "", site.url).toString());
      expect(current.status()).toBe(200);
      expect(current.headers()["content-type"]).toContain("application/pdf");
      // …and so is the verification by folio and code, which verifies at once.
      await olderCopy.getByRole("link", { name: t.olderCopy.byFolio, exact: true }).click();
      await verdictHeading(page, t.verdicts.autentico).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/verificacion/${folio}`);
      expect(await page.getByLabel(t.folio.code, { exact: true }).inputValue()).toBe(code);
      expect(jsErrors(page)).toEqual([]);
      await context.close();
    }
  });

  it("firma de servidor público: muestra a quien firmó y detecta el documento alterado", async () => {
    const context = await newContext();
    const page = await openPage(context, "/verificacion?tipo=firma");
    const documentInput = page.getByLabel(t.firma.document, { exact: true });
    const signatureInput = page.getByLabel(t.firma.signature, { exact: true });

    // Nothing chosen: both messages at once.
    await submit(page);
    expect(await summaryMessages(page, 2)).toEqual([
      t.errors.signedDocumentMissing,
      t.errors.signatureMissing,
    ]);
    expect(await fieldError(page, documentInput)).toContain(t.errors.signedDocumentMissing);
    expect(await fieldError(page, signatureInput)).toContain(t.errors.signatureMissing);
    await screenshot(page, "firma-vacia");
    await expectAccessible(page, "firma sin archivos");

    // A signature file over 1 MiB is refused here.
    await documentInput.setInputFiles({
      name: "resolucion.txt",
      mimeType: "text/plain",
      buffer: SIGNED_DOCUMENT,
    });
    await signatureInput.setInputFiles({
      name: "grande.p7s",
      mimeType: "application/pkcs7-signature",
      buffer: Buffer.alloc(1024 * 1024 + 1, 0x30),
    });
    await submit(page);
    const tooLarge = t.errors.signatureTooLarge(formatBytes(1024 * 1024 + 1, "up"));
    expect(await summaryMessages(page, 1)).toEqual([tooLarge]);
    expect(await fieldError(page, signatureInput)).toContain(tooLarge);
    expect(await documentInput.getAttribute("aria-invalid")).toBeNull();
    expect(apiCalls(page)).toEqual([]);

    await signatureInput.setInputFiles({
      name: "resolucion.txt.p7s",
      mimeType: "application/pkcs7-signature",
      buffer: servantSignature,
    });
    await submit(page);
    // The test server checks no revocation source: valid, but not a green «auténtico».
    await verdictHeading(page, t.signatureUnconfirmed).waitFor();
    expect(await factOf(page, t.signer.name)).toBe("ADRIANA VAZQUEZ DAVILA");
    expect(await factOf(page, t.signer.rfc)).toBe("VADA800927DJ3");
    expect(await factOf(page, t.signer.curp)).toBe("VADA800927HSRSRL05");
    expect(await factOf(page, t.signer.staffRole)).toBe(es.mailbox.staffRoles.notificador);
    await screenshot(page, "firma-autentica");
    await expectAccessible(page, "firma válida");

    // The same signature over another document.
    await documentInput.setInputFiles({
      name: "resolucion.txt",
      mimeType: "text/plain",
      buffer: Buffer.concat([SIGNED_DOCUMENT, Buffer.from("Párrafo añadido.\n")]),
    });
    await submit(page);
    await verdictHeading(page, t.verdicts.alterado).waitFor();
    await screenshot(page, "firma-alterada");

    // Only the hash and the signature travelled, never the document.
    const posts = apiCalls(page);
    expect(posts.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /api/v1/verificacion/firma",
      "POST /api/v1/verificacion/firma",
    ]);
    const first = JSON.parse(posts[0]?.body?.toString("utf8") ?? "{}") as Record<string, unknown>;
    expect(Object.keys(first).sort()).toEqual(["firma", "sha256"]);
    expect(first.sha256).toBe(createHash("sha256").update(SIGNED_DOCUMENT).digest("hex"));
    expect(first.firma).toBe(servantSignature.toString("base64"));
    for (const call of posts) {
      expect(call.body?.toString("utf8")).not.toContain("Resolución firmada");
    }
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("se usa en un teléfono", async () => {
    const context = await newContext(390);
    const page = await openPage(
      context,
      `/verificacion/${folio}?codigo=${encodeURIComponent(code)}`,
    );
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    await screenshot(page, "telefono");
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });
    await expectAccessible(page, "resultado por QR a 390 px");

    await chooseTab(page, t.tabs.documento);
    await page
      .getByLabel(t.documento.file, { exact: true })
      .setInputFiles({ name: "Escrito.pdf", mimeType: "application/pdf", buffer: DOCUMENT });
    await submit(page);
    await verdictHeading(page, t.verdicts.autentico).waitFor();
    await screenshot(page, "telefono-documento");
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });

    // The errors at 390 px: next to their fields, the page never wider than the screen.
    await chooseTab(page, t.tabs.firma);
    await submit(page);
    expect(await summaryMessages(page, 2)).toHaveLength(2);
    await screenshot(page, "telefono-firma-errores");
    expect(await horizontalOverflow(page)).toEqual({ overflow: 0, culprits: [] });
    await expectAccessible(page, "errores a 390 px");
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });
});

describe("Inicio", () => {
  it("enlaza la verificación desde la navegación y desde su tarjeta", async () => {
    const context = await newContext();
    const page = await openPage(context, "/");
    await page.getByRole("link", { name: es.home.verificationLink, exact: true }).click();
    await page.waitForURL(/\/verificacion$/);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });
});
