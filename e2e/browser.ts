import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
  type Request,
} from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startTestServer, type TestSystem, type TestSystemOptions } from "../src/testing/server.ts";

/** Where the flows leave their screenshots (gitignored); each flow creates it before it runs. */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

/**
 * Debian's Chromium, headless, with no background traffic: this machine has no network but
 * loopback, and Chromium's own connections would only fail.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--lang=es-MX",
    ],
  });
}

/** The system on loopback and Chromium, shared by the tests of one e2e file. */
export interface E2eSite {
  /** The server's base URL, e.g. http://127.0.0.1:PORT. */
  readonly url: string;
  readonly system: TestSystem;
  readonly browser: Browser;
}

/**
 * Starts the system with `options` and Chromium before the file's tests (and makes the
 * screenshots folder), and closes both after them. Call it at the top of the file: the file's own
 * `beforeAll` runs after this one, so it can use the site.
 */
export function siteInChromium(options: TestSystemOptions = {}): E2eSite {
  let server: Awaited<ReturnType<typeof startTestServer>> | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startTestServer(options);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = () => {
    if (!server || !browser) throw new Error("siteInChromium: used before its beforeAll ran");
    return { server, browser };
  };
  return {
    get url() {
      return started().server.url;
    },
    get system() {
      return started().server.system;
    },
    get browser() {
      return started().browser;
    },
  };
}

/**
 * A browser context as a person in Mexico has it, `width` pixels wide, but in Tokyo's time zone:
 * far from Zona Centro, so that the pages must not depend on the machine's zone.
 */
export function newTestContext(
  browser: Browser,
  width = 1280,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width, height: 900 },
    locale: "es-MX",
    timezoneId: "Asia/Tokyo",
    ...options,
  });
}

export interface PageWatchOptions<Sent> {
  /** Console errors to let pass (e.g. the refused requests a page expects); all count otherwise. */
  ignoreConsoleError?: RegExp;
  /** What to keep of each request a page sends; `undefined` keeps nothing of that request. */
  record?: (request: Request) => Sent | undefined;
}

/** Pages opened under watch, and what they did: a page that throws is a failing page. */
export interface PageWatch<Sent> {
  /** Opens `url` in a new page of `context`, watched from before it starts loading. */
  open(context: BrowserContext, url: string): Promise<Page>;
  /** The script errors and console errors a watched page showed so far. */
  jsErrors(page: Page): string[];
  /** What `record` kept of the requests a watched page sent so far, in order. */
  sent(page: Page): Sent[];
}

export function watchPages<Sent = never>(options: PageWatchOptions<Sent> = {}): PageWatch<Sent> {
  const pageErrors = new WeakMap<Page, string[]>();
  const pageSent = new WeakMap<Page, Sent[]>();
  return {
    async open(context, url) {
      const page = await context.newPage();
      const errors: string[] = [];
      const sent: Sent[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        if (options.ignoreConsoleError?.test(message.text())) return;
        errors.push(message.text());
      });
      const { record } = options;
      if (record) {
        page.on("request", (request) => {
          const kept = record(request);
          if (kept !== undefined) sent.push(kept);
        });
      }
      pageErrors.set(page, errors);
      pageSent.set(page, sent);
      await page.goto(url);
      return page;
    },
    jsErrors: (page) => pageErrors.get(page) ?? [],
    sent: (page) => pageSent.get(page) ?? [],
  };
}

/**
 * The paths of the POST requests a page sends from now until `stop()`, kept when `matches` says
 * so: what a double click sent, say (one challenge, one filing), however the page answered.
 */
export function watchPosts(
  page: Page,
  matches: (path: string) => boolean = () => true,
): { paths: string[]; stop(): void } {
  const paths: string[] = [];
  const listener = (request: { method(): string; url(): string }) => {
    const path = new URL(request.url()).pathname;
    if (request.method() === "POST" && matches(path)) paths.push(path);
  };
  page.on("request", listener);
  return { paths, stop: () => page.off("request", listener) };
}

/** A full-page screenshot, `SCREENSHOTS/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of an element (Playwright's locator, not a DOM node), its white space collapsed. */
export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** The page's alert that says something (empty live regions wait for their message). */
export function alertOf(page: Page): Locator {
  return page.getByRole("alert").filter({ hasText: /\S/ });
}

let axeSource: Promise<string> | undefined;

/**
 * The WCAG 2.2 A/AA violations axe-core finds on the page as it is now, as "rule: target"
 * lines. axe is evaluated through the DevTools protocol, so the site's strict CSP stays on.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    })) as { violations: { id: string; nodes: { target: unknown[] }[] }[] };
    return result.violations.flatMap((v) =>
      v.nodes.map((node) => `${v.id}: ${node.target.map(String).join(" ")}`),
    );
  });
  return violations;
}
