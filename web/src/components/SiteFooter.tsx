import { Link, useFetcher } from "react-router";
import { type DemoClockNoticeData, knownDemo } from "../data/dev.ts";
import { es } from "../i18n/es.ts";

/**
 * The footer. On a demo (`serve --demo`) it also links the demo's own tools, the «Bandeja de
 * desarrollo» and the «Reloj de demostración»: when the clock's public notice answered (the
 * banner's fetcher, shared by key) or this origin answered as a demo before (knownDemo). A
 * server without --demo never shows them.
 */
export function SiteFooter() {
  const notice = useFetcher<DemoClockNoticeData>({ key: "reloj-banner" });
  const demo = notice.data?.status === "loaded" || (notice.data === undefined && knownDemo());
  return (
    <footer className="site-footer">
      <div className="site-footer__accent" aria-hidden="true" />
      <div className="container site-footer__inner">
        <p className="site-footer__name">{es.app.name}</p>
        {demo && (
          <nav className="site-footer__demo" aria-label={es.footer.demoTools}>
            <p>
              {es.footer.demoTools}: <Link to="/desarrollo/bandeja">{es.devInbox.title}</Link>
              {" · "}
              <Link to="/desarrollo/reloj">{es.demoClock.title}</Link>
            </p>
          </nav>
        )}
        <nav className="site-footer__public" aria-label={es.footer.publicLinks}>
          <p>
            {es.footer.publicLinks}: <Link to="/estrados">{es.nav.estrados}</Link>
            {" · "}
            <Link to="/verificacion">{es.nav.verification}</Link>
          </p>
        </nav>
        <p>{es.footer.legalBasis}</p>
        <p>{es.footer.timeZone}</p>
        <p className="site-footer__disclaimer">{es.footer.disclaimer}</p>
      </div>
    </footer>
  );
}
