import { describe, expect, it } from "vitest";
import {
  applyEvent,
  checkTransition,
  downloadRecordsAccess,
  NOTIFICACION_EVENT_TYPES,
  NOTIFICACION_STATES,
  type NotificacionDates,
  NotificacionError,
  type NotificacionEvent,
  type NotificacionEventType,
  type NotificacionProjection,
  type NotificacionState,
  openingEventFor,
  projectNotificacion,
  TRANSITIONS,
} from "./lifecycle.ts";

// Deposited Friday 4 Dec 2026 at 19:00 (Zona Centro, UTC-6): outside the window, so the aviso
// counts at 09:30 of Monday 7 Dec, and unopened it is notified at 09:30 of Friday 11 Dec.
const deposited = Temporal.Instant.from("2026-12-05T01:00:00Z");
const avisoAt = Temporal.Instant.from("2026-12-07T15:30:00Z");
const deemed = Temporal.Instant.from("2026-12-11T15:30:00Z");
const dates: NotificacionDates = { avisoAt, deemedNotifiedAt: deemed };

const depositada: NotificacionEvent = { type: "depositada", at: deposited };
/** The Spanish detail a person reads (the message is for the logs). */
function detailOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof NotificacionError) return error.detail;
    throw error;
  }
  throw new Error("no se rechazó");
}

const minutes = (m: number, from = avisoAt) => from.add({ minutes: m });

describe("projectNotificacion: the law moves the act through time", () => {
  it("is depositada and invisible before the aviso's instant, pendiente and visible from it", () => {
    const before = projectNotificacion([depositada], dates, minutes(-1));
    expect(before).toMatchObject({ state: "depositada", visibleToAddressee: false });
    const at = projectNotificacion([depositada], dates, avisoAt);
    expect(at).toMatchObject({ state: "pendiente", visibleToAddressee: true, notifiedBy: null });
  });

  it("is notified by law at 09:30 of the fourth business day even if no job ran", () => {
    const justBefore = projectNotificacion(
      [depositada],
      dates,
      deemed.subtract({ milliseconds: 1 }),
    );
    expect(justBefore.state).toBe("pendiente");
    const p = projectNotificacion([depositada], dates, deemed);
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(p.notifiedAt?.equals(deemed)).toBe(true);
    expect(p.constanciaIssued).toBe(false);
  });

  it("an opening before the fourth day wins; the constancia is then illegal", () => {
    const openedAt = minutes(60 * 24);
    const events: NotificacionEvent[] = [
      depositada,
      { type: "abierta", at: openedAt, notifiedAt: openedAt },
    ];
    const p = projectNotificacion(events, dates, deemed.add({ hours: 1 }));
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "apertura" });
    expect(p.openedAt?.equals(openedAt)).toBe(true);
    expect(() => checkTransition(p, "constancia_cuarto_dia")).toThrow(NotificacionError);
  });

  it("an opening outside the window counts when rule a says (its notifiedAt)", () => {
    const openedAt = Temporal.Instant.from("2026-12-08T02:00:00Z"); // Mon 20:00
    const counts = Temporal.Instant.from("2026-12-08T15:30:00Z"); // Tue 09:30
    const p = projectNotificacion(
      [depositada, { type: "abierta", at: openedAt, notifiedAt: counts }],
      dates,
      counts,
    );
    expect(p.notifiedAt?.equals(counts)).toBe(true);
    expect(p.openedAt?.equals(openedAt)).toBe(true);
  });

  it("an opening at or after the fourth day at 09:30 is only a later access", () => {
    const p = projectNotificacion([depositada], dates, deemed);
    expect(openingEventFor(p)).toBe("acceso_posterior");
    const after = projectNotificacion(
      [depositada, { type: "acceso_posterior", at: deemed.add({ minutes: 5 }) }],
      dates,
      deemed.add({ hours: 2 }),
    );
    expect(after).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(after.accessedAfterAt?.equals(deemed.add({ minutes: 5 }))).toBe(true);
    expect(openingEventFor(after)).toBeUndefined();
  });

  it("the first plain download after the fourth day is recorded once and leaves the signed access open", () => {
    const p = projectNotificacion([depositada], dates, deemed);
    expect(downloadRecordsAccess(p)).toBe(true);
    const downloaded = projectNotificacion(
      [
        depositada,
        { type: "descarga_posterior", at: deemed.add({ minutes: 1 }), notifiedAt: deemed },
      ],
      dates,
      deemed.add({ hours: 1 }),
    );
    expect(downloaded).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(downloaded.notifiedAt?.equals(deemed)).toBe(true);
    expect(downloaded.downloadedAfterAt?.equals(deemed.add({ minutes: 1 }))).toBe(true);
    expect(downloadRecordsAccess(downloaded)).toBe(false);
    // The person may still sign the access, for its acuse.
    expect(openingEventFor(downloaded)).toBe("acceso_posterior");
    // After a signed access, a download is not the first access.
    const accessed = projectNotificacion(
      [
        depositada,
        { type: "acceso_posterior", at: deemed.add({ minutes: 1 }), notifiedAt: deemed },
      ],
      dates,
      deemed.add({ hours: 1 }),
    );
    expect(downloadRecordsAccess(accessed)).toBe(false);
    // Opened in time: the opening was the access; pending or cancelled: nothing to record.
    const opened = projectNotificacion(
      [depositada, { type: "abierta", at: minutes(60), notifiedAt: minutes(60) }],
      dates,
      deemed.add({ hours: 1 }),
    );
    expect(downloadRecordsAccess(opened)).toBe(false);
    expect(downloadRecordsAccess(projectNotificacion([depositada], dates, minutes(60)))).toBe(
      false,
    );
  });

  it("a download's recorded notification is frozen like the constancia's (a later calendar)", () => {
    const later = { ...dates, deemedNotifiedAt: deemed.add({ hours: 72 }) };
    const p = projectNotificacion(
      [
        depositada,
        { type: "descarga_posterior", at: deemed.add({ minutes: 1 }), notifiedAt: deemed },
      ],
      later,
      deemed.add({ hours: 2 }),
    );
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(p.notifiedAt?.equals(deemed)).toBe(true);
  });

  it("the constancia appended late (after an earlier day's sweep missed it) is legal once", () => {
    const events: NotificacionEvent[] = [
      depositada,
      { type: "aviso_emitido", at: avisoAt, acuseFolio: "BI-20261207-153000000" },
      { type: "constancia_cuarto_dia", at: deemed, acuseFolio: "BI-20261214-090000000" },
    ];
    const p = projectNotificacion(events, dates, deemed.add({ hours: 72 }));
    expect(p).toMatchObject({ state: "notificada", constanciaIssued: true, avisoIssued: true });
    expect(() => checkTransition(p, "constancia_cuarto_dia")).toThrow(/notificada/);
  });

  it("a second aviso is appended once, only while pending", () => {
    const p = projectNotificacion(
      [depositada, { type: "segundo_aviso", at: minutes(60 * 24 * 3) }],
      dates,
      minutes(60 * 24 * 3),
    );
    expect(p.secondAvisoSent).toBe(true);
    expect(() => checkTransition(p, "segundo_aviso")).toThrow(NotificacionError);
  });

  it("cancelled before notified: it stays cancelled whatever the clock says", () => {
    const p = projectNotificacion(
      [depositada, { type: "cancelada", at: minutes(10) }],
      dates,
      deemed.add({ hours: 720 }),
    );
    expect(p.state).toBe("cancelada");
    expect(p.notifiedBy).toBeNull();
    expect(detailOf(() => openingEventFor(p))).toMatch(/canceló/);
  });

  it("cancelled after its aviso instant, before the job sealed the aviso: the aviso's evidence is still due, once", () => {
    const cancelled = [depositada, { type: "cancelada", at: minutes(10) } as const];
    const p = projectNotificacion(cancelled, dates, minutes(20));
    expect(p).toMatchObject({ state: "cancelada", visibleToAddressee: true, avisoIssued: false });
    expect(() => checkTransition(p, "aviso_emitido")).not.toThrow();
    // Written after the cancellation with the aviso's instant: the history replays.
    const sealed = projectNotificacion(
      [...cancelled, { type: "aviso_emitido", at: avisoAt }],
      dates,
      minutes(30),
    );
    expect(sealed).toMatchObject({ state: "cancelada", avisoIssued: true, notifiedBy: null });
    expect(() => checkTransition(sealed, "aviso_emitido")).toThrow(NotificacionError);

    // Cancelled a minute before its aviso instant: never made available, no aviso to seal.
    const early = [depositada, { type: "cancelada", at: minutes(-1) } as const];
    const never = projectNotificacion(early, dates, minutes(20));
    expect(never).toMatchObject({ state: "cancelada", visibleToAddressee: false });
    expect(() => checkTransition(never, "aviso_emitido")).toThrow(NotificacionError);
    expect(() =>
      projectNotificacion([...early, { type: "aviso_emitido", at: avisoAt }], dates, minutes(20)),
    ).toThrow(NotificacionError);
  });

  it("refuses to cancel an act already notified, in Spanish", () => {
    const p = projectNotificacion([depositada], dates, deemed);
    expect(detailOf(() => checkTransition(p, "cancelada"))).toMatch(/ya está notificado/);
  });

  it("estrados: never visible in the mailbox, notified on the eleventh day after publication", () => {
    const onEstrados: NotificacionEvent = { type: "depositada", at: deposited, estrados: true };
    const published = Temporal.Instant.from("2026-12-07T15:30:00Z");
    const eleventh = Temporal.Instant.from("2026-12-22T06:00:00Z");
    const estradosDates = { avisoAt, deemedNotifiedAt: null, estradosNotifiedAt: eleventh };
    const events = [onEstrados, { type: "publicada_en_estrados", at: published } as const];
    const before = projectNotificacion(events, estradosDates, eleventh.subtract({ seconds: 1 }));
    expect(before).toMatchObject({ state: "estrados", visibleToAddressee: false });
    expect(detailOf(() => openingEventFor(before))).toMatch(/estrados/);
    const after = projectNotificacion(events, estradosDates, eleventh);
    expect(after).toMatchObject({ state: "notificada", notifiedBy: "estrados" });
    expect(after.notifiedAt?.equals(eleventh)).toBe(true);
    const unpublished = projectNotificacion(
      [onEstrados],
      estradosDates,
      eleventh.add({ hours: 120 }),
    );
    expect(unpublished.state).toBe("estrados");
  });

  it("a history that does not start with the deposit, or breaks the table, is corrupt", () => {
    expect(() => projectNotificacion([], dates, avisoAt)).toThrow(NotificacionError);
    expect(() => projectNotificacion([{ type: "abierta", at: avisoAt }], dates, avisoAt)).toThrow(
      /depósito/,
    );
    try {
      projectNotificacion(
        [depositada, { type: "abierta", at: minutes(5) }, { type: "abierta", at: minutes(6) }],
        dates,
        minutes(7),
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NotificacionError);
      expect((error as NotificacionError).code).toBe("invalid_history");
    }
  });
});

describe("projectNotificacion: the sealed evidence wins over a later calendar", () => {
  // A later calendar version declares Thursday 10 Dec non-business: recomputed, the fourth day
  // moves to Monday 14 Dec; the constancia sealed Friday 11 Dec at 09:30 with the old one.
  const later: NotificacionDates = {
    avisoAt,
    deemedNotifiedAt: Temporal.Instant.from("2026-12-14T15:30:00Z"),
  };

  it("a constancia sealed before the new calendar keeps the act notified at its instant", () => {
    const events: NotificacionEvent[] = [
      depositada,
      { type: "aviso_emitido", at: avisoAt },
      { type: "constancia_cuarto_dia", at: deemed, notifiedAt: deemed },
      { type: "acceso_posterior", at: deemed.add({ hours: 1 }), notifiedAt: deemed },
    ];
    // Before the fix: the constancia landed on a projection still «pendiente» → invalid_history.
    const p = projectNotificacion(events, later, deemed.add({ hours: 2 }));
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(p.notifiedAt?.equals(deemed)).toBe(true);
    expect(p.constanciaIssued).toBe(true);
  });

  it("an acceso_posterior recorded before the constancia's sweep ran is its own evidence", () => {
    const p = projectNotificacion(
      [depositada, { type: "acceso_posterior", at: deemed.add({ hours: 1 }), notifiedAt: deemed }],
      later,
      deemed.add({ hours: 2 }),
    );
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "ministerio_de_ley" });
    expect(p.notifiedAt?.equals(deemed)).toBe(true);
  });

  it("an opening stays an opening if a later calendar moves the fourth day before it", () => {
    const earlier: NotificacionDates = {
      avisoAt,
      deemedNotifiedAt: Temporal.Instant.from("2026-12-10T15:30:00Z"),
    };
    const openedAt = Temporal.Instant.from("2026-12-10T18:00:00Z");
    const events: NotificacionEvent[] = [
      depositada,
      { type: "segundo_aviso", at: Temporal.Instant.from("2026-12-10T16:00:00Z") },
      { type: "abierta", at: openedAt, notifiedAt: openedAt },
    ];
    const p = projectNotificacion(events, earlier, deemed.add({ hours: 2 }));
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "apertura", secondAvisoSent: true });
    expect(p.notifiedAt?.equals(openedAt)).toBe(true);
  });

  it("a cancellation stays a cancellation if a later calendar moves the fourth day before it", () => {
    // Cancelled Thursday 10 Dec at 12:00, while pending; a later calendar (a declared day
    // dropped) puts the fourth day at 09:30 that same morning.
    const earlier: NotificacionDates = {
      avisoAt,
      deemedNotifiedAt: Temporal.Instant.from("2026-12-10T15:30:00Z"),
    };
    const cancelledAt = Temporal.Instant.from("2026-12-10T18:00:00Z");
    const events: NotificacionEvent[] = [
      depositada,
      { type: "aviso_emitido", at: avisoAt },
      { type: "cancelada", at: cancelledAt },
    ];
    // Before the fix: replayed, the act was notified at 09:30 and the cancellation illegal.
    const p = projectNotificacion(events, earlier, deemed.add({ hours: 240 }));
    expect(p).toMatchObject({ state: "cancelada", notifiedBy: null, notifiedAt: null });
    expect(p.cancelledAt?.equals(cancelledAt)).toBe(true);
  });

  it("estrados: the eleventh day sealed governs over the publication's recomputed one", () => {
    const sealedEleventh = Temporal.Instant.from("2026-12-22T06:00:00Z");
    const p = projectNotificacion(
      [
        { type: "depositada", at: deposited, estrados: true },
        { type: "publicada_en_estrados", at: avisoAt },
        { type: "notificada_por_estrados", at: sealedEleventh, notifiedAt: sealedEleventh },
      ],
      { avisoAt, deemedNotifiedAt: null, estradosNotifiedAt: sealedEleventh.add({ hours: 24 }) },
      sealedEleventh.add({ hours: 1 }),
    );
    expect(p).toMatchObject({ state: "notificada", notifiedBy: "estrados" });
    expect(p.notifiedAt?.equals(sealedEleventh)).toBe(true);
  });

  it("a pending act takes the later-declared day (CFF 12): no evidence, the new fourth day", () => {
    const p = projectNotificacion([depositada], later, deemed.add({ hours: 2 }));
    expect(p.state).toBe("pendiente");
  });
});

describe("TRANSITIONS: every (state, event) pair", () => {
  const base = (state: NotificacionState, extra: Partial<NotificacionProjection> = {}) =>
    ({
      state,
      notifiedBy: null,
      notifiedAt: null,
      openedAt: null,
      accessedAfterAt: null,
      downloadedAfterAt: null,
      cancelledAt: null,
      visibleToAddressee: state === "pendiente",
      avisoIssued: false,
      secondAvisoSent: false,
      constanciaIssued: false,
      publishedOnEstrados: false,
      publicOnEstrados: false,
      ...extra,
    }) satisfies NotificacionProjection;

  // The only legal moves, written out independently of the table (the guards' fresh case).
  const legal: Record<NotificacionState, Partial<Record<NotificacionEventType, string>>> = {
    depositada: { cancelada: "cancelada" },
    pendiente: {
      aviso_emitido: "pendiente",
      segundo_aviso: "pendiente",
      abierta: "notificada",
      cancelada: "cancelada",
    },
    notificada: {
      aviso_emitido: "notificada",
      constancia_cuarto_dia: "notificada",
      acceso_posterior: "notificada",
      descarga_posterior: "notificada",
      notificada_por_estrados: "notificada",
    },
    estrados: { publicada_en_estrados: "estrados", cancelada: "cancelada" },
    // The aviso's evidence of an act cancelled after it was made available.
    cancelada: { aviso_emitido: "cancelada" },
  };
  const fresh: Record<NotificacionState, Partial<NotificacionProjection>> = {
    depositada: {},
    pendiente: {},
    notificada: { notifiedBy: "ministerio_de_ley" },
    estrados: {},
    cancelada: { visibleToAddressee: true },
  };

  for (const state of NOTIFICACION_STATES) {
    for (const type of NOTIFICACION_EVENT_TYPES) {
      const expected = legal[state][type];
      it(`${state} --${type}--> ${expected ?? "refused"}`, () => {
        let p = base(state, fresh[state]);
        if (type === "notificada_por_estrados") {
          p = { ...p, notifiedBy: "estrados", publishedOnEstrados: true };
        }
        if (expected) {
          expect(applyEvent(p, { type, at: avisoAt }).state).toBe(expected);
        } else {
          expect(() => applyEvent(p, { type, at: avisoAt })).toThrow(NotificacionError);
        }
      });
    }
  }

  it("the table lists no move the independent list lacks", () => {
    for (const state of NOTIFICACION_STATES) {
      expect(Object.keys(TRANSITIONS[state]).sort()).toEqual(Object.keys(legal[state]).sort());
    }
  });

  it("guards: each once-only event is refused the second time", () => {
    const once: [NotificacionState, NotificacionEventType, Partial<NotificacionProjection>][] = [
      ["pendiente", "aviso_emitido", { avisoIssued: true }],
      ["pendiente", "segundo_aviso", { secondAvisoSent: true }],
      [
        "notificada",
        "constancia_cuarto_dia",
        { notifiedBy: "ministerio_de_ley", constanciaIssued: true },
      ],
      ["notificada", "constancia_cuarto_dia", { notifiedBy: "apertura" }],
      [
        "notificada",
        "acceso_posterior",
        { notifiedBy: "ministerio_de_ley", accessedAfterAt: avisoAt },
      ],
      [
        "notificada",
        "descarga_posterior",
        { notifiedBy: "ministerio_de_ley", downloadedAfterAt: avisoAt },
      ],
      // A download after the signed access, or after an opening, is not the first access.
      [
        "notificada",
        "descarga_posterior",
        { notifiedBy: "ministerio_de_ley", accessedAfterAt: avisoAt },
      ],
      ["notificada", "descarga_posterior", { notifiedBy: "apertura" }],
      ["notificada", "notificada_por_estrados", { notifiedBy: "ministerio_de_ley" }],
      ["estrados", "publicada_en_estrados", { publishedOnEstrados: true }],
      ["estrados", "cancelada", { publishedOnEstrados: true }],
      ["cancelada", "aviso_emitido", { visibleToAddressee: true, avisoIssued: true }],
      // Cancelled before its aviso instant: never made available, no aviso to seal.
      ["cancelada", "aviso_emitido", { visibleToAddressee: false }],
      // Public from its aviso instant, before the job sealed the publication.
      ["estrados", "cancelada", { publicOnEstrados: true }],
    ];
    for (const [state, type, extra] of once) {
      expect(
        () => applyEvent(base(state, extra), { type, at: avisoAt }),
        `${state} ${type}`,
      ).toThrow(NotificacionError);
    }
  });
});
