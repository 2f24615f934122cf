import { describe, expect, it } from "vitest";
import { authorityOf, calendarPath } from "./calendar.ts";

describe("the «Días inhábiles» page's authority", () => {
  it("is the IMSS unless ?autoridad= names the TFJA", () => {
    expect(authorityOf(new URLSearchParams())).toBe("IMSS");
    expect(authorityOf(new URLSearchParams("autoridad=TFJA"))).toBe("TFJA");
    expect(authorityOf(new URLSearchParams("autoridad=tfja"))).toBe("TFJA");
    expect(authorityOf(new URLSearchParams("autoridad=SAT"))).toBe("IMSS");
  });

  it("keeps the IMSS's address without a parameter and names the TFJA's", () => {
    expect(calendarPath(2026, "IMSS")).toBe("/dias-inhabiles/2026");
    expect(calendarPath(2026, "TFJA")).toBe("/dias-inhabiles/2026?autoridad=TFJA");
  });
});
