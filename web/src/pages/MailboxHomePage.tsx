import { Link, useLoaderData } from "react-router";
import {
  notificacionPath,
  PAGE_PATHS,
  validateMeansPath,
} from "../../../src/platform/http/page-paths.ts";
import { ActivationSteps } from "../components/activation/ActivationSteps.tsx";
import { displayValue } from "../components/activation/MeansList.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { DaysLeftBadge } from "../components/notificaciones/DaysLeftBadge.tsx";
import { nextStepOf } from "../data/mailbox.ts";
import type { MailboxHomeData } from "../data/notificaciones.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.mailbox;
const n = es.notificaciones;

/** Where each next step is taken. */
const NEXT_PATH = {
  register: "/buzon/medios",
  validate: "/buzon/medios",
  sign: "/buzon/activacion",
  resign: "/buzon/activacion",
} as const;

/**
 * /buzon — the mailbox of the signed-in person: who they are, the mailbox's state (buzonLoader),
 * the next step of the activation and the deadline that makes it pressing.
 */
export function MailboxHomePage() {
  const { session } = useMailbox();
  // Undefined until the mailbox API answers on this server (the route has no loader then).
  const data = useLoaderData<MailboxHomeData | undefined>();
  const pendingActs = data?.pending ?? [];
  const buzon = data?.status === "loaded" ? data.buzon : undefined;
  // The session says who signed in; only the mailbox's own answer says how it stands.
  const stateKey = buzon?.state ?? "desconocido";
  const status = t.statuses[stateKey] ?? stateKey;
  const next = buzon ? nextStepOf(buzon) : undefined;
  const pending = buzon?.means.filter((m) => m.status === "pendiente") ?? [];
  // The certificate carries the representative's RFC; the name only when the server knows it.
  const representative =
    session.persona === "moral" && session.representativeRfc
      ? t.representativeValue(session.representativeName, session.representativeRfc)
      : undefined;

  return (
    <>
      <DocumentTitle title={t.title(session.name)} />
      <h1>{t.title(session.name)}</h1>
      <dl className="facts mailbox-facts">
        <div className="facts__row">
          <dt>{t.facts.rfc}</dt>
          <dd>{session.rfc}</dd>
        </div>
        <div className="facts__row">
          <dt>{t.facts.persona}</dt>
          <dd>{t.personas[session.persona] ?? session.persona}</dd>
        </div>
        {representative && (
          <div className="facts__row">
            <dt>{t.facts.representative}</dt>
            <dd>{representative}</dd>
          </div>
        )}
        {session.staffRole && (
          <div className="facts__row">
            <dt>{t.facts.staffRole}</dt>
            <dd>{t.staffRoles[session.staffRole] ?? session.staffRole}</dd>
          </div>
        )}
      </dl>

      {pendingActs.length > 0 && (
        <section
          className="status-card status-card--notif"
          aria-labelledby="notificaciones-pendientes"
        >
          <h2 className="status-card__title" id="notificaciones-pendientes">
            {n.home.title(pendingActs.length)}
          </h2>
          <p>{n.home.text(pendingActs.length)}</p>
          <ul className="pending-means">
            {pendingActs.map((act) => (
              <li key={act.id}>
                <Link to={notificacionPath(act.id)}>{n.oficio(act.oficio)}</Link>{" "}
                <DaysLeftBadge act={act} />
              </li>
            ))}
          </ul>
          <p>
            <Link className="button" to={PAGE_PATHS.notificaciones}>
              {n.home.action}
            </Link>
          </p>
        </section>
      )}

      <section
        className={stateKey === "habilitado" ? "status-card status-card--enabled" : "status-card"}
        aria-labelledby="estado-buzon"
      >
        <h2 className="status-card__title" id="estado-buzon">
          {t.status(status)}
        </h2>
        {buzon?.state === "habilitado" && buzon.provenance === "lineamientos_2020" && (
          <>
            <p className="provenance">{t.provenance2020}</p>
            <p>{t.provenance2020Note}</p>
            {buzon.validated.correos > 0 && buzon.validated.celulares > 0 && (
              <p>{t.provenance2020Keep}</p>
            )}
            {(buzon.validated.correos === 0 || buzon.validated.celulares === 0) && (
              <>
                <p>
                  {t.provenance2020Missing(
                    buzon.validated.correos === 0,
                    buzon.validated.celulares === 0,
                  )}
                </p>
                <p>
                  <Link className="button" to={NEXT_PATH.register}>
                    {t.provenance2020Action}
                  </Link>
                </p>
              </>
            )}
          </>
        )}
        {buzon?.state === "habilitado" && next === "done" && buzon.terms.signedVersion && (
          <p>{t.enabledNote(buzon.terms.signedVersion)}</p>
        )}
        {next && next !== "done" && (
          <>
            <h3>{t.nextTitle}</h3>
            <p>
              {next === "resign" ? t.next.resign(buzon?.terms.currentVersion ?? "") : t.next[next]}
            </p>
            {next === "validate" && pending.length > 0 && (
              <>
                <p>{t.pendingMeans(pending.length)}</p>
                <ul className="pending-means">
                  {pending.map((m) => (
                    <li key={m.id}>
                      <Link to={validateMeansPath(m.id)}>{t.validateLink(displayValue(m))}</Link>
                      {", "}
                      {es.contactMeans.validateBefore}{" "}
                      <time dateTime={m.expiresAt}>{formatInstant(m.expiresAt)}</time>
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p>
              <Link className="button" to={NEXT_PATH[next]}>
                {t.nextAction[next]}
              </Link>
            </p>
          </>
        )}
      </section>
      {data?.status === "refused" && <ErrorAlert problem={data.problem} />}

      <section aria-labelledby="mis-expedientes">
        <h2 id="mis-expedientes">{es.expedientes.menu.group}</h2>
        <ul className="pending-means">
          <li>
            <Link to={PAGE_PATHS.expedientes}>{es.expedientes.lista.homeLink}</Link>
          </li>
          <li>
            <Link to={PAGE_PATHS.documentos}>{es.expedientes.menu.documentos}</Link>
          </li>
          <li>
            <Link to={PAGE_PATHS.comunicados}>{es.expedientes.menu.comunicados}</Link>
          </li>
          <li>
            <Link to={PAGE_PATHS.notificaciones}>{es.expedientes.menu.notificaciones}</Link>
          </li>
        </ul>
      </section>

      <section aria-labelledby="mis-acuses">
        <h2 id="mis-acuses">{t.ownAcuses}</h2>
        <p>{t.ownAcusesNote}</p>
        <p>
          <Link to="/buzon/acuses">{t.ownAcusesLink}</Link>
        </p>
      </section>

      {next && next !== "done" && <ActivationSteps next={next} />}
      {stateKey !== "habilitado" && (
        <section aria-labelledby="plazo">
          <h2 id="plazo">{t.deadlineTitle}</h2>
          <p>{t.deadline}</p>
          <p>{t.estradosNote}</p>
        </section>
      )}
    </>
  );
}
