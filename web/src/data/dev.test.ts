import { describe, expect, it } from "vitest";
import { es } from "../i18n/es.ts";
import { aheadOf, describeAhead, minutesAhead, targetOf, tokenFromHash } from "./dev.ts";

describe("the demo tools", () => {
  it("takes the administration token from the printed link's fragment", () => {
    expect(tokenFromHash("#token=abc.def")).toBe("abc.def");
    expect(tokenFromHash("#token=")).toBeUndefined();
    expect(tokenFromHash("")).toBeUndefined();
  });

  it("says how far the demo clock runs ahead", () => {
    const real = Date.parse("2026-12-05T18:00:00Z");
    expect(minutesAhead("2026-12-05T18:00:30Z", real)).toBe(0);
    expect(minutesAhead("2026-12-08T19:05:00Z", real)).toBe(3 * 1440 + 65);
    expect(describeAhead(3 * 1440 + 65)).toBe("3 días, 1 hora y 5 minutos");
    expect(describeAhead(72 * 60)).toBe("3 días");
    expect(describeAhead(0)).toBe("0 minutos");
  });

  it("moves forward by hours or to a Zona Centro instant, never back", () => {
    const now = "2026-12-05T18:00:00.000Z";
    const hours = new FormData();
    hours.set("horas", "73");
    expect(targetOf(hours, now, {})).toBe("2026-12-08T19:00:00.000Z");
    const typed = new FormData();
    typed.set("reloj-fecha", "09/12/2026");
    typed.set("reloj-hora", "09:30");
    expect(targetOf(typed, now, {})).toBe("2026-12-09T09:30:00-06:00");
    const back = new FormData();
    back.set("reloj-fecha", "01/12/2026");
    back.set("reloj-hora", "09:30");
    const errors = {};
    expect(targetOf(back, now, errors)).toBeUndefined();
    expect(errors).toEqual({ "reloj-fecha": es.demoClock.errors.notForward });
  });
});

describe("the demo clock's answer", () => {
  it("trusts the server's offset when it gives one", () => {
    const real = Date.parse("2026-12-05T18:00:00Z");
    expect(
      aheadOf({ now: "2026-12-05T18:00:00Z", moved: true, offsetSeconds: 3 * 3600 }, real),
    ).toBe(180);
    expect(aheadOf({ now: "2026-12-09T18:00:00Z", moved: false, offsetSeconds: 0 }, real)).toBe(0);
    expect(aheadOf({ now: "2026-12-05T19:00:00Z", moved: true, offsetSeconds: 3659 }, real)).toBe(
      60,
    );
  });
});
