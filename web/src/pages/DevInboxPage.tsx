import { Fragment } from "react";
import { Form, useLoaderData, useLocation, useRevalidator } from "react-router";
import { DevTokenForm } from "../components/activation/DevTokenForm.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import { Field } from "../components/form/Field.tsx";
import { type DevInboxData, RECIPIENT_FIELD } from "../data/dev.ts";
import { formatInstant } from "../format/dates.ts";
import type { FieldErrors } from "../forms/fields.ts";
import { es } from "../i18n/es.ts";

const t = es.devInbox;

const URL_IN_TEXT = /(https?:\/\/[^\s<>"]+)/g;

/** A message's text with its addresses as links (the validation link among them). */
function Linked({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_IN_TEXT).map((part, index) =>
        index % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text.
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text.
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/**
 * /desarrollo/bandeja — demo only: the e-mails and SMS the loopback sinks received
 * (devInboxLoader), newest first, so a newcomer can open the validation link or copy the code.
 */
export function DevInboxPage() {
  const data = useLoaderData<DevInboxData>();
  const revalidator = useRevalidator();
  const location = useLocation();
  // «Buscar» with no recipient: said at the field and in the summary, which takes the focus.
  const errors: FieldErrors =
    data.status === "idle" && data.missing ? { [RECIPIENT_FIELD]: t.recipientMissing } : {};

  return (
    <>
      <DocumentTitle title={t.title} />
      <p className="kicker">{es.devTools.demoOnly}</p>
      <h1 className="kicker-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <DevTokenForm
        withToken={data.withToken}
        tokenRefused={data.tokenRefused}
        action="/desarrollo/bandeja"
      />
      <ErrorSummary errors={errors} submission={location.key} />
      <Form className="form form--narrow dev-search" method="get" role="search" noValidate>
        <Field
          id={RECIPIENT_FIELD}
          label={t.recipient}
          hint={t.recipientHint}
          error={errors[RECIPIENT_FIELD]}
        >
          {(tie) => (
            <input
              {...tie}
              className="field__input"
              type="text"
              defaultValue={data.para}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
            />
          )}
        </Field>
        <button className="button" type="submit">
          {t.search}
        </button>
      </Form>
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      {data.status === "loaded" && (
        <section aria-labelledby="mensajes">
          <h2 id="mensajes">
            {t.count(data.messages.length)}
            {data.para ? ` — ${data.para}` : ""}
          </h2>
          <button
            className="button button--secondary button--small"
            type="button"
            onClick={() => revalidator.revalidate()}
            disabled={revalidator.state !== "idle"}
          >
            {t.refresh}
          </button>
          {data.messages.length === 0 && <p>{t.none}</p>}
          <ol className="dev-messages">
            {data.messages.map((message) => (
              <li
                className="dev-message"
                // Two avisos can reach one address in the same millisecond (a lote): their
                // texts (each names its act) tell them apart.
                key={`${message.sentAt}-${message.to}-${message.channel}-${message.text}`}
              >
                <article
                  aria-label={`${t.channels[message.channel]}: ${message.subject ?? message.to}`}
                >
                  <h3 className="dev-message__subject">
                    <span className={`channel channel--${message.channel}`}>
                      {t.channels[message.channel]}
                    </span>{" "}
                    {message.channel === "correo" ? (message.subject ?? t.noSubject) : message.to}
                  </h3>
                  <dl className="facts dev-message__facts">
                    <div className="facts__row">
                      <dt>{t.to}</dt>
                      <dd>{message.to}</dd>
                    </div>
                    <div className="facts__row">
                      <dt>{t.sentAt}</dt>
                      <dd>
                        <time dateTime={message.sentAt}>{formatInstant(message.sentAt)}</time>
                      </dd>
                    </div>
                  </dl>
                  <p className="dev-message__text">
                    <Linked text={message.text} />
                  </p>
                </article>
              </li>
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
