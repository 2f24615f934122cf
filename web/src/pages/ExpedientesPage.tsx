import { useEffect, useRef, useState } from "react";
import { Form, Link, useLoaderData, useLocation } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { isUnauthenticated, problemOf } from "../api/client.ts";
import { type ExpedienteItem, expedientesApi } from "../api/expedientes.ts";
import type { ProblemDetails } from "../api/types.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Field } from "../components/form/Field.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { EXPEDIENTE_FILTERS, type ExpedientesData } from "../data/misExpedientes.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.expedientes.lista;
const F = EXPEDIENTE_FILTERS;

/**
 * /buzon/expedientes — «Mis expedientes»: notifications, promociones, documents and comunicados
 * in one list, searched and filtered in the address (GET form), each with its page and its
 * acuses; «Cargar anteriores» appends the next page; «Descargar CSV» the whole list.
 */
export function ExpedientesPage() {
  const data = useLoaderData<ExpedientesData>();
  const location = useLocation();
  const filters = data.filters;
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="get" className="filters" aria-label={t.filtersTitle}>
        <Field id={F.q} label={t.q} hint={t.qHint}>
          {(tie) => (
            <input
              {...tie}
              className="field__input"
              type="search"
              maxLength={200}
              defaultValue={filters.q ?? ""}
              autoComplete="off"
            />
          )}
        </Field>
        <div className="field">
          <label className="field__label" htmlFor={F.clase}>
            {t.clase}
          </label>
          <select
            className="field__input"
            id={F.clase}
            name={F.clase}
            defaultValue={filters.clase ?? ""}
          >
            <option value="">{t.clases.todas}</option>
            <option value="notificacion">{t.clases.notificacion}</option>
            <option value="promocion">{t.clases.promocion}</option>
            <option value="documento">{t.clases.documento}</option>
            <option value="comunicado">{t.clases.comunicado}</option>
          </select>
        </div>
        <div className="expedientes-dates">
          <Field id={F.desde} label={t.desde}>
            {(tie) => (
              <input
                {...tie}
                className="field__input"
                type="date"
                defaultValue={filters.desde ?? ""}
              />
            )}
          </Field>
          <Field id={F.hasta} label={t.hasta}>
            {(tie) => (
              <input
                {...tie}
                className="field__input"
                type="date"
                defaultValue={filters.hasta ?? ""}
              />
            )}
          </Field>
        </div>
        <TextField
          id={F.registroPatronal}
          label={t.registro}
          hint={t.registroHint}
          defaultValue={filters.registroPatronal ?? ""}
          autoComplete="off"
        />
        <p className="filters__actions">
          <button className="button" type="submit">
            {t.apply}
          </button>{" "}
          {data.status === "loaded" && data.filtered && (
            <Link to={PAGE_PATHS.expedientes}>{t.clear}</Link>
          )}
        </p>
      </Form>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && <Results key={location.search} data={data} />}
    </>
  );
}

function Results({ data }: { data: Extract<ExpedientesData, { status: "loaded" }> }) {
  const [items, setItems] = useState<ExpedienteItem[]>(data.items);
  const [next, setNext] = useState<string | null>(data.next);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | null>(null);
  const firstNew = useRef<number | null>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    // After «Cargar anteriores», focus goes to the first item loaded.
    if (firstNew.current === null) return;
    const link = list.current?.children[firstNew.current]?.querySelector("a");
    link?.focus();
    firstNew.current = null;
  });

  async function loadMore() {
    if (!next) return;
    setLoading(true);
    setProblem(null);
    try {
      const page = await expedientesApi.lista({ ...data.filters, antesDe: next });
      firstNew.current = items.length;
      setItems([...items, ...page.items]);
      setNext(page.next);
    } catch (error) {
      if (isUnauthenticated(error)) window.location.assign(PAGE_PATHS.signIn);
      setProblem(problemOf(error));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section aria-labelledby="mis-expedientes-lista">
      <div className="expedientes-head">
        <h2 id="mis-expedientes-lista">{t.listLabel}</h2>
        <p className="expedientes-csv">
          <a
            className="button button--secondary"
            href={expedientesApi.csvPath(data.filters)}
            download
          >
            {t.csv}
          </a>{" "}
          <span className="note">{t.csvNote}</span>
        </p>
      </div>
      <p className="note" aria-live="polite">
        {items.length === 0
          ? data.filtered
            ? t.empty
            : t.emptyAll
          : t.count(items.length, next !== null)}
      </p>
      {items.length > 0 && (
        <ul className="expediente-list" ref={list}>
          {items.map((item) => (
            <ExpedienteCard key={`${item.clase}-${item.id}`} item={item} />
          ))}
        </ul>
      )}
      {problem && <ErrorAlert problem={problem} />}
      {next && (
        <p>
          <button className="button" type="button" onClick={loadMore} disabled={loading}>
            {loading ? t.loadingMore : t.more}
          </button>
        </p>
      )}
    </section>
  );
}

function ExpedienteCard({ item }: { item: ExpedienteItem }) {
  const titleId = `expediente-${item.clase}-${item.id}`;
  return (
    <li className="documento-card expediente-card" aria-labelledby={titleId}>
      <p className="badge">{t.claseLabel[item.clase]}</p>
      <h3 className="documento-card__title" id={titleId}>
        <Link to={item.link}>{item.title}</Link>
      </h3>
      <dl className="facts">
        <div className="facts__row">
          <dt>{t.date}</dt>
          <dd>
            <time dateTime={item.date}>{formatInstant(item.date)}</time>
          </dd>
        </div>
        {item.clase !== "comunicado" && item.title !== item.typeName && (
          <div className="facts__row">
            <dt>{t.type}</dt>
            <dd>{item.typeName}</dd>
          </div>
        )}
        {item.reference && (
          <div className="facts__row">
            <dt>{t.reference[item.clase]}</dt>
            <dd>{item.reference}</dd>
          </div>
        )}
        {item.registroPatronal && (
          <div className="facts__row">
            <dt>{t.registroColumn}</dt>
            <dd>{item.registroPatronal}</dd>
          </div>
        )}
        {item.state && (
          <div className="facts__row">
            <dt>{t.state}</dt>
            <dd>{t.states[item.state] ?? item.state}</dd>
          </div>
        )}
      </dl>
      {item.download && (
        <p>
          <a className="download-link" href={item.download} download>
            {t.download}
            <span className="visually-hidden">{t.downloadContext(item.title)}</span>
          </a>
        </p>
      )}
      {item.acuses.length > 0 && (
        <div className="expediente-acuses">
          <h4 className="expediente-acuses__title">{t.acuses}</h4>
          <ul>
            {item.acuses.map((a) => (
              <li key={a.folio}>
                <span className="notif-filename">{t.acuseFolio(a.folio)}</span>{" "}
                <a className="download-link" href={a.pdf} download>
                  {t.acusePdf}
                  <span className="visually-hidden">{t.acuseContext(a.folio)}</span>
                </a>{" "}
                <Link className="download-link" to={a.verification}>
                  {t.acuseVerify}
                  <span className="visually-hidden">{t.acuseContext(a.folio)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      )}
    </li>
  );
}
