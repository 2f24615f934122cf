import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { issueTestEfirma, SAT_FIXTURES } from "../src/testing/efirma.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  alertOf,
  axeViolations,
  newTestContext,
  screenshot as saveScreenshot,
  siteInChromium,
  textOf,
  watchPages,
  watchPosts,
} from "./browser.ts";

const CSD = join(SAT_FIXTURES, "fake-csd");

const t = es.signIn;

/**
 * Script errors and console errors seen by each page (a refused request is one: the app asks
 * for the session without a 401), and every request body each page sent, to prove what never
 * leaves the browser.
 */
const pages = watchPages({
  record: (request) => request.postData() || undefined,
});
const jsErrors = pages.jsErrors;
const sentBodies = pages.sent;
const site = siteInChromium({ trustDevCa: true });

let moral: IssuedEfirma;
/** A persona física of her own, so her sessions do not show in the moral's «Mis sesiones». */
let fisica: IssuedEfirma;

beforeAll(async () => {
  // A persona moral from the development CA: EKU9003173C9 with its representative VADA800927DJ3.
  moral = await issueTestEfirma();
  fisica = await issueTestEfirma({
    rfc: "CACX7605101P8",
    name: "XOCHILT CASAS CHAVEZ",
    curp: "CACX760510MGTSHC04",
    representativeRfc: undefined,
    representativeCurp: undefined,
  });
});

function newContext(width = 1280): Promise<BrowserContext> {
  return newTestContext(site.browser, width);
}

function openPage(context: BrowserContext, path: string): Promise<Page> {
  return pages.open(context, `${site.url}${path}`);
}

async function screenshot(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, `acceso-${name}`);
}

async function fillSignIn(
  page: Page,
  files: { rfc: string; cerPath: string; keyPath: string; password: string },
): Promise<void> {
  await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
  await page.getByLabel(t.rfc, { exact: true }).fill(files.rfc);
  await page.getByLabel(t.certificate, { exact: true }).setInputFiles(files.cerPath);
  await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(files.keyPath);
  await page.getByLabel(t.password, { exact: true }).fill(files.password);
  await page.getByRole("button", { name: t.submit, exact: true }).click();
}

async function signInAsMoral(page: Page): Promise<void> {
  await fillSignIn(page, moral);
  await page.waitForURL(/\/buzon$/);
  await page
    .getByRole("heading", { level: 1, name: es.mailbox.title("ESCUELA KEMPER URGATE SA DE CV") })
    .waitFor();
}

/** The session bar's own "Cerrar sesión" (the sessions table has one per row too). */
function signOutButton(page: Page): Locator {
  return page
    .getByRole("region", { name: es.mailbox.signedInLabel })
    .getByRole("button", { name: es.mailbox.signOut, exact: true });
}

describe("Validación FIEL en el navegador", () => {
  it("deja la sesión en una cookie que termina con el navegador, salvo «Mantener la sesión»", async () => {
    const sessionCookie = async (context: BrowserContext) =>
      (await context.cookies()).find((c) => c.name === "buzon_sesion");
    const passing = await newContext();
    await fillSignIn(await openPage(passing, "/acceso"), fisica);
    await expect.poll(async () => (await sessionCookie(passing))?.value).toBeTruthy();
    // Playwright reports a cookie that ends with the browser as expires -1.
    expect((await sessionCookie(passing))?.expires).toBe(-1);
    await passing.close();

    const kept = await newContext();
    const page = await openPage(kept, "/acceso");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    await page.getByLabel(t.keepSignedIn, { exact: true }).check();
    await screenshot(page, "mantener-sesion");
    await fillSignIn(page, fisica);
    await expect.poll(async () => (await sessionCookie(kept))?.value).toBeTruthy();
    const expires = (await sessionCookie(kept))?.expires ?? -1;
    // SESSION_MAX_HOURS (12 by default) from now, give or take the test's own pace.
    expect(expires * 1000).toBeGreaterThan(Date.now() + 11 * 3600_000);
    await kept.close();
  });

  it("un doble clic en «Ingresar» pide un solo desafío y abre una sola sesión", async () => {
    const context = await newContext();
    const page = await openPage(context, "/acceso");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    // Refused first in the page (no password): the form must still take the next submission.
    await page.getByRole("button", { name: t.submit, exact: true }).click();
    await page.locator(".error-summary").waitFor();
    const posts = watchPosts(page);
    await page.getByLabel(t.rfc, { exact: true }).fill(fisica.rfc);
    await page.getByLabel(t.certificate, { exact: true }).setInputFiles(fisica.cerPath);
    await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(fisica.keyPath);
    await page.getByLabel(t.password, { exact: true }).fill(fisica.password);
    await page.getByRole("button", { name: t.submit, exact: true }).dblclick();
    await page.waitForURL(/\/buzon$/);
    await page
      .getByRole("heading", { level: 1, name: es.mailbox.title("XOCHILT CASAS CHAVEZ") })
      .waitFor();
    posts.stop();
    expect(posts.paths).toEqual(["/api/v1/auth/desafio", "/api/v1/auth/sesion"]);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("una persona moral ingresa, ve su buzón y sus sesiones, y cierra sesión", async () => {
    const context = await newContext();
    const page = await openPage(context, "/acceso");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const nav = page.getByRole("navigation", { name: es.nav.label });
    expect(await nav.getByRole("link", { name: es.nav.signIn }).getAttribute("aria-current")).toBe(
      "page",
    );
    const form = await textOf(page.locator("main"));
    expect(form).toContain(t.required);
    expect(form).toContain(t.privacyNote);
    await screenshot(page, "formulario");

    // Lower case is taken as upper case; the certificate is described once chosen.
    await page.getByLabel(t.rfc, { exact: true }).fill(moral.rfc.toLowerCase());
    expect(await page.getByLabel(t.rfc, { exact: true }).inputValue()).toBe(moral.rfc);
    await page.getByLabel(t.certificate, { exact: true }).setInputFiles(moral.cerPath);
    await page.getByText(t.certificateOf("ESCUELA KEMPER URGATE SA DE CV", moral.rfc)).waitFor();
    await page.getByLabel(t.privateKey, { exact: true }).setInputFiles(moral.keyPath);
    await page.getByLabel(t.password, { exact: true }).fill(moral.password);
    await screenshot(page, "formulario-lleno");
    await page.getByRole("button", { name: t.submit, exact: true }).click();

    await page.waitForURL(/\/buzon$/);
    const title = es.mailbox.title("ESCUELA KEMPER URGATE SA DE CV");
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
    await expect.poll(() => page.title()).toContain(title);
    const main = await textOf(page.locator("main"));
    expect(main).toContain(moral.rfc);
    expect(main).toContain(es.mailbox.personas.moral);
    expect(main).toContain("VADA800927DJ3");
    // A label and its value like the other facts: only the label bold.
    const representative = page.locator(".facts__row", {
      has: page.locator("dt", { hasText: es.mailbox.facts.representative }),
    });
    expect(await textOf(representative.locator("dd"))).toMatch(/VADA800927DJ3\)?$/);
    expect(
      await representative.locator("dd").evaluate((dd) => getComputedStyle(dd).fontWeight),
    ).toBe("400");
    expect(main).toContain(es.mailbox.status(es.mailbox.statuses.sin_medios ?? ""));
    const bar = page.getByRole("region", { name: es.mailbox.signedInLabel });
    expect(await textOf(bar)).toContain("ESCUELA KEMPER URGATE SA DE CV");
    // The navigation names who is signed in and offers «Salir», not «Ingresar».
    const signedNav = page.getByRole("navigation", { name: es.nav.label });
    // On a desktop the menus never fold: no «Menú» button, every link in sight.
    expect(await page.getByRole("button", { name: es.compactMenu.site }).count()).toBe(0);
    expect(await page.getByRole("button", { name: es.compactMenu.mailbox }).count()).toBe(0);
    await signedNav.getByRole("link", { name: /ESCUELA KEMPER URGATE SA DE CV/ }).waitFor();
    expect(await textOf(signedNav)).toContain(`(${moral.rfc})`);
    expect(await signedNav.getByRole("button", { name: es.nav.signOut }).count()).toBe(1);
    expect(await signedNav.getByRole("link", { name: es.nav.signIn }).count()).toBe(0);
    await screenshot(page, "buzon");
    expect(await axeViolations(page)).toEqual([]);

    // Inicio shows the session too, without asking the server again.
    const sessionProbes: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/v1/auth/sesion")
        sessionProbes.push(request.method());
    });
    await signedNav.getByRole("link", { name: es.nav.home }).click();
    await page
      .getByText(es.home.sessionTitle("ESCUELA KEMPER URGATE SA DE CV", moral.rfc))
      .waitFor();
    await screenshot(page, "inicio-con-sesion");
    await signedNav.getByRole("link", { name: /ESCUELA KEMPER URGATE SA DE CV/ }).click();
    await page.waitForURL(/\/buzon$/);
    expect(sessionProbes).toEqual([]);

    // The hard rule: only the RFC, the certificate and a signature travelled.
    const key = await readFile(moral.keyPath);
    for (const body of sentBodies(page)) {
      expect(body).not.toContain(moral.password);
      expect(body).not.toContain(key.toString("base64").slice(0, 40));
    }
    expect(sentBodies(page).some((body) => body.includes('"signature"'))).toBe(true);

    // A second session of the same person, in another browser.
    const otherContext = await newContext();
    const other = await openPage(otherContext, "/acceso");
    await signInAsMoral(other);

    await page.getByRole("link", { name: es.mailbox.sessions, exact: true }).click();
    await page.waitForURL(/\/buzon\/sesiones$/);
    await page.getByRole("heading", { level: 1, name: es.sessions.title }).waitFor();
    const rows = page.getByRole("table").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(2);
    const current = rows.filter({ hasText: es.sessions.current });
    expect(await current.count()).toBe(1);
    expect(await textOf(current)).toContain("Chrome");
    await screenshot(page, "sesiones");
    expect(await axeViolations(page)).toEqual([]);

    // Close the other session from here: it is gone there too.
    const otherRow = rows.filter({ hasNotText: es.sessions.current });
    await otherRow.getByRole("button", { name: /^Cerrar sesión iniciada el / }).click();
    await page.getByText(es.sessions.closed).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await screenshot(page, "sesiones-otra-cerrada");
    await other.goto(`${site.url}/buzon`);
    await other.waitForURL(/\/acceso\?aviso=sessionEnded$/);
    await other.getByText(t.notices.sessionEnded).waitFor();
    expect(jsErrors(other)).toEqual([]);
    await otherContext.close();

    // Sign out.
    await signOutButton(page).click();
    await page.waitForURL(/\/acceso\?aviso=signedOut$/);
    await page.getByText(t.notices.signedOut).waitFor();
    await nav.getByRole("link", { name: es.nav.signIn }).waitFor();
    await screenshot(page, "sesion-cerrada");
    await page.goto(`${site.url}/buzon`);
    await page.waitForURL(/\/acceso\?aviso=sessionEnded$/);
    await page.getByText(t.notices.sessionEnded).waitFor();
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("rechaza en español el CSD (sello digital) del SAT", async () => {
    const context = await newContext();
    const page = await openPage(context, "/acceso");
    const password = (await readFile(join(CSD, "EKU9003173C9-password.txt"), "utf8")).trim();
    await fillSignIn(page, {
      rfc: "EKU9003173C9",
      cerPath: join(CSD, "EKU9003173C9.cer"),
      keyPath: join(CSD, "EKU9003173C9.key"),
      password,
    });
    await alertOf(page).waitFor();
    const refusal = await textOf(alertOf(page));
    expect(refusal).toMatch(/CSD|sello digital/);
    expect(refusal).toMatch(/e\.firma/);
    expect(new URL(page.url()).pathname).toBe("/acceso");
    // The password is not kept in the form after it was used.
    expect(await page.getByLabel(t.password, { exact: true }).inputValue()).toBe("");
    await expect
      .poll(() => page.getByRole("button", { name: t.submit, exact: true }).isEnabled())
      .toBe(true);
    await screenshot(page, "csd-rechazado");
    // The browser logs the refused sign-in itself (401); nothing else.
    expect(jsErrors(page).filter((error) => !error.includes("status of 401"))).toEqual([]);
    await context.close();
  });

  it("detecta en el navegador una contraseña equivocada y un RFC distinto, sin llamar al servidor", async () => {
    const context = await newContext();
    const page = await openPage(context, "/acceso");
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) apiCalls.push(request.url());
    });

    // Nothing filled in: every field's message at once, in Spanish, next to it and in a summary.
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    await page.getByRole("button", { name: t.submit, exact: true }).click();
    const summary = page.locator(".error-summary");
    await summary.waitFor();
    expect(await summary.getByRole("link").allTextContents()).toEqual([
      t.errors.rfcMissing,
      t.errors.certificateMissing,
      t.errors.privateKeyMissing,
      t.errors.passwordMissing,
    ]);
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator(".field-error").count()).toBe(4);
    expect(await textOf(page.locator(".file-picker").first())).toContain(es.forms.noFile);
    await screenshot(page, "todos-los-errores");
    expect(await axeViolations(page)).toEqual([]);

    await fillSignIn(page, { ...moral, password: `${moral.password}x` });
    // The field to fix is marked invalid, with its message next to it.
    const passwordField = page.getByLabel(t.password, { exact: true });
    await expect
      .poll(() => summary.getByRole("link").allTextContents())
      .toEqual([es.efirma.errors.wrong_password]);
    expect(await passwordField.getAttribute("aria-invalid")).toBe("true");
    expect(await passwordField.getAttribute("aria-describedby")).toContain("contrasena-error");
    expect(await textOf(page.locator(".file-picker").first())).toContain(
      moral.cerPath.split("/").pop()!,
    );
    await screenshot(page, "contrasena-incorrecta");

    await page.getByLabel(t.rfc, { exact: true }).fill("VADA800927DJ3");
    await passwordField.fill(moral.password);
    await page.getByRole("button", { name: t.submit, exact: true }).click();
    await expect
      .poll(() => summary.getByRole("link").allTextContents())
      .toEqual([t.errors.rfcMismatch(moral.rfc, "VADA800927DJ3")]);
    expect(await page.getByLabel(t.rfc, { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "rfc-distinto");

    expect(apiCalls).toEqual([]);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("se usa en un teléfono", async () => {
    const context = await newContext(390);
    const page = await openPage(context, "/acceso");
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "telefono");
    await signInAsMoral(page);

    // Both menus folded: the page's title is in sight without scrolling.
    const siteMenu = page
      .getByRole("navigation", { name: es.nav.label })
      .getByRole("button", { name: es.compactMenu.site, exact: true });
    const mailboxMenu = page
      .getByRole("region", { name: es.mailbox.signedInLabel })
      .getByRole("button", { name: es.compactMenu.mailbox, exact: true });
    expect(await siteMenu.getAttribute("aria-expanded")).toBe("false");
    expect(await mailboxMenu.getAttribute("aria-expanded")).toBe("false");
    const sessions = page.getByRole("link", { name: es.mailbox.sessions, exact: true });
    expect(await sessions.isVisible()).toBe(false);
    const h1 = await page.getByRole("heading", { level: 1 }).boundingBox();
    expect(h1?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(400);
    await screenshot(page, "buzon-telefono");
    expect(await axeViolations(page)).toEqual([]);

    // The site's menu by keyboard: Enter opens it, its links follow; Escape folds it back.
    await siteMenu.focus();
    await page.keyboard.press("Enter");
    expect(await siteMenu.getAttribute("aria-expanded")).toBe("true");
    const calculator = page.getByRole("link", { name: es.nav.calculator, exact: true });
    expect(await calculator.isVisible()).toBe(true);
    expect(
      await page.evaluate(
        (id) => document.getElementById(id ?? "")?.tagName,
        await siteMenu.getAttribute("aria-controls"),
      ),
    ).toBe("UL");
    await screenshot(page, "buzon-telefono-menu");
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    expect(await siteMenu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain(
      es.compactMenu.site,
    );

    // The mailbox's menu: a link followed folds it on the new page.
    await mailboxMenu.click();
    await screenshot(page, "buzon-telefono-opciones");
    await sessions.click();
    await page.getByRole("table").waitFor();
    expect(await mailboxMenu.getAttribute("aria-expanded")).toBe("false");
    const sessionsOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(sessionsOverflow).toBeLessThanOrEqual(0);
    await screenshot(page, "sesiones-telefono");
    expect(await axeViolations(page)).toEqual([]);
    await mailboxMenu.click();
    await signOutButton(page).click();
    await page.waitForURL(/\/acceso\?aviso=signedOut$/);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });
});
