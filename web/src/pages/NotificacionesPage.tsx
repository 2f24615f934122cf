import { useId } from "react";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { NotificacionCard } from "../components/notificaciones/NotificacionCard.tsx";
import { TabLinks } from "../components/notificaciones/TabLinks.tsx";
import {
  actTypeName,
  FILTER_FIELDS,
  type NotificacionesData,
  type NotificacionesTab,
  TABS,
} from "../data/notificaciones.ts";
import { formatDayMonthYear } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.notificaciones;

/** dd/mm/aaaa of a filter's day, to show it back in its field. */
function typedDate(params: URLSearchParams, name: string): string {
  return params.get(name) ?? "";
}

/**
 * /buzon/notificaciones — «Mis notificaciones»: Pendientes / Notificadas / Todas as links, the
 * filters (act type, aviso dates) as a GET form, and one card per act with the business days
 * left to open it. Listing opens nothing.
 */
export function NotificacionesPage() {
  const data = useLoaderData<NotificacionesData>();
  const location = useLocation();
  const navigation = useNavigation();
  const params = new URLSearchParams(location.search);
  const listTitle = useId();
  const busy = navigation.state === "loading" && navigation.location.pathname === location.pathname;

  if (data.status === "refused") {
    return (
      <>
        <DocumentTitle title={t.title} />
        <h1>{t.title}</h1>
        <ErrorAlert problem={data.problem} />
      </>
    );
  }

  const { filters, errors } = data;
  const tabTo = (tab: NotificacionesTab) => {
    const next = new URLSearchParams(params);
    next.set(FILTER_FIELDS.tab, tab);
    return `?${next.toString()}`;
  };
  const filtered = filters.actType !== "" || filters.from !== undefined || filters.to !== undefined;

  return (
    <>
      <DocumentTitle title={`${t.title} · ${t.tabs[filters.tab]}`} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <TabLinks
        label={t.tabsLabel}
        current={filters.tab}
        tabs={TABS.map((tab) => ({
          key: tab,
          label: t.tabCount(t.tabs[tab], data.counts[tab]),
          to: tabTo(tab),
        }))}
      />
      <details className="filters" open={filtered || Object.keys(errors).length > 0}>
        <summary className="filters__summary">{t.filters.title}</summary>
        <ErrorSummary errors={errors} submission={location.search} />
        <Form method="get" className="filters__form" noValidate>
          <input type="hidden" name={FILTER_FIELDS.tab} value={filters.tab} />
          <Field id={FILTER_FIELDS.actType} label={t.filters.actType}>
            {(tie) => (
              <select
                {...tie}
                className="field__input field__input--select"
                defaultValue={filters.actType}
              >
                <option value="">{t.filters.anyType}</option>
                {data.types.map((type) => (
                  <option key={type.id} value={type.id}>
                    {`${type.id} ${type.name}`}
                  </option>
                ))}
                {data.types.length === 0 &&
                  [...new Set(data.list.map((n) => n.actType))].map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
              </select>
            )}
          </Field>
          <div className="field-row">
            <TextField
              id={FILTER_FIELDS.from}
              label={t.filters.from}
              hint={t.filters.dateHint}
              error={errors[FILTER_FIELDS.from]}
              defaultValue={typedDate(params, FILTER_FIELDS.from)}
              inputMode="numeric"
              autoComplete="off"
            />
            <TextField
              id={FILTER_FIELDS.to}
              label={t.filters.to}
              hint={t.filters.dateHint}
              error={errors[FILTER_FIELDS.to]}
              defaultValue={typedDate(params, FILTER_FIELDS.to)}
              inputMode="numeric"
              autoComplete="off"
            />
          </div>
          <div className="filters__actions">
            <button className="button" type="submit">
              {t.filters.apply}
            </button>
            {filtered && (
              <Link
                className="button button--secondary"
                to={`?${FILTER_FIELDS.tab}=${filters.tab}`}
              >
                {t.filters.clear}
              </Link>
            )}
          </div>
        </Form>
      </details>
      <section aria-labelledby={listTitle} aria-busy={busy}>
        <h2 id={listTitle} className="visually-hidden">
          {t.tabs[filters.tab]}
        </h2>
        <p className="notif-count" role="status">
          {t.shown(data.shown.length)}
          {filters.from && ` · ${t.filters.from} ${formatDayMonthYear(filters.from)}`}
          {filters.to && ` · ${t.filters.to} ${formatDayMonthYear(filters.to)}`}
        </p>
        {data.shown.length === 0 ? (
          <p className="notif-empty">{filtered ? t.empty.filtered : t.empty[filters.tab]}</p>
        ) : (
          <ul className="notif-cards">
            {data.shown.map((n) => (
              <NotificacionCard key={n.id} notificacion={n} typeName={actTypeName(n, data.types)} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
