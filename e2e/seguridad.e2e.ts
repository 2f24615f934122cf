import { describe, expect, it } from "vitest";
import { newTestContext, screenshot, siteInChromium, watchPages } from "./browser.ts";

/**
 * The Content-Security-Policy is strict (everything 'self', no inline code): these pages must
 * work under it. Chromium reports every refused script, style, image or connection as a console
 * error «Refused to …», which the watcher counts as a failing page.
 */
const pages = watchPages({ ignoreConsoleError: /status of 401/ });
const site = siteInChromium();

describe("the strict Content-Security-Policy", () => {
  it.each([
    ["/", "seguridad-inicio", /Buzón IMSS/],
    ["/calculadora", "seguridad-calculadora", /plazo/i],
    ["/verificacion", "seguridad-verificacion", /Verificación/],
    ["/acceso", "seguridad-acceso", /e\.firma/],
    ["/dias-inhabiles/2025", "seguridad-dias", /2025/],
  ])("refuses nothing on %s", async (path, name, text) => {
    const context = await newTestContext(site.browser);
    const page = await pages.open(context, `${site.url}${path}`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("body").textContent()).toMatch(text);
    await screenshot(page, name);
    expect(pages.jsErrors(page).filter((e) => /Refused to/.test(e))).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("lets Swagger UI render the API documentation with its own files only", async () => {
    const context = await newTestContext(site.browser);
    const page = await pages.open(context, `${site.url}/api/docs`);
    await page.locator(".swagger-ui .info .title").waitFor();
    await page.waitForLoadState("networkidle");
    await expect
      .poll(() => page.locator(".swagger-ui .info .title").textContent())
      .toMatch(/Buzón IMSS API/);
    await screenshot(page, "seguridad-api-docs");
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("is not shown inside another site's frame", async () => {
    const context = await newTestContext(site.browser);
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on("console", (message) => {
      if (/Refused to frame|frame-ancestors/.test(message.text())) refusals.push(message.text());
    });
    // A page of another origin (about:blank's opaque one) that tries to frame the site.
    await page.setContent(`<iframe src="${site.url}/"></iframe>`);
    await expect.poll(() => refusals.length).toBeGreaterThan(0);
    await context.close();
  });
});
