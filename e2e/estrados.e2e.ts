import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { fisicaRfc, pdfOf, seedPadron } from "../src/testing/acts.ts";
import { issueFisicaEfirma, signDocumentLikeTheBrowser } from "../src/testing/efirma.ts";
import { signInWith } from "../src/testing/sign-in.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  axeViolations,
  newTestContext,
  screenshot,
  siteInChromium,
  textOf,
  watchPages,
} from "./browser.ts";

/**
 * Issue 11 §4 in the browser: an act deposited through the API for a person whose Buzón IMSS
 * is not enabled goes to estrados; the job seals its publication; the public page «Estrados
 * electrónicos» shows it (at 1280 and at 390 px) with its dates, its acuse, the document and
 * «¿Por qué estas fechas?» from the time engine. Clock fixed on Monday 7 Dec 2026 10:00.
 */
let now = Temporal.Instant.from("2026-12-07T10:00:00-06:00");
const SIN_BUZON = "AAA010101AA1";
const NAME = "COMERCIALIZADORA SIN BUZON SA DE CV";
const t = es.estrados;

const pages = watchPages();
const site = siteInChromium({ trustDevCa: true, adminToken: true, clock: () => now });

let notificador: IssuedEfirma;
let actId: string;

beforeAll(async () => {
  await seedPadron(
    site.system.database.db,
    [
      {
        rfc: SIN_BUZON,
        name: NAME,
        persona: "moral",
        registrosPatronales: [],
        emailOnFile: null,
        habilitacion2020: null,
      },
    ],
    new Date(now.epochMilliseconds),
  );
  notificador = await issueFisicaEfirma(fisicaRfc("NOTI"), "NORA TIRADO");
  await site.system.staff.set(
    { rfc: notificador.rfc, role: "notificador", name: "NORA TIRADO" },
    "pruebas",
  );
  actId = await deposit("09 53 01 9200/1234");
});

/** An act for SIN_BUZON deposited through the API, published on estrados by the jobs. */
async function deposit(oficio: string): Promise<string> {
  const pdf = pdfOf(randomUUID());
  const response = await fetch(`${site.url}/api/v1/notificaciones`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${site.system.adminToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      idempotencyKey: randomUUID(),
      rfc: SIN_BUZON,
      actType: "7.1",
      oficio,
      issuingUnit: "Subdelegación Centro",
      documentName: "Resolución prima RT 2026.pdf",
      document: pdf.toString("base64"),
      signature: await signDocumentLikeTheBrowser(notificador, pdf),
    }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  const id = ((await response.json()) as { id: string }).id;
  now = now.add({ seconds: 30 });
  await site.system.scheduler.runAll();
  return id;
}

async function openEstrados(width: number): Promise<Page> {
  return pages.open(await newTestContext(site.browser, width), `${site.url}/estrados`);
}

function rowValue(page: Page, label: string) {
  return textOf(
    page.locator(
      `xpath=//dl[contains(@class,"summary")]//dt[normalize-space()="${label}"]/following-sibling::dd[1]`,
    ),
  );
}

describe("Estrados electrónicos en el navegador (issue 11 §4)", () => {
  it("muestra el acto de una persona sin buzón habilitado, con sus fechas, su acuse y por qué", async () => {
    const page = await openEstrados(1280);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const card = page.getByRole("article", { name: /Prima en el Seguro de Riesgos de Trabajo/ });
    await card.waitFor();
    expect(await textOf(card)).toContain(t.status.en_publicacion);
    expect(await rowValue(page, t.fields.addressee)).toBe(`${NAME} (RFC AAA******AA1)`);
    expect(await rowValue(page, t.fields.oficio)).toBe("09 53 01 9200/1234");
    expect(await rowValue(page, t.fields.publishedAt)).toBe(
      "lunes 7 de diciembre de 2026, 10:00 h",
    );
    expect(await rowValue(page, t.fields.publicationDays)).toBe(
      t.fromTo("martes 8 de diciembre de 2026", "lunes 21 de diciembre de 2026"),
    );
    expect(await rowValue(page, t.fields.notifiedOn)).toBe(
      t.notifiedOnValue("martes 22 de diciembre de 2026"),
    );
    expect(await rowValue(page, t.fields.effectiveOn)).toBe("miércoles 23 de diciembre de 2026");
    // The acuse links to its verification; the document is downloadable during the ten days.
    const acuse = card.getByRole("link", { name: /Verificar el acuse BI-/ });
    expect(await acuse.getAttribute("href")).toMatch(/^\/verificacion\/BI-20261207-/);
    const download = card.getByRole("link", { name: /Descargar el documento publicado/ });
    expect(await download.getAttribute("href")).toBe(`/api/v1/estrados/${actId}/documento`);
    // Nothing of the person beyond the documented minimum.
    const body = await textOf(page.locator("main"));
    expect(body).not.toContain(SIN_BUZON);
    expect(body).not.toContain("Resolución prima RT 2026.pdf");

    await card.getByText(t.why).click();
    const explanation = card.getByRole("region", { name: es.calculator.explanationTitle });
    await explanation.waitFor();
    const text = await textOf(explanation);
    expect(text).toContain("decimoprimer día hábil");
    expect(text).toContain("CFF art. 139");
    await screenshot(page, "estrados-escritorio");
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("se usa en un teléfono de 390 px, enlazada desde el pie de página", async () => {
    const context = await newTestContext(site.browser, 390);
    const page = await pages.open(context, `${site.url}/`);
    await page
      .getByRole("navigation", { name: es.footer.publicLinks })
      .getByRole("link", { name: es.nav.estrados })
      .click();
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const card = page.getByRole("article").first();
    await card.waitFor();
    // No horizontal scrolling at 390 px.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await card.getByText(t.why).click();
    await card.getByRole("region", { name: es.calculator.explanationTitle }).waitFor();
    await screenshot(page, "estrados-telefono");
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("el personal sigue el acto desde su página: publicado en estrados, con el folio de su acuse", async () => {
    const p = es.personal.act;
    const nora = await signInWith(site.system.app, notificador);
    for (const width of [1280, 390]) {
      const context = await newTestContext(site.browser, width);
      await context.addCookies([{ name: "buzon_sesion", value: nora.cookie, url: site.url }]);
      const page = await pages.open(context, `${site.url}/personal/notificaciones/${actId}`);
      await page.getByRole("heading", { level: 2, name: p.timelineTitle }).waitFor();
      expect(await textOf(page.locator("main"))).toContain(p.estradosNote);
      // From when the public page lists it: its aviso instant (before it, the list is empty).
      expect(await textOf(page.locator("main"))).toContain(
        p.estradosFrom("lunes 7 de diciembre de 2026, 10:00 h"),
      );
      // No aviso went to any means: its sections are not there.
      expect(await page.getByRole("heading", { name: p.deliveriesTitle }).count()).toBe(0);
      // The notificador receives the evidence package.
      expect(await page.getByRole("link", { name: p.evidence }).count()).toBe(1);
      const published = page.locator('ol.timeline [data-event="publicada_en_estrados"]');
      expect(await textOf(published.locator(".timeline__what"))).toBe(
        p.events.publicada_en_estrados,
      );
      expect(await textOf(published)).toContain("lunes 7 de diciembre de 2026, 10:00 h");
      const folio = await textOf(published.locator(".timeline__acuse .notif-filename"));
      expect(folio).toMatch(/^BI-20261207-/);
      const pdf = published.getByRole("link", {
        name: `${es.acuse.pdf} ${folio} (${p.acuseNames.publicada_en_estrados})`,
        exact: true,
      });
      expect(await pdf.getAttribute("href")).toMatch(/\/pdf\?codigo=/);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, width === 1280 ? "estrados-personal" : "estrados-personal-telefono");
      expect(await axeViolations(page)).toEqual([]);
      expect(pages.jsErrors(page)).toEqual([]);
      await context.close();
    }
  });

  it("el operador sigue el mismo acto sin el botón del paquete de evidencia, que no le toca", async () => {
    const p = es.personal.act;
    const operador = await issueFisicaEfirma(fisicaRfc("OPER"), "OTILIA PERALTA");
    await site.system.staff.set(
      { rfc: operador.rfc, role: "operador", name: "OTILIA PERALTA" },
      "e2e",
    );
    const otilia = await signInWith(site.system.app, operador);
    const context = await newTestContext(site.browser, 1280);
    await context.addCookies([{ name: "buzon_sesion", value: otilia.cookie, url: site.url }]);
    const page = await pages.open(context, `${site.url}/personal/notificaciones/${actId}`);
    await page.getByRole("heading", { level: 2, name: p.timelineTitle }).waitFor();
    // The server would answer the package 403: the page does not offer it, and says who may.
    expect(await page.getByRole("link", { name: p.evidence }).count()).toBe(0);
    expect(await textOf(page.locator("main"))).toContain(p.evidenceOtherRoles);
    expect(await textOf(page.locator("main"))).toContain(p.timelineFolioOnly);
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("da la publicación de un acto en su propia dirección, y una que no existe se explica", async () => {
    const context = await newTestContext(site.browser, 390);
    const page = await pages.open(context, `${site.url}/estrados/${actId}`);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const card = page.getByRole("article", { name: /Prima en el Seguro de Riesgos de Trabajo/ });
    await card.waitFor();
    expect(await rowValue(page, t.fields.oficio)).toBe("09 53 01 9200/1234");
    expect(await textOf(page.locator("main"))).not.toContain(SIN_BUZON);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "estrados-acto-telefono");
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);

    await page.goto(`${site.url}/estrados/${randomUUID()}`);
    const back = page.getByRole("link", { name: t.allActs });
    await back.waitFor();
    await screenshot(page, "estrados-acto-inexistente");
    expect(await axeViolations(page)).toEqual([]);
    await back.click();
    await page.getByRole("article").first().waitFor();
    // Only the API's 404 for the act that does not exist, which the browser logs.
    expect(pages.jsErrors(page)).toEqual([
      "Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]);
    await context.close();
  });

  it("con dos actos abiertos, cada «¿Por qué estas fechas?» y sus regiones tienen su propio nombre", async () => {
    await deposit("09 53 01 9200/5678");
    const page = await openEstrados(1280);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const cards = page.getByRole("article");
    await cards.nth(1).waitFor();
    for (const card of await cards.all()) {
      await card.locator("summary").click();
      await card.getByRole("region", { name: es.calculator.explanationTitle }).waitFor();
    }
    const names = await page.evaluate(() =>
      [...document.querySelectorAll("section[aria-labelledby]")].map(
        (section) =>
          document.getElementById(section.getAttribute("aria-labelledby") ?? "")?.textContent,
      ),
    );
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(new Set(names).size).toBe(names.length);
    const act = await textOf(cards.first().locator("h2"));
    for (const oficio of ["09 53 01 9200/1234", "09 53 01 9200/5678"]) {
      const name = `${es.calculator.explanationTitle}${t.whyContext(act, oficio)}`;
      await page.getByRole("region", { name, exact: true }).waitFor();
    }
    await screenshot(page, "estrados-dos-abiertos");
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await page.context().close();
  });
});
