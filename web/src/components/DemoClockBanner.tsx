import { useEffect } from "react";
import { Link, useFetcher } from "react-router";
import { type DemoClockData, devToken, minutesAhead } from "../data/dev.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

/**
 * «Reloj de demostración adelantado»: on every page while the demo clock runs ahead. The clock
 * answers only an administrator, so the tab that holds the demo's administration token asks
 * /desarrollo/reloj's loader (once, and again after each change); anyone else never asks, so no
 * refused request shows in their console, and a server without --demo is never probed.
 */
export function DemoClockBanner() {
  const fetcher = useFetcher<DemoClockData>({ key: "reloj-banner" });
  const asks = devToken() !== undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page load and per change of who asks.
  useEffect(() => {
    if (asks && fetcher.state === "idle" && fetcher.data === undefined)
      fetcher.load("/desarrollo/reloj");
  }, [asks]);
  const data = fetcher.data;
  const moved =
    data?.status === "loaded" && minutesAhead(data.clock.now, data.realNow) > 0
      ? data.clock.now
      : undefined;
  return (
    <div className="demo-clock-banner-region" role="status">
      {moved && (
        <p className="demo-clock-banner">
          {es.demoClock.banner(formatInstant(moved))}{" "}
          <Link to="/desarrollo/reloj">{es.demoClock.bannerLink}</Link>
        </p>
      )}
    </div>
  );
}
