import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { useMailbox } from "../components/mailbox/mailboxContext.ts";
import { es } from "../i18n/es.ts";

const t = es.mailbox;

/** /buzon — the mailbox of the signed-in person: who they are and the mailbox's status. */
export function MailboxHomePage() {
  const { session } = useMailbox();
  const status = t.statuses[session.mailboxStatus] ?? session.mailboxStatus;
  // The certificate carries the representative's RFC; the name only when the server knows it.
  const representative =
    session.persona === "moral" && session.representativeRfc
      ? session.representativeName
        ? t.representative(session.representativeName, session.representativeRfc)
        : t.representativeRfc(session.representativeRfc)
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
        {session.staffRole && (
          <div className="facts__row">
            <dt>{t.facts.staffRole}</dt>
            <dd>{t.staffRoles[session.staffRole] ?? session.staffRole}</dd>
          </div>
        )}
      </dl>
      {representative && <p className="mailbox-representative">{representative}</p>}

      <section className="status-card" aria-labelledby="estado-buzon">
        <h2 className="status-card__title" id="estado-buzon">
          {t.status(status)}
        </h2>
        {session.mailboxStatus === "no_habilitado" && <p>{t.notEnabledNote}</p>}
      </section>
    </>
  );
}
