import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoIssuerNote } from "../src/cli/demo-efirmas.ts";
import { SAT_FIXTURES } from "../src/testing/efirma.ts";
import { es } from "../web/src/i18n/es.ts";
import {
  alertOf,
  newTestContext,
  screenshot,
  siteInChromium,
  textOf,
  watchPages,
} from "./browser.ts";

const FIEL = join(SAT_FIXTURES, "fake-fiel");
const t = es.signIn;
const pages = watchPages();
// As `serve --demo` runs: only the development CA is trusted, and a refusal says so.
const site = siteInChromium({
  trustDevCa: true,
  unknownIssuerNote: demoIssuerNote("/srv/buzon/data/demo/dev-ca"),
});

describe("la demostración", () => {
  it("dice, al rechazar la e.firma de prueba del SAT, que solo acepta las suyas y dónde están", async () => {
    const context = await newTestContext(site.browser, 1280);
    const page = await pages.open(context, `${site.url}/acceso`);
    await page.getByRole("heading", { level: 1, name: t.title }).waitFor();
    await page.getByLabel(t.rfc, { exact: true }).fill("EKU9003173C9");
    await page
      .getByLabel(t.certificate, { exact: true })
      .setInputFiles(join(FIEL, "EKU9003173C9.cer"));
    await page
      .getByLabel(t.privateKey, { exact: true })
      .setInputFiles(join(FIEL, "EKU9003173C9.key"));
    await page
      .getByLabel(t.password, { exact: true })
      .fill((await readFile(join(FIEL, "EKU9003173C9-password.txt"), "utf8")).trim());
    await page.getByRole("button", { name: t.submit, exact: true }).click();
    await alertOf(page).waitFor();
    const refusal = await textOf(alertOf(page));
    expect(refusal).toContain("no fue emitido por una autoridad certificadora reconocida");
    expect(refusal).toContain(
      "Esta demostración solo acepta las e.firmas de su AC de desarrollo, no las de prueba del SAT",
    );
    expect(refusal).toContain("/srv/buzon/data/demo/dev-ca/demo");
    expect(new URL(page.url()).pathname).toBe("/acceso");
    await screenshot(page, "demostracion-efirma-del-sat");
    // The browser logs the refused sign-in itself (401); nothing else.
    expect(pages.jsErrors(page).filter((error) => !error.includes("status of 401"))).toEqual([]);
    await context.close();
  });
});
