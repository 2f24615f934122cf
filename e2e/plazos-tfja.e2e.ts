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

/**
 * Issue 10 in the browser: the juicio de nulidad on the TFJA's calendar (the shipped
 * calendarios/tfja.json), the result's warnings and both calendars, the options «sin medios de
 * defensa» and «conocimiento», and the «Días inhábiles» page with one tab per authority.
 */
const CALENDAR = {
  authority: "IMSS",
  version: "e2e-tfja",
  years: [2025],
  days: [
    { date: "2025-04-17", reason: "Jueves Santo", source: "Acuerdo de prueba" },
    { date: "2025-04-18", reason: "Viernes Santo", source: "Acuerdo de prueba" },
  ],
};

const t = es.calculator.notificacion;
const labels = t.labels;
const pages = watchPages();
const site = siteInChromium({ calendar: CALENDAR });

async function openPage(path: string, width = 1280): Promise<Page> {
  return pages.open(await newTestContext(site.browser, width), `${site.url}${path}`);
}

async function resultValue(page: Page, label: string): Promise<string> {
  return textOf(
    page.locator(
      `xpath=//dl[contains(@class,"summary")]//dt[normalize-space()="${label}"]/following-sibling::dd[1]`,
    ),
  );
}

/** The aviso of 25 Jun 2026 opened on the 26th: the notification takes effect Mon 29 Jun. */
async function calculate29June(
  page: Page,
  options: (page: Page) => Promise<void> = async () => {},
) {
  await page.getByLabel(t.avisoDate, { exact: true }).fill("25/06/2026");
  await page.getByLabel(t.avisoTime, { exact: true }).fill("10:00");
  await page.getByLabel(t.openedDate, { exact: true }).fill("26/06/2026");
  await page.getByLabel(t.openedTime, { exact: true }).fill("11:00");
  await options(page);
  await page.getByRole("button", { name: es.calculator.submit }).click();
  await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();
}

/** Whether a text opens a parenthesis inside another one. */
function nestsParentheses(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (depth > 1) return true;
  }
  return false;
}

describe("Plazos con el calendario del TFJA en el navegador (issue 10)", () => {
  it("cuenta el juicio de nulidad en el calendario del TFJA, muestra ambos calendarios y la advertencia", async () => {
    const page = await openPage("/calculadora");
    await calculate29June(page);
    expect(await resultValue(page, labels.effectiveOn)).toBe("lunes 29 de junio de 2026");
    // 30 business days of the TFJA, its 13–31 July and 28 August left out: 1 Sep (10 Aug on
    // the IMSS's days).
    expect(await resultValue(page, labels.juicioNulidadBy)).toBe("martes 1 de septiembre de 2026");
    expect(await resultValue(page, labels.terms)).toBe(t.terms(15, 30, false));

    const result = page.locator("section.result");
    const stamp = await textOf(result.getByRole("list", { name: es.calculator.calendarsLabel }));
    expect(stamp).toContain(es.calculator.calendarVersion("IMSS", "e2e-tfja"));
    expect(stamp).toContain(es.calculator.nulidadCalendar("TFJA", "2026-1"));

    // The IMSS calendar declares 2025 only: 2026 is a gap, said under the dates.
    const warnings = result.getByRole("region", { name: es.calculator.warnings.title });
    const gap = warnings.locator('[data-code="calendario_sin_declaracion"]');
    expect(await textOf(gap)).toContain("calendario IMSS no contiene días inhábiles");

    // The explanation: the TFJA's vacation as one range with its kind, weekends only counted,
    // no nested parentheses.
    const explanation = await textOf(result.locator("ol"));
    expect(explanation).toContain(
      "del miércoles 15 de julio de 2026 al viernes 31 de julio de 2026: Primer periodo vacacional del TFJA, declarado por el TFJA como vacaciones generales",
    );
    expect(explanation).toContain("días de fin de semana");
    expect(explanation).not.toContain("sábado 4 de julio de 2026");
    for (const step of await result.locator("ol > li").allTextContents()) {
      expect(nestsParentheses(step), step).toBe(false);
    }
    await screenshot(page, "calculadora-tfja-escritorio");
    expect(await axeViolations(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("advierte de un aviso fuera del horario de 09:30 a 18:00, con la fecha de la otra lectura", async () => {
    const page = await openPage("/calculadora");
    await page.getByLabel(t.avisoDate, { exact: true }).fill("11/04/2025");
    await page.getByLabel(t.avisoTime, { exact: true }).fill("20:00");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    await page.getByRole("heading", { name: es.calculator.resultTitle }).waitFor();
    const item = page.locator('[data-code="aviso_fuera_de_horario"]');
    expect(await textOf(item)).toContain("fuera del horario de notificación");
    expect(await textOf(item)).toContain(es.calculator.warnings.otherReading);
    const other = (label: string) =>
      textOf(item.locator(`xpath=.//dt[normalize-space()="${label}"]/following-sibling::dd[1]`));
    // This reading: notified Mon 21 Apr at 09:30; the other: the aviso at 09:30 of Mon 14.
    expect(await resultValue(page, labels.notifiedAt)).toBe("lunes 21 de abril de 2025, 09:30 h");
    expect(await other(labels.notifiedAt)).toBe("martes 22 de abril de 2025, 09:30 h");
    expect(await other(labels.effectiveOn)).toBe("miércoles 23 de abril de 2025");
    await screenshot(page, "calculadora-advertencia-horario");
    expect(pages.jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("duplica los plazos si el acto no señala los medios de defensa, y cuenta desde el conocimiento manifestado", async () => {
    const page = await openPage("/calculadora");
    // The TFJA version in force is offered by name.
    const select = page.getByLabel(t.calendarioTfja, { exact: true });
    expect(await select.locator("option").first().textContent()).toBe(
      t.calendarioTfjaCurrent("2026-1"),
    );
    await calculate29June(page, (p) => p.getByLabel(t.sinMediosLabel).check());
    expect(await resultValue(page, labels.terms)).toBe(t.terms(30, 60, true));
    // 30 business days of the IMSS calendar (20 Jul with 15), 60 of the TFJA's (1 Sep with 30).
    expect(await resultValue(page, labels.recursoInconformidadBy)).toBe(
      "lunes 10 de agosto de 2026",
    );
    expect(await resultValue(page, labels.juicioNulidadBy)).toBe("lunes 19 de octubre de 2026");
    expect(await textOf(page.locator("section.result ol"))).toContain(
      "Ley Federal de los Derechos del Contribuyente art. 23",
    );
    await screenshot(page, "calculadora-sin-medios");

    // A malformed date of knowledge is caught in the page, next to its field.
    await page.getByLabel(t.sinMediosLabel).uncheck();
    const known = page.getByLabel(t.conocimiento, { exact: true });
    await known.fill("2026-06-25");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    await expect
      .poll(() => page.locator(".error-summary").getByRole("link").allTextContents())
      .toEqual([es.forms.dateFormat(t.conocimiento)]);
    expect(await known.getAttribute("aria-invalid")).toBe("true");

    await known.fill("25/06/2026");
    await page.getByRole("button", { name: es.calculator.submit }).click();
    // The knowledge governs (CFF 135 ¶2): one row says the effect comes from it, not two rows.
    await expect
      .poll(() => resultValue(page, labels.effectiveOnByConocimiento))
      .toBe("jueves 25 de junio de 2026");
    const dts = await page.locator("section.result dl dt").allTextContents();
    expect(dts.map((d) => d.trim())).not.toContain(labels.conocimiento);
    expect(dts.map((d) => d.trim())).not.toContain(labels.effectiveOn);
    expect(await resultValue(page, labels.juicioNulidadBy)).toBe("jueves 27 de agosto de 2026");
    expect(pages.jsErrors(page)).toEqual([]);
    await page.context().close();
  });

  it("se lee en un teléfono de 390 px, con sus advertencias y opciones", async () => {
    const page = await openPage("/calculadora", 390);
    await calculate29June(page, (p) => p.getByLabel(t.sinMediosLabel).check());
    expect(await resultValue(page, labels.juicioNulidadBy)).toBe("lunes 19 de octubre de 2026");
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "calculadora-tfja-telefono");
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it("muestra los días inhábiles por autoridad: la pestaña del TFJA lista del 13 al 31 de julio de 2026", async () => {
    for (const width of [1280, 390]) {
      const page = await openPage("/dias-inhabiles/2026", width);
      await page.getByRole("heading", { level: 1, name: es.nonBusinessDays.title(2026) }).waitFor();
      const nav = page.getByRole("navigation", { name: es.nonBusinessDays.authorityNav });
      const imss = nav.getByRole("link", { name: "IMSS", exact: true });
      const tfja = nav.getByRole("link", { name: "TFJA", exact: true });
      expect(await imss.getAttribute("aria-current")).toBe("page");
      // The IMSS's shipped calendar for this test declares 2025 only: said, not hidden.
      expect(await textOf(page.locator("main"))).toContain(
        es.nonBusinessDays.undeclared("IMSS", "e2e-tfja", 2026),
      );

      await tfja.click();
      await expect.poll(() => tfja.getAttribute("aria-current")).toBe("page");
      expect(new URL(page.url()).search).toBe("?autoridad=TFJA");
      const table = page.getByRole("table");
      await table.waitFor();
      expect(await textOf(table.locator("caption"))).toContain("calendario TFJA");
      const dates = await table
        .locator("tbody th time")
        .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("datetime")));
      for (let day = 13; day <= 31; day++) expect(dates).toContain(`2026-07-${day}`);
      const row = (date: string) => table.locator("tr", { hasText: date });
      expect(await textOf(row("15 de julio de 2026"))).toContain(
        es.nonBusinessDays.dayKinds.vacaciones_generales,
      );
      expect(await textOf(row("15 de julio de 2026"))).toContain(
        es.nonBusinessDays.declaredBy("TFJA"),
      );
      expect(await textOf(row("13 de julio de 2026"))).toContain(
        es.nonBusinessDays.dayKinds.inhabil,
      );
      expect(await textOf(row("16 de septiembre de 2026"))).toContain(es.nonBusinessDays.kinds.cff);
      expect(await textOf(page.locator("main"))).toContain(
        es.nonBusinessDays.calendar("TFJA", "2026-1"),
      );
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `dias-inhabiles-tfja-${width === 390 ? "telefono" : "escritorio"}`);
      expect(await axeViolations(page), `a ${width} px`).toEqual([]);

      // The year links keep the authority.
      await page.getByRole("link", { name: es.nonBusinessDays.next(2027) }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe("/dias-inhabiles/2027");
      expect(new URL(page.url()).search).toBe("?autoridad=TFJA");
      // Arrow keys are not needed: the tabs are links, reached with Tab and followed with Enter.
      await imss.focus();
      await page.keyboard.press("Enter");
      await expect.poll(() => new URL(page.url()).search).toBe("");
      expect(pages.jsErrors(page)).toEqual([]);
      await page.context().close();
    }
  });
});
