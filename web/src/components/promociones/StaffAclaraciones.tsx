import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link, useLocation } from "react-router";
import { type AclaracionEstado, aclaracionesApi } from "../../api/mailbox.ts";
import type { AclaracionItem } from "../../api/types.ts";
import { ACLARACION_FILTER, type AclaracionesData } from "../../data/atencion.ts";
import { formatInstant } from "../../format/dates.ts";
import { textOf } from "../../forms/fields.ts";
import { useDecision } from "../../forms/useDecision.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { Fact } from "../Fact.tsx";
import { Field } from "../form/Field.tsx";

const t = es.promociones.staff.aclaraciones;
const ESTADOS: readonly AclaracionEstado[] = ["abierta", "atendida"];

/** The note's field of one aclaración (one form per card). */
const noteFieldOf = (id: string) => `respuesta-aclaracion-${id}`;

/**
 * «Aclaraciones de medios de contacto» in «Atención de promociones»: the «no recibí el correo»
 * the particulars filed (src/features/mailbox), open or attended as the address says, oldest
 * first, a page at a time: «Ver más» appends the next page of the same state (the API's `next`)
 * and takes the focus to the first card it brought. Each open one with «Atender» and the answer
 * the person reads in her mailbox. One call at a time: a second click while one works does
 * nothing, and the card shows the aclaración as the server answers it, attended.
 */
export function StaffAclaraciones({
  data,
  csrf,
}: {
  data: Exclude<AclaracionesData, { status: "hidden" }>;
  csrf: string;
}) {
  const location = useLocation();
  const loaded = data.status === "loaded" ? data.items : [];
  const loadedNext = data.status === "loaded" ? data.next : null;
  // The loader's first page, with the pages «Ver más» brought and the attentions made here
  // since it loaded.
  const [source, setSource] = useState(loaded);
  const [items, setItems] = useState(loaded);
  const [next, setNext] = useState(loadedNext);
  const [loadingMore, setLoadingMore] = useState(false);
  const { decide, busy, problem, done, statusRef, reset } = useDecision();
  const list = useRef<HTMLUListElement>(null);
  // The first card a «Ver más» brought, to get the focus once it is drawn.
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    if (focusFrom.current === null) return;
    // The first new card's heading; the message if the page brought none (the button is gone:
    // the last page has none).
    const heading = list.current?.children[focusFrom.current]?.querySelector<HTMLElement>("h3");
    (heading ?? statusRef.current)?.focus();
    focusFrom.current = null;
  });
  if (source !== loaded) {
    // Another list (the other state, or the queue reloaded): what was said of the last is old.
    setSource(loaded);
    setItems(loaded);
    setNext(loadedNext);
    reset();
  }

  const hrefOf = (estado: AclaracionEstado) => {
    const params = new URLSearchParams(location.search);
    if (estado === "atendida") params.set(ACLARACION_FILTER, estado);
    else params.delete(ACLARACION_FILTER);
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}`;
  };

  function attend(item: AclaracionItem, nota: string): Promise<boolean> {
    return decide(
      () => aclaracionesApi.atender(item.id, nota, csrf),
      (attended) => {
        setItems((list) => list.map((a) => (a.id === attended.id ? attended : a)));
        // The form (and the focus in it) is gone: the message says what happened.
        return t.done(attended.rfc);
      },
    );
  }

  async function loadMore(estado: AclaracionEstado, cursor: string) {
    const shown = items.length;
    setLoadingMore(true);
    await decide(
      () => aclaracionesApi.lista(estado, cursor),
      (page) => {
        setItems((current) => [...current, ...page.aclaraciones]);
        setNext(page.next);
        focusFrom.current = shown;
        return t.moreLoaded(page.aclaraciones.length);
      },
      { focus: false },
    );
    setLoadingMore(false);
  }

  return (
    <section className="aclaraciones-staff" aria-labelledby="aclaraciones-medios">
      <h2 id="aclaraciones-medios">{t.title}</h2>
      <p className="note">{t.lead}</p>
      <nav className="segmented" aria-label={t.filterLabel}>
        <ul className="segmented__list">
          {ESTADOS.map((estado) => (
            <li key={estado}>
              <Link
                className="segmented__link"
                to={hrefOf(estado)}
                aria-current={estado === data.estado ? "page" : undefined}
                preventScrollReset
              >
                {t.filters[estado]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div role="status" className="atencion-status">
        {done && (
          <p className="registered" tabIndex={-1} ref={statusRef}>
            {done}
          </p>
        )}
      </div>
      <ErrorAlert problem={data.status === "refused" ? data.problem : problem} />
      {data.status === "loaded" &&
        (items.length === 0 ? (
          <p>{t.empty[data.estado]}</p>
        ) : (
          <ul
            className="means-cards aclaraciones-staff__list"
            aria-label={t.listLabel(data.estado)}
            ref={list}
          >
            {items.map((item) => (
              <AclaracionCard key={item.id} item={item} busy={busy} onAttend={attend} />
            ))}
          </ul>
        ))}
      {data.status === "loaded" && next && (
        <p className="aclaraciones-staff__more">
          <button
            className="button button--secondary"
            type="button"
            disabled={busy}
            onClick={() => loadMore(data.estado, next)}
          >
            {loadingMore ? t.loadingMore : t.more}
            <span className="visually-hidden">{t.moreContext(data.estado)}</span>
          </button>
        </p>
      )}
    </section>
  );
}

function AclaracionCard({
  item,
  busy,
  onAttend,
}: {
  item: AclaracionItem;
  busy: boolean;
  onAttend: (item: AclaracionItem, nota: string) => Promise<boolean>;
}) {
  const [error, setError] = useState<string | undefined>();
  const attended = item.status === "atendida";
  const headingId = `aclaracion-${item.id}`;
  const field = noteFieldOf(item.id);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const nota = textOf(new FormData(event.currentTarget), field).trim();
    setError(nota === "" ? t.noteMissing : undefined);
    if (nota !== "") await onAttend(item, nota);
  }
  return (
    <li
      className={`means-card aclaracion-card means-card--${attended ? "validado" : "pendiente"}`}
      data-aclaracion={item.id}
    >
      <h3 className="means-card__value aclaracion-card__title" id={headingId} tabIndex={-1}>
        {t.about(item.rfc)}
      </h3>
      <p className={`state-badge state-badge--${attended ? "validado" : "pendiente"}`}>
        {t.statuses[item.status]}
      </p>
      <div className="aclaracion-card__body">
        <dl className="facts">
          <Fact label={t.email}>
            <span className="aclaracion-card__email">{item.email}</span>
          </Fact>
          <Fact label={t.filedAt}>
            <time dateTime={item.createdAt}>{formatInstant(item.createdAt)}</time>
          </Fact>
          <Fact label={t.acuse}>{item.acuseFolio}</Fact>
          <Fact label={t.registration}>{item.registrationFolio}</Fact>
          {item.description !== "" && (
            <Fact label={t.description}>
              <span className="promocion-text">{item.description}</span>
            </Fact>
          )}
          {attended && item.attendedAt && (
            <Fact label={t.attendedAt}>
              <time dateTime={item.attendedAt}>{formatInstant(item.attendedAt)}</time>
            </Fact>
          )}
          {attended && item.attendedBy && <Fact label={t.attendedBy}>{item.attendedBy}</Fact>}
          {attended && item.note && (
            <Fact label={t.answer}>
              <span className="promocion-text">{item.note}</span>
            </Fact>
          )}
        </dl>
        {!attended && (
          <form className="form form--narrow" noValidate onSubmit={submit}>
            <Field id={field} label={t.note} hint={t.noteHint} error={error}>
              {(tie) => <textarea {...tie} className="field__input" rows={3} maxLength={2000} />}
            </Field>
            <button className="button" type="submit" disabled={busy}>
              {t.attend}
              <span className="visually-hidden">{t.attendContext(item.rfc)}</span>
            </button>
          </form>
        )}
      </div>
    </li>
  );
}
