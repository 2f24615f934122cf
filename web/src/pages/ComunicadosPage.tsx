import { Form, Link, useActionData, useLoaderData, useNavigation } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import type { ComunicadoItem } from "../api/expedientes.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import {
  COMUNICADO_FILTER,
  COMUNICADO_ID_FIELD,
  COMUNICADO_OPEN,
  type ComunicadoFilter,
  type ComunicadosData,
  type MarkReadAnswer,
  NEXT_PAGE_PARAM,
} from "../data/expedientes.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.expedientes.comunicados;
const FILTERS: readonly ComunicadoFilter[] = ["todos", "sin_leer", "leidos"];

function pathWith(params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  return text ? `${PAGE_PATHS.comunicados}?${text}` : PAGE_PATHS.comunicados;
}

/**
 * /buzon/comunicados — «Mis comunicados»: the Institute's announcements that reach the person,
 * newest first, unread ones marked; one opens in place (`?abierto=`) and «Marcar como leído»
 * marks it once.
 */
export function ComunicadosPage() {
  const data = useLoaderData<ComunicadosData>();
  const answer = useActionData<MarkReadAnswer>();
  const navigation = useNavigation();
  const marking = navigation.state !== "idle" && navigation.formMethod === "POST";
  const filter = data.status === "loaded" ? data.filter : "todos";
  const filterParam = filter === "todos" ? undefined : filter;
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <nav className="segmented" aria-label={t.filterLabel}>
        <ul className="segmented__list">
          {FILTERS.map((f) => (
            <li key={f}>
              <Link
                className="segmented__link"
                to={pathWith({ [COMUNICADO_FILTER]: f === "todos" ? undefined : f })}
                aria-current={f === filter ? "page" : undefined}
              >
                {t.filters[f]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {answer?.status === "refused" && <ErrorAlert problem={answer.problem} />}
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && (
        <section aria-labelledby="mis-comunicados-lista">
          <h2 id="mis-comunicados-lista" className="visually-hidden">
            {t.listLabel}
          </h2>
          {data.items.length === 0 ? (
            <p>{filter === "sin_leer" ? t.emptyUnread : t.empty}</p>
          ) : (
            <ul className="comunicado-list">
              {data.items.map((item) => (
                <ComunicadoCard
                  key={item.id}
                  item={item}
                  body={data.open?.id === item.id ? data.open.body : undefined}
                  filterParam={filterParam}
                  marking={marking}
                />
              ))}
            </ul>
          )}
          {(data.next || !data.first) && (
            <nav className="pager" aria-label={t.pagerLabel}>
              {!data.first && (
                <Link to={pathWith({ [COMUNICADO_FILTER]: filterParam })}>{t.firstPage}</Link>
              )}
              {data.next && (
                <Link
                  to={pathWith({ [COMUNICADO_FILTER]: filterParam, [NEXT_PAGE_PARAM]: data.next })}
                >
                  {t.nextPage}
                </Link>
              )}
            </nav>
          )}
        </section>
      )}
    </>
  );
}

function ComunicadoCard({
  item,
  body,
  filterParam,
  marking,
}: {
  item: ComunicadoItem;
  body: string | undefined;
  filterParam: string | undefined;
  marking: boolean;
}) {
  const titleId = `comunicado-${item.id}`;
  return (
    <li
      className={item.read ? "comunicado-card" : "comunicado-card comunicado-card--unread"}
      aria-labelledby={titleId}
    >
      <h3 className="comunicado-card__title" id={titleId}>
        <span className={item.read ? "badge" : "badge badge--unread"}>
          {item.read ? t.read : t.unread}
        </span>{" "}
        {item.title}
      </h3>
      <p className="note">
        <time dateTime={item.publishedAt}>{t.publishedAt(formatInstant(item.publishedAt))}</time>
        {item.readAt && (
          <>
            {" · "}
            <time dateTime={item.readAt}>{t.readAt(formatInstant(item.readAt))}</time>
          </>
        )}
      </p>
      {body === undefined ? (
        <>
          <p>{item.excerpt}</p>
          <p>
            <Link
              to={pathWith({ [COMUNICADO_FILTER]: filterParam, [COMUNICADO_OPEN]: item.id })}
              aria-describedby={titleId}
            >
              {t.open}
            </Link>
          </p>
        </>
      ) : (
        <>
          <div className="comunicado-card__body">
            {body.split(/\n+/).map((paragraph, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the paragraphs of one fixed text.
              <p key={i}>{paragraph}</p>
            ))}
          </div>
          <div className="comunicado-card__actions">
            {!item.read && (
              <Form method="post" replace>
                <input type="hidden" name={COMUNICADO_ID_FIELD} value={item.id} />
                <button className="button" type="submit" disabled={marking}>
                  {marking ? t.marking : t.markRead}
                </button>
              </Form>
            )}
            <Link to={pathWith({ [COMUNICADO_FILTER]: filterParam })} aria-describedby={titleId}>
              {t.close}
            </Link>
          </div>
        </>
      )}
    </li>
  );
}
