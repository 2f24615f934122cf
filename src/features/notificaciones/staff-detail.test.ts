import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { verificationCodeOf } from "../../domain/evidence/acuse-export.ts";
import type { IssuedEfirma } from "../../platform/crypto/dev-ca.ts";
import { ENGINES } from "../../testing/database.ts";
import { issueFisicaEfirma } from "../../testing/efirma.ts";
import { type SignedIn, signInWith } from "../../testing/sign-in.ts";
import type { StaffDetail } from "./schemas.ts";
import {
  at,
  FISICA,
  fisicaRfc,
  MONDAY_1000,
  MORAL,
  notificacionesFixture,
  SIN_BUZON,
} from "./test-fixture.ts";

/**
 * GET /api/v1/staff/notificaciones/{id} on both engines (issue 11 §5: staff follow each act's
 * state): every event of the act in order with its acuse's folio and who — an opening by the
 * legal representative, the constancia of the fourth day and a later access by the titular, a
 * cancellation with its motive, the estrados publication — and the acuses' verification codes
 * only for the roles that receive the evidence package.
 */

describe.each(ENGINES)("staff follow-up of one act on %s", (engine) => {
  const f = notificacionesFixture(engine);
  let operador: IssuedEfirma;
  let auditor: IssuedEfirma;
  const acts = { opened: "", byLaw: "", cancelled: "", estrados: "" };

  function staffGet(id: string, who?: SignedIn) {
    return f.system.app.inject({
      url: `/api/v1/staff/notificaciones/${id}`,
      ...(who
        ? { cookies: { buzon_sesion: who.cookie } }
        : { headers: { authorization: `Bearer ${f.system.adminToken}` } }),
    });
  }

  async function followed(id: string, who?: SignedIn): Promise<StaffDetail> {
    const answer = await staffGet(id, who);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json();
  }

  beforeAll(async () => {
    operador = await issueFisicaEfirma(fisicaRfc("OPER"), "OSCAR PEREZ");
    auditor = await issueFisicaEfirma(fisicaRfc("AUDI"), "AURORA DIAZ");
    await f.system.staff.set({ rfc: operador.rfc, role: "operador", name: "OSCAR" }, "pruebas");
    await f.system.staff.set({ rfc: auditor.rfc, role: "auditor", name: "AURORA" }, "pruebas");

    // Monday 14 Dec 2026, 10:00: four acts, their avisos sealed, one published on estrados.
    f.now = at(MONDAY_1000);
    acts.opened = (await f.depositAct()).id;
    acts.byLaw = (await f.depositAct(FISICA)).id;
    acts.cancelled = (await f.depositAct()).id;
    acts.estrados = (await f.depositAct(SIN_BUZON)).id;
    await f.system.notificacionSweeps.runAll();
    await f.system.estrados.runJobs();

    f.now = at("2026-12-14T10:30:00-06:00");
    const cancelled = await f.system.app.inject({
      method: "POST",
      url: `/api/v1/notificaciones/${acts.cancelled}/cancelacion`,
      payload: { motivo: "Oficio con número equivocado." },
      headers: { authorization: `Bearer ${f.system.adminToken}` },
    });
    expect(cancelled.statusCode, cancelled.body).toBe(201);

    // The persona moral's legal representative opens it at 19:00: it counts Tuesday 09:30.
    f.now = at("2026-12-14T19:00:00-06:00");
    const opened = await f.signAndOpen(await signInWith(f.system.app, f.moral), acts.opened);
    expect(opened.statusCode, opened.body).toBe(201);

    // Nobody opens the other by Thursday: the constancia on Friday 18 at 09:30, then the
    // titular's first access with the e.firma.
    f.now = at("2026-12-18T09:31:00-06:00");
    await f.system.notificacionSweeps.runAll();
    f.now = at("2026-12-18T10:00:00-06:00");
    const access = await f.signAndOpen(await signInWith(f.system.app, f.fisica), acts.byLaw);
    expect(access.statusCode, access.body).toBe(201);
  });

  it("an opening: the act's events in order, who opened it and with what capacity, and when it counts", async () => {
    const nora = await signInWith(f.system.app, f.notificador);
    const detail = await followed(acts.opened, nora);
    expect(detail).toMatchObject({
      id: acts.opened,
      rfc: MORAL,
      state: "notificada",
      notifiedBy: "apertura",
      notifiedAt: "2026-12-15T09:30:00-06:00",
    });
    expect(detail.timeline.map((e) => e.event)).toEqual(["depositada", "aviso_emitido", "abierta"]);
    const [deposited, aviso, abierta] = detail.timeline;
    expect(deposited).toEqual({
      event: "depositada",
      at: MONDAY_1000,
      actorRfc: expect.any(String),
    });
    expect(aviso).toMatchObject({ event: "aviso_emitido", at: MONDAY_1000 });
    expect(abierta).toEqual({
      event: "abierta",
      at: "2026-12-14T19:00:00-06:00",
      acuse: expect.any(String),
      acuseCodigo: expect.any(String),
      actorRfc: "VADA800927DJ3",
      capacity: "representante_legal",
      countsAt: "2026-12-15T09:30:00-06:00",
    });
    // Each code is its acuse's, and opens its PDF.
    for (const event of [aviso!, abierta!]) {
      const acuse = await f.system.evidence.acuseByFolio(event.acuse!);
      expect(event.acuseCodigo).toBe(verificationCodeOf(acuse!.seal));
      const pdf = await f.system.app.inject({
        url: `/api/v1/acuses/${encodeURIComponent(event.acuse!)}/pdf?codigo=${encodeURIComponent(event.acuseCodigo!)}`,
      });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers["content-type"]).toMatch(/application\/pdf/);
    }
    // What only the evidence package carries stays there.
    expect(JSON.stringify(detail)).not.toMatch(
      /signedText|certificateNumber|challengeId|sessionId/,
    );
  });

  it("the constancia of the fourth day and a later access by the titular; a cancellation with its motive; the estrados publication", async () => {
    const byLaw = await followed(acts.byLaw);
    expect(byLaw).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    const events = byLaw.timeline.map((e) => e.event);
    expect(events.slice(0, 2)).toEqual(["depositada", "aviso_emitido"]);
    expect(events.slice(-2)).toEqual(["constancia_cuarto_dia", "acceso_posterior"]);
    expect(byLaw.timeline.at(-2)).toMatchObject({
      at: "2026-12-18T09:30:00-06:00",
      acuse: expect.any(String),
      acuseCodigo: expect.any(String),
    });
    expect(byLaw.timeline.at(-1)).toMatchObject({
      at: "2026-12-18T10:00:00-06:00",
      acuse: expect.any(String),
      actorRfc: FISICA,
      capacity: "titular",
    });
    expect(byLaw.timeline.at(-1)).not.toHaveProperty("countsAt");

    const cancelled = await followed(acts.cancelled);
    expect(cancelled.state).toBe("cancelada");
    expect(cancelled.timeline.at(-1)).toMatchObject({
      event: "cancelada",
      at: "2026-12-14T10:30:00-06:00",
      acuse: expect.any(String),
      acuseCodigo: expect.any(String),
      motivo: "Oficio con número equivocado.",
    });

    const estrados = await followed(acts.estrados);
    expect(estrados).toMatchObject({ state: "estrados", estrados: true });
    expect(estrados.timeline.map((e) => e.event)).toEqual(["depositada", "publicada_en_estrados"]);
    expect(estrados.timeline[1]).toMatchObject({ acuse: expect.any(String) });
  });

  it("the codes only for the roles that receive the evidence package: the operador sees the folios", async () => {
    const oscar = await signInWith(f.system.app, operador);
    const seen = await followed(acts.opened, oscar);
    expect(seen.timeline.filter((e) => e.acuse).length).toBe(2);
    expect(seen.timeline.some((e) => "acuseCodigo" in e)).toBe(false);
    // Everything else is what the others see.
    const nora = await followed(acts.opened, await signInWith(f.system.app, f.notificador));
    expect(seen).toEqual({
      ...nora,
      timeline: nora.timeline.map(({ acuseCodigo: _, ...rest }) => rest),
    });
    const aurora = await followed(acts.opened, await signInWith(f.system.app, auditor));
    expect(aurora).toEqual(nora);

    // Nor through the aviso's evidence: its seal ends with the aviso acuse's code.
    const aviso = (who: SignedIn) =>
      f.system.app.inject({
        url: `/api/v1/staff/notificaciones/${acts.opened}/aviso`,
        cookies: { buzon_sesion: who.cookie },
      });
    const forOscar = await aviso(oscar);
    expect(forOscar.statusCode, forOscar.body).toBe(200);
    expect(forOscar.json().acuse.folio).toMatch(/^BI-/);
    expect(forOscar.json().acuse).not.toHaveProperty("seal");
    expect(forOscar.body).not.toContain(
      nora.timeline.find((e) => e.acuse === forOscar.json().acuse.folio)?.acuseCodigo,
    );
    const forAurora = (await aviso(await signInWith(f.system.app, auditor))).json();
    expect(verificationCodeOf(forAurora.acuse.seal)).toBe(
      nora.timeline.find((e) => e.acuse === forAurora.acuse.folio)?.acuseCodigo,
    );
    expect({ ...forAurora.acuse, seal: undefined }).toEqual({
      ...forOscar.json().acuse,
      seal: undefined,
    });
  });

  it("the aviso's evidence states the term of an act not cancelled; of one cancelled after its aviso was sealed, the cancellation and no term", async () => {
    const evidenceOf = async (id: string) => {
      const answer = await f.system.app.inject({
        url: `/api/v1/staff/notificaciones/${id}/aviso`,
        headers: { authorization: `Bearer ${f.system.adminToken}` },
      });
      expect(answer.statusCode, answer.body).toBe(200);
      return answer.json();
    };
    // Opened on Monday: the three days from Monday's aviso, as the aviso stated them.
    const opened = await evidenceOf(acts.opened);
    expect(opened).toMatchObject({
      availableAt: MONDAY_1000,
      term: { openBy: "2026-12-17", deemedNotifiedAt: "2026-12-18T09:30:00-06:00" },
      cancellation: null,
      acuse: { kind: "aviso_notificacion" },
    });
    expect(opened.term.statement).toContain("cuenta con tres días hábiles para abrirlo");

    // Cancelled at 10:30, after the sweep sealed its aviso at 10:00 with the ordinary text.
    const cancelled = await evidenceOf(acts.cancelled);
    const folio = (await followed(acts.cancelled)).timeline.find(
      (e) => e.event === "cancelada",
    )?.acuse;
    expect(cancelled).toMatchObject({
      availableAt: MONDAY_1000,
      term: null,
      cancellation: {
        cancelledAt: "2026-12-14T10:30:00-06:00",
        acuseFolio: folio,
        afterAviso: true,
      },
      acuse: { kind: "aviso_notificacion" },
    });
    expect(cancelled.cancellation.statement).toContain(
      `El Instituto canceló el acto el lunes 14 de diciembre de 2026 a las 10:30:00 (Zona Centro), antes de notificarse (acuse de cancelación ${folio})`,
    );
    expect(cancelled.cancellation.statement).toContain("no corren los tres días hábiles");
    // Its acuse was sealed before: the evidence says its text states the term as it ran then.
    expect(cancelled.cancellation.statement).toContain(
      "El acuse del aviso se selló antes de la cancelación: declara el plazo como corría entonces.",
    );
    expect(JSON.stringify(cancelled)).not.toMatch(/openBy|deemedNotifiedAt/);
  });

  it("is staff only (401 without a session, 403 for a particular); an unknown act is a 404, a malformed id a 400", async () => {
    expect(
      (await f.system.app.inject({ url: `/api/v1/staff/notificaciones/${acts.opened}` }))
        .statusCode,
    ).toBe(401);
    const particular = await signInWith(f.system.app, f.moral);
    expect((await staffGet(acts.opened, particular)).statusCode).toBe(403);
    const unknown = await staffGet(randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "not_found" });
    expect((await staffGet("no-es-un-id")).statusCode).toBe(400);
  });
});
