import { Link, useLoaderData } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { EstradosActCard } from "../components/estrados/EstradosActCard.tsx";
import type { EstradosData } from "../data/estrados.ts";
import { es } from "../i18n/es.ts";

const t = es.estrados;

/**
 * /estrados — the public estrados electrónicos (CFF 139): the acts the Institute notifies to
 * people without an enabled Buzón IMSS, newest first, each with its dates and why.
 */
export function EstradosPage() {
  const data = useLoaderData<EstradosData>();
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p className="note">{t.privacy}</p>
      <ErrorAlert problem={data.status === "refused" ? data.problem : undefined} />
      {data.status === "loaded" &&
        (data.list.items.length === 0 ? (
          <p className="note">{t.empty}</p>
        ) : (
          <ul className="estrados-list" aria-label={t.listLabel}>
            {data.list.items.map((item) => (
              <li key={item.id}>
                <EstradosActCard item={item} />
              </li>
            ))}
          </ul>
        ))}
      {data.status === "loaded" && (data.list.next || data.paged) && (
        <nav className="estrados-pages" aria-label={t.listLabel}>
          {data.paged && <Link to="/estrados">{t.firstPage}</Link>}
          {data.list.next && (
            <Link to={`/estrados?despues=${encodeURIComponent(data.list.next)}`}>{t.nextPage}</Link>
          )}
        </nav>
      )}
    </>
  );
}
