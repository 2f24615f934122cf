import { useEffect } from "react";
import { Link, useFetcher } from "react-router";
import { DEMO_CLOCK_NOTICE_ROUTE, type DemoClockNoticeData, knownDemo } from "../data/dev.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

/**
 * «Reloj de demostración adelantado»: on every page while the demo clock runs ahead
 * (GET /api/v1/demo/reloj, the clock's public notice in the demo). It asks the notice's loader
 * once per page load and again after each action, only where this origin has answered as a demo
 * before (knownDemo): a server without --demo answers 404, and that must not show in every
 * console.
 */
export function DemoClockBanner() {
  const fetcher = useFetcher<DemoClockNoticeData>({ key: "reloj-banner" });
  const asks = knownDemo();
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per page load and per change of who asks.
  useEffect(() => {
    if (asks && fetcher.state === "idle" && fetcher.data === undefined)
      fetcher.load(DEMO_CLOCK_NOTICE_ROUTE);
  }, [asks]);
  const data = fetcher.data;
  const moved = data?.status === "loaded" && data.notice.moved ? data.notice.now : undefined;
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
