import { Link } from "react-router";
import { es } from "../i18n/es.ts";
import { MainNav } from "./MainNav.tsx";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <div className="container site-header__inner">
          <Link className="site-header__brand" to="/">
            <span className="site-header__name">{es.app.name}</span>
            <span className="site-header__tagline">{es.app.tagline}</span>
          </Link>
        </div>
      </div>
      <MainNav />
      <div className="site-header__accent" aria-hidden="true" />
    </header>
  );
}
