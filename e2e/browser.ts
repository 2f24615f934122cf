import { type Browser, chromium } from "playwright-core";

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
