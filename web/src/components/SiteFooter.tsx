import { es } from "../i18n/es.ts";

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__accent" aria-hidden="true" />
      <div className="container site-footer__inner">
        <p className="site-footer__name">{es.app.name}</p>
        <p>{es.footer.legalBasis}</p>
        <p>{es.footer.timeZone}</p>
        <p className="site-footer__disclaimer">{es.footer.disclaimer}</p>
      </div>
    </footer>
  );
}
