import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Link, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { notificacionesApi } from "../api/notificaciones.ts";
import type { AperturaDone, NotificacionDetail } from "../api/types.ts";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { WarningsList } from "../components/calculator/WarningsList.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { DatesList } from "../components/notificaciones/DatesList.tsx";
import { DaysLeftBadge } from "../components/notificaciones/DaysLeftBadge.tsx";
import { OpenDialog } from "../components/notificaciones/OpenDialog.tsx";
import { NotificacionStateBadge } from "../components/notificaciones/StateBadge.tsx";
import { FolioLink, Timeline } from "../components/notificaciones/Timeline.tsx";
import { RefusedPage } from "../components/RefusedPage.tsx";
import { actTypeName, type NotificacionData } from "../data/notificaciones.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.notificaciones;
const d = t.detail;

/** The acuses of the act's timeline, oldest first. */
function acusesOf(detail: NotificacionDetail) {
  return [...detail.timeline]
    .sort((a, b) => a.at.localeCompare(b.at))
    .filter((event) => event.acuse)
    .map((event) => ({
      event: event.event,
      folio: event.acuse as string,
      codigo: event.acuseCodigo,
    }));
}

/**
 * /buzon/notificaciones/:id — one act: its data and state, every date with «¿Por qué esta
 * fecha?» and the engine's warnings, its timeline, «Abrir con e.firma» while the server says an
 * opening would be accepted (`openable`: not on the fourth business day before 09:30, when it
 * says why instead), and the document and acuses once notified. Reading this page opens nothing.
 */
export function NotificacionPage() {
  const data = useLoaderData<NotificacionData>();
  const { session } = useMailbox();
  const [dialogOpen, setDialogOpen] = useState(false);
  const [opened, setOpened] = useState<AperturaDone | undefined>();
  const done = useRef<HTMLDivElement>(null);
  const openButton = useRef<HTMLButtonElement>(null);
  const factsTitle = useId();
  const datesTitle = useId();
  const docsTitle = useId();
  const timelineTitle = useId();

  const onOpened = useCallback((answer: { done: AperturaDone }) => {
    setOpened(answer.done);
    setDialogOpen(false);
  }, []);
  const onClose = useCallback(() => {
    setDialogOpen(false);
    openButton.current?.focus();
  }, []);

  useEffect(() => {
    if (opened) done.current?.focus();
  }, [opened]);

  if (data.status === "refused") {
    return (
      <RefusedPage
        title={t.title}
        problem={data.problem}
        back={{ to: PAGE_PATHS.notificaciones, label: t.back }}
      />
    );
  }

  const { detail, types } = data;
  const name = actTypeName(detail, types);
  const acuses = acusesOf(detail);
  const notified = detail.state === "notificada";

  return (
    <>
      <DocumentTitle title={`${name} · ${t.title}`} />
      <p className="back-link">
        <Link to={PAGE_PATHS.notificaciones}>{t.back}</Link>
      </p>
      <h1>{name}</h1>
      <p className="notif-head">
        <span>{t.oficio(detail.oficio)}</span> <NotificacionStateBadge state={detail.state} />
        {detail.state === "pendiente" && <DaysLeftBadge act={detail} />}
      </p>

      <div role="status">
        {opened && (
          <div className="registered" tabIndex={-1} ref={done}>
            <p className="registered__title">{t.open.opened(opened.acuse.folio)}</p>
            <p>{t.open.notifiedAt(formatInstant(opened.notifiedAt))}</p>
            <AcuseLink acuse={opened.acuse} />
          </div>
        )}
      </div>

      {detail.openable && !opened && (
        <section className="status-card open-card" aria-labelledby="abrir">
          <h2 className="status-card__title" id="abrir">
            {t.open.title}
          </h2>
          <p>{t.open.lead}</p>
          <p>
            <button
              className="button"
              type="button"
              ref={openButton}
              onClick={() => setDialogOpen(true)}
            >
              {t.open.button}
            </button>
          </p>
        </section>
      )}
      {!detail.openable && detail.openingRefusal && !opened && (
        <section className="status-card" aria-labelledby="abrir-cerrado">
          <h2 className="status-card__title" id="abrir-cerrado">
            {t.open.closedTitle}
          </h2>
          <p>{detail.openingRefusal}</p>
        </section>
      )}
      {detail.state === "cancelada" && <p className="note note--gap">{d.cancelled}</p>}
      {detail.state === "estrados" && <p className="note note--gap">{d.estrados}</p>}

      <section aria-labelledby={factsTitle}>
        <h2 id={factsTitle}>{d.facts}</h2>
        <dl className="facts">
          <div className="facts__row">
            <dt>{d.actType}</dt>
            <dd>{`${detail.actType} ${name === detail.actType ? "" : name}`.trim()}</dd>
          </div>
          <div className="facts__row">
            <dt>{d.oficio}</dt>
            <dd>{detail.oficio}</dd>
          </div>
          {detail.issuingUnit && (
            <div className="facts__row">
              <dt>{d.issuingUnit}</dt>
              <dd>{detail.issuingUnit}</dd>
            </div>
          )}
          {detail.documentName && (
            <div className="facts__row">
              <dt>{d.document}</dt>
              <dd className="notif-filename">{detail.documentName}</dd>
            </div>
          )}
          <div className="facts__row">
            <dt>{d.state}</dt>
            <dd>{t.states[detail.state] ?? detail.state}</dd>
          </div>
          {detail.notifiedBy && (
            <div className="facts__row">
              <dt>{d.notifiedBy}</dt>
              <dd>{t.notifiedBy[detail.notifiedBy] ?? detail.notifiedBy}</dd>
            </div>
          )}
        </dl>
        {detail.sinMediosDeDefensa && <p className="note note--gap">{d.sinMedios}</p>}
      </section>

      {detail.state !== "cancelada" && detail.avisoAt && (
        <section aria-labelledby={datesTitle}>
          <h2 id={datesTitle}>{d.datesTitle}</h2>
          <p className="note">{d.datesLead}</p>
          <DatesList detail={detail} />
          <WarningsList warnings={detail.warnings} result={detail} />
        </section>
      )}

      <section aria-labelledby={docsTitle}>
        <h2 id={docsTitle}>{d.documentTitle}</h2>
        {notified || opened ? (
          <p>
            <a
              className="button"
              href={notificacionesApi.documentoPath(detail.id)}
              download={detail.documentName ?? true}
            >
              {d.download}
            </a>
          </p>
        ) : (
          detail.state === "pendiente" && (
            <p className="note">
              {detail.openable || !detail.deemedNotifiedAt
                ? d.downloadLocked
                : d.downloadFrom(formatInstant(detail.deemedNotifiedAt))}
            </p>
          )
        )}
        <h3>{d.acusesTitle}</h3>
        {acuses.length === 0 ? (
          <p>{d.noAcuses}</p>
        ) : (
          <ul className="notif-acuses">
            {acuses.map(({ event, folio, codigo }) => (
              <li key={folio}>
                <p className="notif-acuses__what">{d.events[event] ?? event}</p>
                <FolioLink folio={folio} codigo={codigo} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby={timelineTitle}>
        <h2 id={timelineTitle}>{d.timelineTitle}</h2>
        <Timeline events={detail.timeline} />
      </section>

      {/* Kept while open: the answer revalidates the act (now notified) before the dialog hears it. */}
      {(detail.openable || dialogOpen) && (
        <OpenDialog open={dialogOpen} session={session} onClose={onClose} onOpened={onOpened} />
      )}
    </>
  );
}
