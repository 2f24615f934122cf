import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { issueTestEfirma, SAT_FIXTURES } from "../src/testing/efirma.ts";
import { startTestServer } from "../src/testing/server.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  alertOf,
  launchChromium,
  newTestContext,
  SCREENSHOTS,
  screenshot as saveScreenshot,
  textOf,
  watchPages,
} from "./browser.ts";

const CSD = join(SAT_FIXTURES, "fake-csd");

const t = es.signIn;

/**
 * Script errors and console errors seen by each page (the 401s the app expects aside), and every
 * request body each page sent, to prove what never leaves the browser.
 */
const pages = watchPages({
  // The browser logs every refused request; the app asks for the session expecting 401s.
  ignoreConsoleError: /status of 401/,
  record: (request) => request.postData() || undefined,
});
const jsErrors = pages.jsErrors;
const sentBodies = pages.sent;

let server: { url: string; close(): Promise<void> };
let browser: Browser;
let moral: IssuedEfirma;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  server = await startTestServer({ trustDevCa: true });
  // A persona moral from the development CA: EKU9003173C9 with its representative VADA800927DJ3.
  moral = await issueTestEfirma();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

function newContext(width = 1280): Promise<BrowserContext> {
  return newTestContext(browser, width);
}

function openPage(context: BrowserContext, path: string): Promise<Page> {
  return pages.open(context, `${server.url}${path}`);
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
    expect(main).toMatch(/Representante legal: .*VADA800927DJ3/);
    expect(main).toContain(es.mailbox.status(es.mailbox.statuses.no_habilitado ?? ""));
    const bar = page.getByRole("region", { name: es.mailbox.signedInLabel });
    expect(await textOf(bar)).toContain("ESCUELA KEMPER URGATE SA DE CV");
    await screenshot(page, "buzon");

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

    // Close the other session from here: it is gone there too.
    const otherRow = rows.filter({ hasNotText: es.sessions.current });
    await otherRow.getByRole("button", { name: /^Cerrar sesión iniciada el / }).click();
    await page.getByText(es.sessions.closed).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    await screenshot(page, "sesiones-otra-cerrada");
    await other.goto(`${server.url}/buzon`);
    await other.waitForURL(/\/acceso$/);
    await other.getByText(t.notices.sessionEnded).waitFor();
    expect(jsErrors(other)).toEqual([]);
    await otherContext.close();

    // Sign out.
    await signOutButton(page).click();
    await page.waitForURL(/\/acceso$/);
    await page.getByText(t.notices.signedOut).waitFor();
    await screenshot(page, "sesion-cerrada");
    await page.goto(`${server.url}/buzon`);
    await page.waitForURL(/\/acceso$/);
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
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("detecta en el navegador una contraseña equivocada y un RFC distinto, sin llamar al servidor", async () => {
    const context = await newContext();
    const page = await openPage(context, "/acceso");
    const apiCalls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) apiCalls.push(request.url());
    });

    await fillSignIn(page, { ...moral, password: `${moral.password}x` });
    await alertOf(page).waitFor();
    expect(await textOf(alertOf(page))).toBe(es.efirma.errors.wrong_password);
    // The field to fix takes the focus and is marked invalid.
    const passwordField = page.getByLabel(t.password, { exact: true });
    expect(await passwordField.evaluate((element) => element === document.activeElement)).toBe(
      true,
    );
    expect(await passwordField.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "contrasena-incorrecta");

    await page.getByLabel(t.rfc, { exact: true }).fill("VADA800927DJ3");
    await passwordField.fill(moral.password);
    await page.getByRole("button", { name: t.submit, exact: true }).click();
    await expect
      .poll(() => textOf(alertOf(page)))
      .toBe(t.errors.rfcMismatch(moral.rfc, "VADA800927DJ3"));
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
    await page.getByRole("link", { name: es.mailbox.sessions, exact: true }).click();
    await page.getByRole("table").waitFor();
    const sessionsOverflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(sessionsOverflow).toBeLessThanOrEqual(0);
    await screenshot(page, "sesiones-telefono");
    await signOutButton(page).click();
    await page.waitForURL(/\/acceso$/);
    expect(jsErrors(page)).toEqual([]);
    await context.close();
  });
});
