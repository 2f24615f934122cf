import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { rfcCheckDigit } from "../src/domain/identifiers/rfc.ts";
import { sessionRequests } from "../src/features/promociones/test-support.ts";
import type { IssuedEfirma } from "../src/platform/crypto/dev-ca.ts";
import { issueFisicaEfirma } from "../src/testing/efirma.ts";
import { signInWith } from "../src/testing/sign-in.ts";
import { formatInstant } from "../web/src/format/dates.ts";
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
 * «Aclaraciones de medios de contacto» in «Atención de promociones»: two particulars filed «no
 * recibí el correo» through the API; an operador finds both open, is told to write the answer
 * when she sends none, attends one (a double click sends one attention), and finds it among the
 * attended with her answer; with more than a page open, «Ver más» brings the next one. A
 * notificador, who may not read them, sees no section. Axe at 1280 and 390 px, no horizontal
 * overflow on the phone, no script errors; every state photographed.
 */

const t = es.promociones.staff.aclaraciones;

const OPERADOR = `OPRA7702104D${rfcCheckDigit("OPRA7702104D")}`;
const OPERADOR_NAME = "OSCAR PRADO RAMIREZ";
const NOTIFICADOR = `NOTA7905126H${rfcCheckDigit("NOTA7905126H")}`;
const NOTIFICADOR_NAME = "NORMA TAPIA ARELLANO";
const LUCIA = `LOSL8504126P${rfcCheckDigit("LOSL8504126P")}`;
const LUCIA_EMAIL = "lucia.lopez.sanchez.contabilidad@despacho-ejemplo.com.mx";
const PEDRO = `RAMP7911023K${rfcCheckDigit("RAMP7911023K")}`;
const PEDRO_EMAIL = "pedro.ramos@ejemplo.mx";
const ANSWER =
  "Reenviamos el código a tu correo; revisa también la carpeta de correo no deseado antes de registrarlo de nuevo.";

const site = siteInChromium({ trustDevCa: true, adminToken: true });
const pages = watchPages<string>({
  record: (request) =>
    request.method() === "POST" && /\/api\/v1\/buzon\/aclaraciones\//.test(request.url())
      ? request.url()
      : undefined,
});

let operador: IssuedEfirma;
let notificador: IssuedEfirma;
let luciaFolio: string;
let luciaId: string;

/** A particular signs in, registers an e-mail and files «no me llegó el correo» for it. */
async function fileAclaracion(rfc: string, email: string, descripcion?: string) {
  const app = site.system.app;
  const { post } = sessionRequests(app);
  const who = await signInWith(app, await issueFisicaEfirma(rfc, `PERSONA ${rfc}`));
  const registered = await post(who, "/api/v1/buzon/medios", { kind: "correo", value: email });
  expect(registered.statusCode, registered.body).toBe(201);
  const means = registered.json().means.find((m: { value: string }) => m.value === email);
  const filed = await post(who, "/api/v1/buzon/aclaraciones", {
    meansId: means.id,
    ...(descripcion ? { descripcion } : {}),
  });
  expect(filed.statusCode, filed.body).toBe(201);
  return filed.json() as { id: string; acuse: { folio: string } };
}

/** The queue through the API, as the administrator's token reads it. */
async function queue(estado: "abierta" | "atendida") {
  const response = await site.system.app.inject({
    url: `/api/v1/buzon/aclaraciones?estado=${estado}`,
    headers: { authorization: `Bearer ${site.system.adminToken}` },
  });
  expect(response.statusCode).toBe(200);
  return response.json().aclaraciones as { id: string; status: string; note: string | null }[];
}

async function signIn(page: Page, who: IssuedEfirma, name: string): Promise<void> {
  const s = es.signIn;
  await page.getByRole("heading", { level: 1, name: s.title }).waitFor();
  await page.getByLabel(s.rfc, { exact: true }).fill(who.rfc);
  await page.getByLabel(s.certificate, { exact: true }).setInputFiles(who.cerPath);
  await page.getByLabel(s.privateKey, { exact: true }).setInputFiles(who.keyPath);
  await page.getByLabel(s.password, { exact: true }).fill(who.password);
  await page.getByRole("button", { name: s.submit, exact: true }).click();
  await page.waitForURL(/\/buzon$/);
  await page.getByRole("heading", { level: 1, name: es.mailbox.title(name) }).waitFor();
}

/** Axe, the phone's overflow and a photograph, at 1280 then 390 px. */
async function check(page: Page, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    expect(await axeViolations(page), `${name} a ${width} px`).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} a ${width} px: desborde horizontal`).toBeLessThanOrEqual(0);
    await screenshot(page, `aclaraciones-${name}${width === 390 ? "-telefono" : ""}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(pages.jsErrors(page), name).toEqual([]);
}

const section = (page: Page) => page.locator(".aclaraciones-staff");
const cardOf = (page: Page, id: string): Locator => page.locator(`[data-aclaracion="${id}"]`);

beforeAll(async () => {
  operador = await issueFisicaEfirma(OPERADOR, OPERADOR_NAME);
  notificador = await issueFisicaEfirma(NOTIFICADOR, NOTIFICADOR_NAME);
  await site.system.staff.set({ rfc: OPERADOR, role: "operador", name: OPERADOR_NAME }, "e2e");
  await site.system.staff.set(
    { rfc: NOTIFICADOR, role: "notificador", name: NOTIFICADOR_NAME },
    "e2e",
  );
  const lucia = await fileAclaracion(
    LUCIA,
    LUCIA_EMAIL,
    "Registré el correo de la contabilidad y no llegó el código, ni en correo no deseado.",
  );
  luciaId = lucia.id;
  luciaFolio = lucia.acuse.folio;
  await fileAclaracion(PEDRO, PEDRO_EMAIL);
});

describe("Aclaraciones de medios de contacto en «Atención de promociones»", () => {
  it("el operador ve las abiertas, exige la respuesta, atiende una sola vez y la ve entre las atendidas", {
    timeout: 240_000,
  }, async () => {
    const context = await newTestContext(site.browser, 1280);
    const page = await pages.open(context, `${site.url}/acceso`);
    await signIn(page, operador, OPERADOR_NAME);
    await page.goto(`${site.url}/personal/promociones`);
    await page.getByRole("heading", { level: 2, name: t.title }).waitFor();

    // Both open, oldest first, with who filed them, the e-mail, when and the acuse's folio.
    const open = page.getByRole("list", { name: t.listLabel("abierta") });
    await open.waitFor();
    expect(await open.locator("[data-aclaracion]").count()).toBe(2);
    const card = cardOf(page, luciaId);
    const text = await textOf(card);
    expect(text).toContain(t.about(LUCIA));
    expect(text).toContain(LUCIA_EMAIL);
    expect(text).toContain(luciaFolio);
    expect(text).toContain(t.statuses.abierta);
    expect(text).toContain("ni en correo no deseado");
    // When it was filed, in Zona Centro whatever the browser's zone (Tokyo here).
    const filedAt = await card.locator("time").first().getAttribute("datetime");
    expect(await textOf(card.locator("time").first())).toBe(formatInstant(filedAt ?? ""));
    await check(page, "abiertas");

    // No answer: the page says so in Spanish, beside the field, and sends nothing.
    const attend = card.getByRole("button", { name: `${t.attend}${t.attendContext(LUCIA)}` });
    await attend.click();
    const error = card.locator(".field-error");
    await error.waitFor();
    expect(await textOf(error)).toContain(t.noteMissing);
    expect(await card.getByLabel(t.note).getAttribute("aria-invalid")).toBe("true");
    expect(pages.sent(page)).toEqual([]);
    await check(page, "sin-respuesta");

    // A double click: one attention, and the card shows it attended.
    await card.getByLabel(t.note).fill(ANSWER);
    await attend.dblclick();
    await page.getByText(t.done(LUCIA)).waitFor();
    expect(await textOf(card.locator(".state-badge"))).toBe(t.statuses.atendida);
    expect(await card.getByRole("button").count()).toBe(0);
    expect(await textOf(card)).toContain(ANSWER);
    expect(pages.sent(page)).toHaveLength(1);
    const attended = (await queue("atendida")).filter((a) => a.id === luciaId);
    expect(attended).toEqual([expect.objectContaining({ status: "atendida", note: ANSWER })]);
    expect((await queue("abierta")).map((a) => a.id)).not.toContain(luciaId);
    await check(page, "atendida-en-su-lugar");

    // «Atendidas»: in the address, with the answer and who gave it; no form there.
    await section(page).getByRole("link", { name: t.filters.atendida, exact: true }).click();
    await page.waitForURL(/aclaraciones=atendida/);
    const done = page.getByRole("list", { name: t.listLabel("atendida") });
    await done.waitFor();
    expect(await done.locator("[data-aclaracion]").count()).toBe(1);
    // What was said of the other list does not stay over this one.
    expect(await page.getByText(t.done(LUCIA)).count()).toBe(0);
    const doneText = await textOf(cardOf(page, luciaId));
    expect(doneText).toContain(ANSWER);
    expect(doneText).toContain(OPERADOR);
    expect(await done.getByRole("button").count()).toBe(0);
    await check(page, "atendidas");

    // «Abiertas» again: only Pedro's is left.
    await section(page).getByRole("link", { name: t.filters.abierta, exact: true }).click();
    await page.getByRole("list", { name: t.listLabel("abierta") }).waitFor();
    expect(await page.locator("[data-aclaracion]").count()).toBe(1);
    expect(await textOf(page.locator("[data-aclaracion]"))).toContain(PEDRO_EMAIL);
    expect(pages.sent(page)).toHaveLength(1);
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });

  it("«Ver más» trae la página siguiente de las abiertas, en orden, y lleva el foco a la primera nueva", {
    timeout: 240_000,
  }, async () => {
    // 51 more open ones, filed before Pedro's: a first page of 50 and a second with Pedro's.
    const db = site.system.database.db;
    const older = Date.UTC(2021, 0, 4, 16);
    for (let i = 0; i < 51; i++) {
      const at = new Date(older + i * 60_000);
      const meansId = crypto.randomUUID();
      await db
        .insertInto("mailbox_means")
        .values({
          id: meansId,
          rfc: PEDRO,
          kind: "correo",
          value: `antes${i}@ejemplo.mx`,
          scope: "general",
          status: "cancelado",
          registered_at: at,
          expires_at: at,
          acuse_folio: `E2E-M-${i}`,
        })
        .execute();
      await db
        .insertInto("mailbox_aclaraciones")
        .values({
          id: crypto.randomUUID(),
          rfc: PEDRO,
          means_id: meansId,
          description: "",
          document: `aclaración ${i}`,
          acuse_folio: `E2E-A-${i}`,
          created_at: at,
        })
        .execute();
    }
    const context = await newTestContext(site.browser, 1280);
    const page = await pages.open(context, `${site.url}/acceso`);
    await signIn(page, operador, OPERADOR_NAME);
    await page.goto(`${site.url}/personal/promociones`);
    const open = page.getByRole("list", { name: t.listLabel("abierta") });
    await open.waitFor();
    const cards = open.locator("[data-aclaracion]");
    expect(await cards.count()).toBe(50);
    expect(await textOf(cards.last())).toContain("antes49@ejemplo.mx");
    const more = section(page).getByRole("button", {
      name: `${t.more}${t.moreContext("abierta")}`,
    });
    await more.click();
    await page.getByText(t.moreLoaded(2)).waitFor();
    expect(await cards.count()).toBe(52);
    expect(await textOf(cards.nth(50))).toContain("antes50@ejemplo.mx");
    expect(await textOf(cards.nth(51))).toContain(PEDRO_EMAIL);
    // The first card it brought has the focus; the last page has no «Ver más».
    await expect
      .poll(() =>
        cards
          .nth(50)
          .locator("h3")
          .evaluate((h) => h === document.activeElement),
      )
      .toBe(true);
    expect(await more.count()).toBe(0);
    // Still the open ones: the address keeps its state.
    expect(new URL(page.url()).searchParams.get("aclaraciones")).toBeNull();
    expect(pages.sent(page)).toEqual([]);
    await check(page, "ver-mas");
    await context.close();
  });

  it("un notificador, que no puede leerlas ni atenderlas, no ve la sección", {
    timeout: 120_000,
  }, async () => {
    const context = await newTestContext(site.browser, 1280);
    const page = await pages.open(context, `${site.url}/acceso`);
    await signIn(page, notificador, NOTIFICADOR_NAME);
    await page.goto(`${site.url}/personal/promociones`);
    await page.getByRole("heading", { level: 1, name: es.promociones.staff.title }).waitFor();
    await page.getByText(es.promociones.staff.empty).waitFor();
    expect(await page.getByRole("heading", { name: t.title }).count()).toBe(0);
    expect(await page.getByRole("button", { name: new RegExp(`^${t.attend}`) }).count()).toBe(0);
    expect(pages.sent(page)).toEqual([]);
    expect(pages.jsErrors(page)).toEqual([]);
    await context.close();
  });
});
