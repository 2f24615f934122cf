import { Link, useLoaderData } from "react-router";
import { acusePath } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { acusePdfPath, NEXT_PAGE_PARAM, type OwnAcusesData } from "../data/acuses.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.ownAcuses;

/**
 * /buzon/acuses — «Mis acuses»: every acuse of the person's buzón, newest first, each with its
 * folio and code, the PDF and the public verification (ownAcusesLoader), a page at a time.
 */
export function OwnAcusesPage() {
  const data = useLoaderData<OwnAcusesData>();
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {data.status === "refused" && (
        <>
          <ErrorAlert problem={data.problem} />
          <p>
            <Link to="/buzon/acuses">{t.firstPage}</Link>
          </p>
        </>
      )}
      {data.status === "loaded" && data.page.acuses.length === 0 && (
        <p>{data.first ? t.empty : t.noMore}</p>
      )}
      {data.status === "loaded" && data.page.acuses.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-scroll" aria-label={t.tableScrollLabel} tabIndex={0}>
          <table className="table acuses-table">
            <caption className="table__caption">{t.caption}</caption>
            <thead>
              <tr>
                <th scope="col">{t.columns.kind}</th>
                <th scope="col">{t.columns.eventAt}</th>
                <th scope="col">{t.columns.folio}</th>
                <th scope="col">{t.columns.code}</th>
                <th scope="col">{t.columns.actions}</th>
              </tr>
            </thead>
            <tbody>
              {data.page.acuses.map((acuse) => (
                <tr key={acuse.folio}>
                  <th scope="row" data-label={t.columns.kind}>
                    {acuse.kindLabel}
                  </th>
                  <td data-label={t.columns.eventAt}>
                    <time dateTime={acuse.eventAt}>{formatInstant(acuse.eventAt)}</time>
                  </td>
                  <td className="acuses-table__folio" data-label={t.columns.folio}>
                    {acuse.folio}
                  </td>
                  <td data-label={t.columns.code}>
                    <code>{acuse.codigo}</code>
                  </td>
                  <td data-label={t.columns.actions}>
                    <span className="acuses-table__actions">
                      <a
                        className="button button--secondary button--small"
                        href={acusePdfPath(acuse)}
                        download
                      >
                        {t.pdf}
                        <span className="visually-hidden">{t.context(acuse.folio)}</span>
                      </a>
                      <Link
                        className="button button--secondary button--small"
                        to={acusePath(acuse)}
                      >
                        {t.verify}
                        <span className="visually-hidden">{t.context(acuse.folio)}</span>
                      </Link>
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {data.status === "loaded" && (data.page.siguiente || !data.first) && (
        <nav className="pager" aria-label={t.pagerLabel}>
          {!data.first && <Link to="/buzon/acuses">{t.firstPage}</Link>}
          {data.page.siguiente && (
            <Link
              to={`/buzon/acuses?${new URLSearchParams({ [NEXT_PAGE_PARAM]: data.page.siguiente })}`}
            >
              {t.nextPage}
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
