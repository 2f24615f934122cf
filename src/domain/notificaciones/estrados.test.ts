import { describe, expect, it } from "vitest";
import {
  estradosStatus,
  INSTITUTE_RFC,
  listedUntil,
  maskRfc,
  publicationEndsAt,
} from "./estrados.ts";

const at = (text: string) => Temporal.Instant.from(text);

describe("what the estrados show (CFF 139)", () => {
  it("hides the RFC's date, keeping the name's letters and the homoclave", () => {
    expect(maskRfc("XOJO740919U44")).toBe("XOJO******U44");
    expect(maskRfc("EKU9003173C9")).toBe("EKU******3C9");
    expect(maskRfc(INSTITUTE_RFC)).toBe("IMS******I45");
  });

  it("ends the publication at 00:00 after the tenth day; the status follows the instant", () => {
    const ends = publicationEndsAt(Temporal.PlainDate.from("2026-12-21"));
    expect(ends.toString()).toBe("2026-12-22T06:00:00Z");
    const published = at("2026-12-07T10:00:00-06:00");
    expect(estradosStatus(published, ends, at("2026-12-07T09:59:59-06:00"))).toBe("por_publicar");
    expect(estradosStatus(published, ends, published)).toBe("en_publicacion");
    expect(estradosStatus(published, ends, at("2026-12-21T23:59:59.999-06:00"))).toBe(
      "en_publicacion",
    );
    expect(estradosStatus(published, ends, ends)).toBe("concluida");
  });

  it("keeps an ended act listed for 30 natural days after its notification date", () => {
    expect(listedUntil(Temporal.PlainDate.from("2026-12-22")).toString()).toBe("2027-01-21");
  });
});
