import { useId } from "react";
import { Link, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import type { AvisoEvidence } from "../api/types.ts";
import { acusePath } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { Fact } from "../components/Fact.tsx";
import { NotificacionStateBadge } from "../components/notificaciones/StateBadge.tsx";
import { StaffTimeline } from "../components/personal/StaffTimeline.tsx";
import type { StaffActData } from "../data/personal.ts";
import { formatDate, formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.personal.act;
const l = es.personal.list;

/**
 * /personal/notificaciones/:id — one act as the staff follow it (issue 11 §5): its state, its
 * whole timeline with who acted and each acuse's folio and links, and its aviso as a court asks
 * the Institute to exhibit it (TFJA IX-J-1aS-7): the addressee, when the document was made
 * available, the three-day term (for a cancelled act, the cancellation and that no term runs),
 * each address the aviso went to with every delivery attempt, and the aviso's acuse. An act on
 * estrados had no aviso: its page is the timeline.
 */
export function StaffActPage() {
  const data = useLoaderData<StaffActData>();
  const timelineTitle = useId();
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
  const { aviso, act } = data;
  const avisoCode = act.timeline.find(
    (event) => aviso.acuse && event.acuse === aviso.acuse.folio,
  )?.acuseCodigo;
  const folioOnly = act.timeline.some((event) => event.acuse && !event.acuseCodigo);
  return (
    <>
      <DocumentTitle title={`${aviso.act.actTypeName} · ${aviso.act.oficio}`} />
      {back}
      <h1>{aviso.act.actTypeName}</h1>
      <p className="notif-head">
        <span>{es.notificaciones.oficio(aviso.act.oficio)}</span>{" "}
        <NotificacionStateBadge state={act.state} />
      </p>
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
        <Fact label={t.state}>{es.notificaciones.states[act.state] ?? act.state}</Fact>
        {act.notifiedAt && (
          <Fact label={t.notified}>
            <time dateTime={act.notifiedAt}>{formatInstant(act.notifiedAt)}</time>
            {act.notifiedBy && ` (${l.notifiedBy[act.notifiedBy] ?? act.notifiedBy})`}
          </Fact>
        )}
      </dl>
      {act.state === "cancelada" && <p className="note">{t.cancelledNote}</p>}
      {act.estrados && <p className="note">{t.estradosNote}</p>}
      {act.estrados && act.state !== "cancelada" && (
        <p className="note">{t.estradosFrom(formatInstant(act.avisoAt))}</p>
      )}

      {data.evidenceReader ? (
        <>
          <p>
            <a className="button" href={notificacionesApi.evidenciaPath(aviso.id)} download>
              {t.evidence}
            </a>
          </p>
          <p className="field-hint">{t.evidenceHint}</p>
        </>
      ) : (
        <p className="note">{t.evidenceOtherRoles}</p>
      )}

      <section aria-labelledby={timelineTitle}>
        <h2 id={timelineTitle}>{t.timelineTitle}</h2>
        <p className="note">{t.timelineLead}</p>
        <StaffTimeline events={act.timeline} />
        {folioOnly && <p className="note">{t.timelineFolioOnly}</p>}
      </section>

      {!act.estrados && (
        <AvisoSections
          aviso={aviso}
          avisoCode={avisoCode}
          titles={{ aviso: avisoTitle, acuse: acuseTitle, deliveries: deliveriesTitle }}
        />
      )}
    </>
  );
}

/** A clause of the sealed text («no corren …») as a value on its own line. */
const sentence = (clause: string) => clause.charAt(0).toUpperCase() + clause.slice(1);

/**
 * The aviso's evidence: its term (or, for a cancelled act, the cancellation and its effect), its
 * acuse, each address it went to with every attempt.
 */
function AvisoSections({
  aviso,
  avisoCode,
  titles,
}: {
  aviso: AvisoEvidence;
  avisoCode: string | undefined;
  titles: { aviso: string; acuse: string; deliveries: string };
}) {
  const { aviso: avisoTitle, acuse: acuseTitle, deliveries: deliveriesTitle } = titles;
  // A cancelled act states no term (none runs): its cancellation and effect instead.
  const { cancellation } = aviso;
  const neverAvailable = cancellation !== null && !cancellation.afterAviso;
  return (
    <>
      <section aria-labelledby={avisoTitle}>
        <h2 id={avisoTitle}>{t.avisoTitle}</h2>
        <dl className="facts facts--spaced">
          <Fact label={neverAvailable ? t.avisoAtNotReached : t.availableAt}>
            {formatInstant(aviso.availableAt)}
          </Fact>
          {aviso.term && (
            <>
              <Fact label={t.openBy}>{formatDate(aviso.term.openBy)}</Fact>
              <Fact label={t.deemedNotifiedAt}>{formatInstant(aviso.term.deemedNotifiedAt)}</Fact>
              <Fact label={t.calendarVersion}>{aviso.term.calendarVersion}</Fact>
            </>
          )}
          {cancellation && (
            <>
              <Fact label={t.cancelledAt}>{formatInstant(cancellation.cancelledAt)}</Fact>
              {cancellation.acuseFolio && (
                <Fact label={t.cancellationAcuse}>
                  <span className="notif-filename">{cancellation.acuseFolio}</span>
                </Fact>
              )}
              <Fact label={t.cancellationEffect}>{sentence(cancellation.effect)}</Fact>
            </>
          )}
        </dl>
        <p className="note">{aviso.term?.statement ?? cancellation?.statement}</p>
      </section>

      <section aria-labelledby={acuseTitle}>
        <h2 id={acuseTitle}>{t.acuseTitle}</h2>
        {neverAvailable && !aviso.acuse ? (
          <p>{t.noAcuseCancelled}</p>
        ) : aviso.acuse ? (
          <dl className="facts">
            <Fact label={t.folio}>
              <span className="notif-filename">{aviso.acuse.folio}</span>{" "}
              <Link
                className="download-link"
                to={
                  avisoCode
                    ? acusePath({ folio: aviso.acuse.folio, codigo: avisoCode })
                    : `/verificacion/${encodeURIComponent(aviso.acuse.folio)}`
                }
              >
                {t.verify}
                <span className="visually-hidden">
                  {` ${t.acuseNames.aviso_emitido} ${aviso.acuse.folio}`}
                </span>
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
