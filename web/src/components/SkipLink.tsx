import { es } from "../i18n/es.ts";

export function SkipLink() {
  return (
    <a className="skip-link" href="#contenido">
      {es.app.skipLink}
    </a>
  );
}
