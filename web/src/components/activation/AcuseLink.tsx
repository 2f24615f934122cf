import { Link } from "react-router";
import type { AcuseRef } from "../../api/types.ts";
import { acusePdfPath } from "../../data/acuses.ts";
import { es } from "../../i18n/es.ts";

/** The public verification page of an acuse (folio and code filled), where it downloads too. */
export function acusePath(acuse: AcuseRef): string {
  return `/verificacion/${encodeURIComponent(acuse.folio)}?codigo=${encodeURIComponent(acuse.codigo)}`;
}

/** Folio and code of an acuse, and the link to download and verify it. */
export function AcuseLink({ acuse }: { acuse: AcuseRef }) {
  const t = es.acuse;
  return (
    <div className="acuse-ref">
      <dl className="facts">
        <div className="facts__row">
          <dt>{t.folio}</dt>
          <dd>{acuse.folio}</dd>
        </div>
        <div className="facts__row">
          <dt>{t.code}</dt>
          <dd>
            <code>{acuse.codigo}</code>
          </dd>
        </div>
      </dl>
      <p className="downloads">
        <Link className="download-link" to={acusePath(acuse)}>
          {t.verify}
          <span className="visually-hidden">{t.verifyContext(acuse.folio)}</span>
        </Link>
        <a className="download-link" href={acusePdfPath(acuse)} download>
          {t.pdf}
          <span className="visually-hidden">{t.verifyContext(acuse.folio)}</span>
        </a>
      </p>
    </div>
  );
}
