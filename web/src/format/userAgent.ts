import { es } from "../i18n/es.ts";

/**
 * A short Spanish description of a browser's User-Agent ("Chrome en Windows"), enough for a
 * person to recognize their own sessions. Order matters: Edge and Opera also say "Chrome",
 * and Chrome also says "Safari".
 */

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/(Chrome|Chromium|CriOS)\//, "Chrome"], // also "HeadlessChrome"
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, "Windows"],
  [/\b(iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

function find(table: [RegExp, string][], text: string): string | undefined {
  return table.find(([pattern]) => pattern.test(text))?.[1];
}

export function describeUserAgent(userAgent: string | null): string {
  const t = es.sessions;
  if (!userAgent) return t.unknown;
  const browser = find(BROWSERS, userAgent);
  const system = find(SYSTEMS, userAgent);
  if (!browser && !system) return t.unknown;
  return t.device(browser ?? t.unknownBrowser, system ?? t.unknownSystem);
}
