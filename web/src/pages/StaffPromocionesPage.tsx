import { Form, Link, useLoaderData } from "react-router";
import { PAGE_PATHS, staffPromocionPath } from "../../../src/platform/http/page-paths.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Field } from "../components/form/Field.tsx";
import { TextField } from "../components/form/TextField.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { PromocionStateBadge } from "../components/promociones/PromocionStateBadge.tsx";
import { StaffAclaraciones } from "../components/promociones/StaffAclaraciones.tsx";
import { ACLARACION_FILTER, QUEUE_NEXT_PARAM, type StaffQueueData } from "../data/atencion.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const pr = es.promociones;
const t = pr.staff;
const f = t.filters;

const F = {
  estado: "estado",
  tipo: "tipo",
  asignadoA: "asignadoA",
  rfc: "rfc",
  recibidaDesde: "recibidaDesde",
  recibidaHasta: "recibidaHasta",
} as const;

/**
 * /personal/promociones — «Atención de promociones»: the promociones received, the first
 * received first, filtered by state, type, who attends them, the particular's RFC and the days
 * received; each opens its page to take it, note it, answer it or conclude it.
 */
export function StaffPromocionesPage() {
  const data = useLoaderData<StaffQueueData>();
  const { session } = useMailbox();
  const filters = data.filters;
  const filtered = Object.keys(filters).length > 0;
  const aclaraciones = data.aclaraciones;
  // The aclaraciones' own filter stays as it is while the promociones' queue moves.
  const kept: Record<string, string> =
    aclaraciones.status !== "hidden" && aclaraciones.estado === "atendida"
      ? { [ACLARACION_FILTER]: aclaraciones.estado }
      : {};
  const hrefWith = (params: Record<string, string>) => {
    const query = new URLSearchParams({ ...params, ...kept });
    return `${PAGE_PATHS.staffPromociones}${query.size > 0 ? `?${query}` : ""}`;
  };
  const queueHref = (extra: Record<string, string>) =>
    hrefWith({ ...(filters as Record<string, string>), ...extra });
  const nextHref = (cursor: string) => queueHref({ [QUEUE_NEXT_PARAM]: cursor });
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Form method="get" className="filters" aria-label={f.title}>
        <div className="expedientes-dates">
          <Field id={F.estado} label={f.state}>
            {(tie) => (
              <select {...tie} className="field__input" defaultValue={filters.estado ?? ""}>
                <option value="">{f.anyState}</option>
                {(["recibida", "en_atencion", "respondida", "concluida"] as const).map((s) => (
                  <option key={s} value={s}>
                    {pr.states[s]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={F.asignadoA} label={f.assignee}>
            {(tie) => (
              <select {...tie} className="field__input" defaultValue={filters.asignadoA ?? ""}>
                <option value="">{f.anyAssignee}</option>
                <option value="sin_asignar">{f.unassigned}</option>
                <option value={session.rfc}>{f.mine}</option>
              </select>
            )}
          </Field>
        </div>
        {data.status === "loaded" && (
          <Field id={F.tipo} label={f.type}>
            {(tie) => (
              <select {...tie} className="field__input" defaultValue={filters.tipo ?? ""}>
                <option value="">{f.anyType}</option>
                {data.types.map((type) => (
                  <option key={type.id} value={type.id}>
                    {type.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <TextField
          id={F.rfc}
          label={f.rfc}
          defaultValue={filters.rfc ?? ""}
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={13}
        />
        <div className="expedientes-dates">
          <Field id={F.recibidaDesde} label={f.from}>
            {(tie) => (
              <input
                {...tie}
                className="field__input"
                type="date"
                defaultValue={filters.recibidaDesde ?? ""}
              />
            )}
          </Field>
          <Field id={F.recibidaHasta} label={f.to}>
            {(tie) => (
              <input
                {...tie}
                className="field__input"
                type="date"
                defaultValue={filters.recibidaHasta ?? ""}
              />
            )}
          </Field>
        </div>
        {Object.entries(kept).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <p className="filters__actions">
          <button className="button" type="submit">
            {f.apply}
          </button>{" "}
          {filtered && <Link to={hrefWith({})}>{f.clear}</Link>}
        </p>
      </Form>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && (
        <section aria-labelledby="bandeja-promociones">
          <h2 id="bandeja-promociones" className="visually-hidden">
            {t.listLabel}
          </h2>
          {data.items.length === 0 ? (
            <p>{t.empty}</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
            <section className="table-scroll" aria-label={t.listLabel} tabIndex={0}>
              <table className="table acuses-table promociones-table staff-promociones">
                <caption className="visually-hidden">{t.listLabel}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.columns.subject}</th>
                    <th scope="col">{t.columns.rfc}</th>
                    <th scope="col">{t.columns.type}</th>
                    <th scope="col">{t.columns.state}</th>
                    <th scope="col">{t.columns.receivedAt}</th>
                    <th scope="col">{t.columns.assignee}</th>
                    <th scope="col">{t.columns.attachments}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((item) => (
                    <tr key={item.id} data-promocion={item.id}>
                      <th scope="row" data-label={t.columns.subject}>
                        <Link to={staffPromocionPath(item.id)}>{item.subject}</Link>
                      </th>
                      <td data-label={t.columns.rfc}>{item.rfc}</td>
                      <td data-label={t.columns.type}>{item.typeName}</td>
                      <td data-label={t.columns.state}>
                        <PromocionStateBadge state={item.state} />
                      </td>
                      <td data-label={t.columns.receivedAt}>
                        <time dateTime={item.receivedAt}>{formatInstant(item.receivedAt)}</time>
                      </td>
                      <td data-label={t.columns.assignee}>{item.assignee ?? t.unassigned}</td>
                      <td data-label={t.columns.attachments}>{item.attachments}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          {(data.next || !data.first) && (
            <nav className="pager" aria-label={t.pagerLabel}>
              {!data.first && <Link to={queueHref({})}>{t.firstPage}</Link>}
              {data.next && <Link to={nextHref(data.next)}>{t.nextPage}</Link>}
            </nav>
          )}
        </section>
      )}
      {aclaraciones.status !== "hidden" && (
        <StaffAclaraciones data={aclaraciones} csrf={session.csrfToken} />
      )}
    </>
  );
}
