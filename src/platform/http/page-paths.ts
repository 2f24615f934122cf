/**
 * The web app's pages, shared by the server (which answers 200 with index.html for them and 404
 * for any other page) and the web router (which renders them). Vite reads this file: no
 * node-only imports. `:name` is one path segment; a trailing `?` makes it optional.
 */
export const PAGE_PATHS = {
  home: "/",
  calculator: "/calculadora",
  nonBusinessDays: "/dias-inhabiles",
  nonBusinessDaysOfYear: "/dias-inhabiles/:year",
  verification: "/verificacion/:folio?",
  signIn: "/acceso",
  /** Where «Salir» posts; a plain visit goes home. */
  signOut: "/salir",
  mailbox: "/buzon",
  sessions: "/buzon/sesiones",
} as const;

function patternOf(path: string): RegExp {
  const segments = path
    .split("/")
    .filter((s) => s !== "")
    .map((segment) => {
      const param = /^:[A-Za-z]+(\?)?$/.exec(segment);
      if (!param) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
      return param[1] ? "(?:/[^/]+)?" : "/[^/]+";
    });
  return new RegExp(`^${segments.join("")}/?$`);
}

const PATTERNS = Object.values(PAGE_PATHS).map(patternOf);

/** Whether a pathname (no query string) is one of the web app's pages. */
export function isPagePath(pathname: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(pathname));
}
