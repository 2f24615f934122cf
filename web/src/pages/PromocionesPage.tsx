import { Link, useLoaderData } from "react-router";
import { PAGE_PATHS, promocionPath } from "../../../src/platform/http/page-paths.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { PromocionStateBadge } from "../components/promociones/PromocionStateBadge.tsx";
import {
  DRAFT_PARAM,
  NEXT_PAGE_PARAM,
  type PromocionesData,
  typeName,
} from "../data/promociones.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.promociones;

/**
 * /buzon/promociones — «Promociones electrónicas»: the person's promociones, newest first, a
 * page at a time, each with its state and instants; the drafts to continue; «Nueva promoción».
 */
export function PromocionesPage() {
  const data = useLoaderData<PromocionesData>();
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p>
        <Link className="button" to={PAGE_PATHS.promocionNueva}>
          {t.newAction}
        </Link>
      </p>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && (
        <>
          <section aria-labelledby="mis-promociones">
            <h2 id="mis-promociones">{t.listTitle}</h2>
            {data.items.length === 0 ? (
              <p>{t.empty}</p>
            ) : (
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
              <section className="table-scroll" aria-label={t.listLabel} tabIndex={0}>
                <table className="table acuses-table promociones-table">
                  <caption className="visually-hidden">{t.listLabel}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.columns.subject}</th>
                      <th scope="col">{t.columns.type}</th>
                      <th scope="col">{t.columns.state}</th>
                      <th scope="col">{t.columns.sentAt}</th>
                      <th scope="col">{t.columns.receivedAt}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((item) => (
                      <tr key={item.id}>
                        <th scope="row" data-label={t.columns.subject}>
                          <Link to={promocionPath(item.id)}>{item.subject}</Link>
                        </th>
                        <td data-label={t.columns.type}>{typeName(item.type, data.types)}</td>
                        <td data-label={t.columns.state}>
                          <PromocionStateBadge state={item.state} />
                        </td>
                        <td data-label={t.columns.sentAt}>
                          <time dateTime={item.sentAt}>{formatInstant(item.sentAt)}</time>
                        </td>
                        <td data-label={t.columns.receivedAt}>
                          <time dateTime={item.receivedAt}>{formatInstant(item.receivedAt)}</time>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            )}
            {(data.next || !data.first) && (
              <nav className="pager" aria-label={t.pagerLabel}>
                {!data.first && <Link to={PAGE_PATHS.promociones}>{t.firstPage}</Link>}
                {data.next && (
                  <Link
                    to={`${PAGE_PATHS.promociones}?${new URLSearchParams({ [NEXT_PAGE_PARAM]: data.next })}`}
                  >
                    {t.nextPage}
                  </Link>
                )}
              </nav>
            )}
          </section>
          <section aria-labelledby="borradores">
            <h2 id="borradores">{t.draftsTitle}</h2>
            <p className="note">{t.draftsLead}</p>
            {data.drafts.length === 0 ? (
              <p>{t.draftsEmpty}</p>
            ) : (
              <ul className="pending-means">
                {data.drafts.map((draft) => (
                  <li key={draft.id}>
                    <strong>{draft.subject || t.draftUntitled}</strong>
                    {` · ${typeName(draft.type, data.types)} · `}
                    {t.draftUpdated(formatInstant(draft.updatedAt))}{" "}
                    <Link
                      to={`${PAGE_PATHS.promocionNueva}?${new URLSearchParams({ [DRAFT_PARAM]: draft.id })}`}
                    >
                      {t.draftResume}
                      <span className="visually-hidden">
                        {t.draftResumeContext(draft.subject || t.draftUntitled)}
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
