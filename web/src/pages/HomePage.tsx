import { Link, useRouteLoaderData } from "react-router";
import type { SessionState } from "../api/types.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { HomeSection } from "../components/HomeSection.tsx";
import { ToolCard } from "../components/ToolCard.tsx";
import { es } from "../i18n/es.ts";

const t = es.home;

/** / — what the Buzón IMSS is, who uses it, how it works, and links to the tools. */
export function HomePage() {
  const session = useRouteLoaderData<SessionState>("root");
  return (
    <>
      <DocumentTitle title={es.app.name} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      {session?.autenticado && (
        <section className="status-card home-session" aria-labelledby="sesion-inicio">
          <h2 className="status-card__title" id="sesion-inicio">
            {t.sessionTitle(session.name, session.rfc)}
          </h2>
          <p>
            <Link to="/buzon">{t.sessionLink}</Link>
          </p>
        </section>
      )}

      <ul className="tool-cards" aria-label={t.toolsTitle}>
        <ToolCard to="/calculadora" title={t.calculatorLink} text={t.calculatorLinkText} />
        <ToolCard to="/dias-inhabiles" title={t.daysLink} text={t.daysLinkText} />
        <ToolCard to="/verificacion" title={t.verificationLink} text={t.verificationLinkText} />
      </ul>

      <div className="home-grid">
        <HomeSection title={t.whatTitle}>
          <p>{t.whatText}</p>
        </HomeSection>

        <HomeSection title={t.whoTitle}>
          <p>{t.whoIntro}</p>
          <ul className="bullets">
            {t.who.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </HomeSection>

        <HomeSection title={t.activationTitle}>
          <ol className="steps">
            {t.activation.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ol>
        </HomeSection>

        <HomeSection title={t.notificationsTitle}>
          <ul className="bullets">
            {t.notifications.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </HomeSection>

        <HomeSection title={t.promotionsTitle}>
          <ul className="bullets">
            {t.promotions.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </HomeSection>

        <HomeSection title={t.retentionTitle}>
          <p>{t.retentionText}</p>
        </HomeSection>
      </div>

      <HomeSection title={t.legalTitle}>
        <p>{t.legalText}</p>
        <dl className="facts">
          {t.legalFacts.map((fact) => (
            <div className="facts__row" key={fact.term}>
              <dt>{fact.term}</dt>
              <dd>{fact.value}</dd>
            </div>
          ))}
        </dl>
      </HomeSection>
    </>
  );
}
