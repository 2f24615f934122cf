import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { es } from "../web/src/i18n/es.ts";
import {
  axeViolations,
  newTestContext,
  screenshot,
  siteInChromium,
  textOf,
  watchPages,
} from "./browser.ts";

const CALENDAR = {
  authority: "IMSS",
  version: "e2e-1",
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo de prueba" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo de prueba" },
  ],
};

const labels = es.calculator.notificacion.labels;

/** Script errors and console errors seen by each page: a page that throws is a failing page. */
const pages = watchPages();
const jsErrors = pages.jsErrors;
const site = siteInChromium({ calendar: CALENDAR });

async function openPage(path: string, width = 1280, locale = "es-MX"): Promise<Page> {
  return pages.open(await newTestContext(site.browser, width, { locale }), `${site.url}${path}`);
}

/** The value shown for a label of the result's definition list. */
async function resultValue(page: Page, label: string): Promise<string> {
  const value = page.locator(
    `xpath=//dl//dt[normalize-space()="${label}"]/following-sibling::dd[1]`,
  );
  return textOf(value);
}

async function fillNotificacion(
  page: Page,
  aviso: [string, string],
  apertura?: [string, string],
): Promise<void> {
  const t = es.calculator.notificacion;
  await page.getByLabel(t.avisoDate, { exact: true }).fill(aviso[0]);
  await page.getByLabel(t.avisoTime, { exact: true }).fill(aviso[1]);
  if (apertura) {
    await page.getByLabel(t.openedDate, { exact: true }).fill(apertura[0]);
    await page.getByLabel(t.openedTime, { exact: true }).fill(apertura[1]);
  }
  await page.getByRole("button", { name: es.calculator.submit }).click();
}

describe("Buzón IMSS en el navegador", () => {
  it("muestra la página de inicio", async () => {
    const page = await openPage("/");
    await expect.poll(() => textOf(page.getByRole("heading", { level: 1 }))).toBe(es.home.title);
    expect(await page.getAttribute("html", "lang")).toBe("es-MX");
    await expect.poll(() => page.title()).toBe(es.app.name);
    await page.getByRole("link", { name: es.home.calculatorLink, exact: true }).first().waitFor();
    const text = await textOf(page.locator("main"));
    expect(text).toContain("ACDO.AS2.HCT.230724/261.P.DIR");
    expect(text).toContain("72 horas");
    await screenshot(page, "inicio-escritorio");
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("calcula una notificación por ministerio de ley saltando Semana Santa", async () => {
    const page = await openPage("/calculadora");
    await page.getByRole("heading", { level: 1, name: es.calculator.title }).waitFor();
    await expect.poll(() => page.getByText(es.forms.timeHint).count()).toBeGreaterThan(0);

    await fillNotificacion(page, ["11/04/2025", "17:00"]);
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();

    expect(await resultValue(page, labels.avisoAt)).toBe("viernes 11 de abril de 2025, 17:00 h");
    expect(await resultValue(page, labels.openBy)).toBe("miércoles 16 de abril de 2025");
    expect(await resultValue(page, labels.notifiedAt)).toBe("lunes 21 de abril de 2025, 09:30 h");
    expect(await resultValue(page, labels.notifiedBy)).toBe(
      es.calculator.notificacion.notifiedBy.ministerio_de_ley,
    );
    expect(await resultValue(page, labels.effectiveOn)).toBe("martes 22 de abril de 2025");
    expect(await resultValue(page, labels.recursoInconformidadBy)).toBe(
      "jueves 15 de mayo de 2025",
    );
    expect(await resultValue(page, labels.juicioNulidadBy)).toBe("jueves 5 de junio de 2025");

    const result = page.locator("section.result");
    const resultText = await textOf(result);
    expect(resultText).toContain(es.calculator.calendarVersion("IMSS", "e2e-1"));
    const steps = result.locator("ol > li");
    expect(await steps.count()).toBeGreaterThan(3);
    expect(await textOf(result.locator("ol"))).toContain("Jueves Santo");
    expect(await textOf(result.locator("ol"))).toContain(es.calculator.basis);

    // The result heading takes focus so the answer is announced.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      es.calculator.resultTitle,
    );
    await screenshot(page, "calculadora-notificacion-escritorio");
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("calcula una notificación hecha por la apertura del documento", async () => {
    const page = await openPage("/calculadora");
    await fillNotificacion(page, ["11/04/2025", "17:00"], ["14/04/2025", "20:00:00"]);
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();

    expect(await resultValue(page, labels.openedAt)).toBe("lunes 14 de abril de 2025, 20:00 h");
    expect(await resultValue(page, labels.notifiedAt)).toBe("martes 15 de abril de 2025, 09:30 h");
    expect(await resultValue(page, labels.notifiedBy)).toBe(
      es.calculator.notificacion.notifiedBy.apertura,
    );
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("muestra en español el rechazo del servidor", async () => {
    const page = await openPage("/calculadora");
    await fillNotificacion(page, ["11/04/2025", "17:00"], ["10/04/2025", "10:00"]);
    const alert = page.getByRole("alert").filter({ hasText: /\S/ });
    await alert.waitFor();
    expect(await textOf(alert)).toContain("La apertura no puede ser anterior al envío del aviso.");
    expect(await page.locator("section.result").count()).toBe(0);
    await expect
      .poll(() => page.getByRole("button", { name: es.calculator.submit }).isEnabled())
      .toBe(true);
    await screenshot(page, "calculadora-error-escritorio");
    await page.context().close();
  });

  it("calcula la recepción de una promoción sin enviarla dos veces", async () => {
    const page = await openPage("/calculadora?tipo=promocion");
    const t = es.calculator.promocion;
    // Hold the answer back so the loading state can be seen.
    let requests = 0;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route("**/api/v1/plazos/promocion?**", async (route) => {
      requests++;
      await held;
      await route.continue();
    });
    await page.getByLabel(t.date, { exact: true }).fill("17/04/2025");
    await page.getByLabel(t.time, { exact: true }).fill("13:15");
    const button = page.getByRole("button", { name: es.calculator.submit });
    await button.click();
    const busy = page.getByRole("button", { name: es.calculator.submitting });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    await page.getByLabel(t.time, { exact: true }).press("Enter"); // a second submission
    release();
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();
    expect(requests).toBe(1);
    expect(await resultValue(page, t.labels.sentAt)).toBe("jueves 17 de abril de 2025, 13:15 h");
    expect(await resultValue(page, t.labels.receivedAt)).toBe("lunes 21 de abril de 2025, 00:00 h");
    await page.context().close();
  });

  it("se usa con el teclado", async () => {
    const page = await openPage("/calculadora");
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: es.app.skipLink });
    expect(await skip.evaluate((element) => element === document.activeElement)).toBe(true);
    await screenshot(page, "teclado-enlace-salto");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("contenido");

    const first = page.getByRole("tab", { name: es.calculator.tabs.notificacion });
    await first.focus();
    await page.keyboard.press("ArrowRight");
    const second = page.getByRole("tab", { name: es.calculator.tabs.promocion });
    await expect.poll(() => second.getAttribute("aria-selected")).toBe("true");
    expect(await second.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.getByLabel(es.calculator.promocion.date, { exact: true }).waitFor();
    expect(new URL(page.url()).searchParams.get("tipo")).toBe("promocion");
    await page.keyboard.press("End");
    const last = page.getByRole("tab", { name: es.calculator.tabs.validacion });
    await expect.poll(() => last.getAttribute("aria-selected")).toBe("true");
    expect(await last.evaluate((element) => element === document.activeElement)).toBe(true);
    await screenshot(page, "teclado-pestanas");
    await page.context().close();
  });

  it("se usa en un teléfono", async () => {
    const page = await openPage("/calculadora", 390);
    await fillNotificacion(page, ["11/04/2025", "17:00"]);
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();
    expect(await resultValue(page, labels.notifiedAt)).toBe("lunes 21 de abril de 2025, 09:30 h");
    // Nothing wider than the screen: no sideways scrolling of the page.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "calculadora-telefono");

    for (const [path, name] of [
      ["/", "inicio-telefono"],
      ["/dias-inhabiles/2025", "dias-inhabiles-telefono"],
    ] as const) {
      await page.goto(`${site.url}${path}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      if (path !== "/") await page.getByRole("table").waitFor();
      const pageOverflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(pageOverflow).toBeLessThanOrEqual(0);
      await screenshot(page, name);
    }
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("lista los días inhábiles del año", async () => {
    const page = await openPage("/dias-inhabiles/2025");
    await page.getByRole("heading", { level: 1, name: es.nonBusinessDays.title(2025) }).waitFor();
    const table = page.getByRole("table");
    await table.waitFor();
    const row = (date: string) => table.locator("tr", { hasText: date });

    expect(await textOf(row("17 de abril de 2025"))).toContain("Jueves Santo");
    expect(await textOf(row("17 de abril de 2025"))).toContain(
      es.nonBusinessDays.declaredBy("IMSS"),
    );
    for (const date of ["3 de febrero de 2025", "17 de marzo de 2025", "17 de noviembre de 2025"]) {
      expect(await textOf(row(date))).toContain(es.nonBusinessDays.kinds.cff);
    }
    const main = await textOf(page.locator("main"));
    expect(main).toContain(es.nonBusinessDays.weekendNote);
    expect(main).toContain(es.nonBusinessDays.calendar("IMSS", "e2e-1"));

    await screenshot(page, "dias-inhabiles-escritorio");

    await page.getByRole("link", { name: es.nonBusinessDays.next(2026) }).click();
    await page.getByRole("heading", { level: 1, name: es.nonBusinessDays.title(2026) }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dias-inhabiles/2026");
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("revisa el formulario él mismo: todos los errores a la vez, en español, junto a cada campo", async () => {
    // A browser in English: the form must not show its widgets, bubbles or formats.
    const page = await openPage("/calculadora", 1280, "en-US");
    const t = es.calculator.notificacion;
    await page.getByRole("heading", { level: 1, name: es.calculator.title }).waitFor();
    const date = page.getByLabel(t.avisoDate, { exact: true });
    const time = page.getByLabel(t.avisoTime, { exact: true });
    expect(await date.getAttribute("type")).toBe("text");
    expect(await time.getAttribute("type")).toBe("text");

    // Nothing typed, and an opening half filled: every problem at once.
    await page.getByLabel(t.openedDate, { exact: true }).fill("14/04/2025");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(await textOf(summary.getByRole("heading"))).toBe(es.forms.summaryTitle(3));
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    const messages = [
      es.forms.dateMissing(t.avisoDate),
      es.forms.timeMissing(t.avisoTime),
      es.forms.timeMissing(t.openedTime),
    ];
    expect(await summary.getByRole("link").allTextContents()).toEqual(messages);
    expect(await date.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await date.getAttribute("aria-describedby")) ?? "";
    expect(await textOf(page.locator(`#${describedBy.split(" ")[0]}`))).toContain(messages[0]);
    await screenshot(page, "calculadora-errores-escritorio");
    expect(await axeViolations(page)).toEqual([]);

    // A link of the summary takes the keyboard to its field.
    await summary.getByRole("link", { name: messages[1] }).click();
    expect(await time.evaluate((element) => element === document.activeElement)).toBe(true);

    // The 12-hour clock is refused with a message, never left empty in silence.
    await date.fill("11/04/2025");
    await time.fill("07:00 PM");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    await expect
      .poll(() => summary.getByRole("link").allTextContents())
      .toEqual([es.forms.timeFormat(t.avisoTime), es.forms.timeMissing(t.openedTime)]);
    expect(await page.locator("section.result").count()).toBe(0);

    // 24 hours, typed: 19:00 is seven in the evening.
    await time.fill("19:00");
    await page.getByLabel(t.openedDate, { exact: true }).fill("");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();
    expect(await resultValue(page, labels.avisoAt)).toBe("viernes 11 de abril de 2025, 19:00 h");
    expect(await summary.count()).toBe(0);
    expect(jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("pasa la revisión de accesibilidad (axe) en cada página, en escritorio y a 390 px", async () => {
    for (const width of [1280, 390]) {
      const page = await openPage("/", width);
      for (const path of [
        "/",
        "/calculadora",
        "/dias-inhabiles/2025",
        "/verificacion",
        "/acceso",
        "/no-existe",
      ]) {
        await page.goto(`${site.url}${path}`);
        await page.getByRole("heading", { level: 1 }).waitFor();
        if (path.startsWith("/dias-inhabiles")) await page.getByRole("table").waitFor();
        expect(await axeViolations(page), `${path} a ${width} px`).toEqual([]);
      }
      // The unknown page is answered with a 404, which the browser logs: nothing else.
      expect(jsErrors(page).filter((error) => !error.includes("status of 404"))).toEqual([]);
      await page.context().close();
    }
  });

  it("responde 404 con la página a una dirección que no existe, y la página a un QR sin text/html", async () => {
    const missing = await fetch(`${site.url}/no-existe`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("text/html");
    const qr = await fetch(`${site.url}/verificacion/BI-20250203-100717151?codigo=abc`, {
      headers: { accept: "*/*" },
    });
    expect(qr.status).toBe(200);
    expect(qr.headers.get("content-type")).toContain("text/html");
    const page = await openPage("/no-existe");
    await page.getByRole("heading", { level: 1, name: es.notFound.title }).waitFor();
    await screenshot(page, "no-encontrada");
    await page.context().close();
  });

  it("lleva /dias-inhabiles al año en curso", async () => {
    const page = await openPage("/dias-inhabiles");
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/dias-inhabiles\/\d{4}$/);
    await page.context().close();
  });
});
