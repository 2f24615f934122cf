import { useId } from "react";
import { Link, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Fact } from "../components/Fact.tsx";
import type { StaffActData } from "../data/personal.ts";
import { formatDate, formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.personal.act;

/**
 * /personal/notificaciones/:id — one act's aviso as a court asks the Institute to exhibit it
 * (TFJA IX-J-1aS-7): the addressee, when the document was made available, the three-day term,
 * each address the aviso went to with every delivery attempt, and the aviso's acuse.
 */
export function StaffActPage() {
  const data = useLoaderData<StaffActData>();
  const avisoTitle = useId();
  const acuseTitle = useId();
  const deliveriesTitle = useId();
  const back = (
    <p className="back-link">
      <Link to={PAGE_PATHS.staffNotificaciones}>{t.back}</Link>
    </p>
  );
  if (data.status === "refused") {
    return (
      <>
        <DocumentTitle title={es.personal.list.title} />
        {back}
        <h1>{es.personal.list.title}</h1>
        <ErrorAlert problem={data.problem} />
      </>
    );
  }
  const { aviso } = data;
  return (
    <>
      <DocumentTitle title={`${aviso.act.actTypeName} · ${aviso.act.oficio}`} />
      {back}
      <h1>{aviso.act.actTypeName}</h1>
      <dl className="facts facts--spaced">
        <Fact label={t.addressee}>{aviso.addressee.rfc}</Fact>
        {aviso.addressee.registroPatronal && (
          <Fact label={t.registroPatronal}>{aviso.addressee.registroPatronal}</Fact>
        )}
        <Fact label={t.oficio}>{aviso.act.oficio}</Fact>
        <Fact label={t.issuingUnit}>{aviso.act.issuingUnit}</Fact>
        <Fact label={t.document}>
          <span className="notif-filename">{aviso.act.documentName}</span>
        </Fact>
        <Fact label={t.sha256}>
          <code className="hash">{aviso.act.documentSha256}</code>
        </Fact>
      </dl>

      <p>
        <a className="button" href={notificacionesApi.evidenciaPath(aviso.id)} download>
          {t.evidence}
        </a>
      </p>
      <p className="field-hint">{t.evidenceHint}</p>

      <section aria-labelledby={avisoTitle}>
        <h2 id={avisoTitle}>{t.avisoTitle}</h2>
        <dl className="facts facts--spaced">
          <Fact label={t.availableAt}>{formatInstant(aviso.availableAt)}</Fact>
          <Fact label={t.openBy}>{formatDate(aviso.term.openBy)}</Fact>
          <Fact label={t.deemedNotifiedAt}>{formatInstant(aviso.term.deemedNotifiedAt)}</Fact>
          <Fact label={t.calendarVersion}>{aviso.term.calendarVersion}</Fact>
        </dl>
        <p className="note">{aviso.term.statement}</p>
      </section>

      <section aria-labelledby={acuseTitle}>
        <h2 id={acuseTitle}>{t.acuseTitle}</h2>
        {aviso.acuse ? (
          <dl className="facts">
            <Fact label={t.folio}>
              <span className="notif-filename">{aviso.acuse.folio}</span>{" "}
              <Link
                className="download-link"
                to={`/verificacion/${encodeURIComponent(aviso.acuse.folio)}`}
              >
                {t.verify}
              </Link>
            </Fact>
            <Fact label={t.countsAt}>{formatInstant(aviso.acuse.countsAt)}</Fact>
          </dl>
        ) : (
          <p>{t.noAcuse}</p>
        )}
      </section>

      <section aria-labelledby={deliveriesTitle}>
        <h2 id={deliveriesTitle}>{t.deliveriesTitle}</h2>
        <p className="note">{t.deliveriesLead}</p>
        {aviso.deliveries.length === 0 ? (
          <p>{t.noDeliveries}</p>
        ) : (
          <ul className="notif-cards">
            {aviso.deliveries.map((delivery) => (
              <li
                className={`notif-card delivery delivery--${delivery.status}`}
                key={`${delivery.aviso}-${delivery.channel}-${delivery.address}`}
              >
                <div className="notif-card__head">
                  <h3 className="notif-card__title">
                    {t.avisos[delivery.aviso] ?? delivery.aviso} ·{" "}
                    {t.channels[delivery.channel] ?? delivery.channel}
                  </h3>
                  <span className={`notif-state notif-state--${delivery.status}`}>
                    {t.statuses[delivery.status] ?? delivery.status}
                  </span>
                </div>
                <p className="notif-card__oficio">{delivery.address}</p>
                <p>
                  {t.enqueuedAt} {formatInstant(delivery.enqueuedAt)}
                </p>
                {delivery.attempts.length > 0 && (
                  <ol className="delivery__attempts">
                    {delivery.attempts.map((attempt) => (
                      <li key={attempt.attempt}>
                        {t.attempt(attempt.attempt, attempt.outcome, formatInstant(attempt.at))}
                      </li>
                    ))}
                  </ol>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
