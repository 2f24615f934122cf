import { Form, Link, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { documentosApi } from "../api/expedientes.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { Hash } from "../components/verification/Hash.tsx";
import { DOCUMENTO_FILTERS, type DocumentosData, NEXT_PAGE_PARAM } from "../data/expedientes.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.expedientes.documentos;
const F = DOCUMENTO_FILTERS;

/**
 * /buzon/documentos — «Mis documentos»: what the Institute published for the person, newest
 * first, filtered by kind, period and registro patronal; each with its SHA-256 and its PDF.
 */
export function DocumentosPage() {
  const data = useLoaderData<DocumentosData>();
  const filters = data.status === "loaded" ? data.filters : undefined;
  const kinds = data.status === "loaded" ? data.kinds : [];
  const nextParams = (next: string) => {
    const params = new URLSearchParams();
    if (filters?.kind) params.set(F.kind, filters.kind);
    if (filters?.period) params.set(F.period, filters.period);
    if (filters?.registroPatronal) params.set(F.registroPatronal, filters.registroPatronal);
    params.set(NEXT_PAGE_PARAM, next);
    return params.toString();
  };
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="get" className="filters" aria-label={t.filtersTitle}>
        <div className="field">
          <label className="field__label" htmlFor={F.kind}>
            {t.kind}
          </label>
          <select
            className="field__input"
            id={F.kind}
            name={F.kind}
            defaultValue={filters?.kind ?? ""}
          >
            <option value="">{t.anyKind}</option>
            {kinds.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id={F.period}
          label={t.period}
          hint={t.periodHint}
          defaultValue={filters?.period ?? ""}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextField
          id={F.registroPatronal}
          label={t.registro}
          hint={t.registroHint}
          defaultValue={filters?.registroPatronal ?? ""}
          autoComplete="off"
        />
        <p className="filters__actions">
          <button className="button" type="submit">
            {t.apply}
          </button>{" "}
          {data.status === "loaded" && data.filtered && (
            <Link to={PAGE_PATHS.documentos}>{t.clear}</Link>
          )}
        </p>
      </Form>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && (
        <section aria-labelledby="mis-documentos-lista">
          <h2 id="mis-documentos-lista" className="visually-hidden">
            {t.listLabel}
          </h2>
          {data.items.length === 0 ? (
            <p>{data.filtered ? t.empty : t.emptyAll}</p>
          ) : (
            <ul className="documento-list">
              {data.items.map((d) => (
                <li key={d.id} className="documento-card">
                  <h3 className="documento-card__title">{d.kindName}</h3>
                  <dl className="facts">
                    <div className="facts__row">
                      <dt>{t.columns.period}</dt>
                      <dd>{d.periodLabel}</dd>
                    </div>
                    <div className="facts__row">
                      <dt>{t.columns.registro}</dt>
                      <dd>{d.registroPatronal ?? t.noRegistro}</dd>
                    </div>
                    <div className="facts__row">
                      <dt>{t.columns.publishedAt}</dt>
                      <dd>
                        <time dateTime={d.publishedAt}>{formatInstant(d.publishedAt)}</time>
                      </dd>
                    </div>
                    <div className="facts__row">
                      <dt>{t.hash}</dt>
                      <dd>
                        <Hash value={d.sha256} />
                      </dd>
                    </div>
                  </dl>
                  <p>
                    <a
                      className="button"
                      href={documentosApi.archivoPath(d.id)}
                      download={d.fileName}
                    >
                      {t.download}
                      <span className="visually-hidden">{t.downloadContext(d.fileName)}</span>
                    </a>{" "}
                    <span className="note">
                      {d.fileName} · {t.size(d.bytes)}
                    </span>
                  </p>
                </li>
              ))}
            </ul>
          )}
          {(data.next || !data.first) && (
            <nav className="pager" aria-label={t.pagerLabel}>
              {!data.first && <Link to={PAGE_PATHS.documentos}>{t.firstPage}</Link>}
              {data.next && (
                <Link to={`${PAGE_PATHS.documentos}?${nextParams(data.next)}`}>{t.nextPage}</Link>
              )}
            </nav>
          )}
          <p className="note">
            {t.verifyNote} <Link to="/verificacion">{t.verifyLink}</Link>
          </p>
        </section>
      )}
    </>
  );
}
