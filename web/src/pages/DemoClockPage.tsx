import { useFetcher, useLoaderData } from "react-router";
import { DevTokenForm } from "../components/activation/DevTokenForm.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import { DateTimeFields } from "../components/form/DateTimeFields.tsx";
import { ErrorSummary } from "../components/form/ErrorSummary.tsx";
import {
  aheadOf,
  CLOCK_FIELDS,
  type DemoClockAnswer,
  type DemoClockData,
  describeAhead,
  QUICK_STEPS_HOURS,
} from "../data/dev.ts";
import { formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.demoClock;

/**
 * /desarrollo/reloj — demo only: the demo clock (demoClockLoader) and «Adelantar» (demoClockAction:
 * forward only; the server runs the jobs due by the new instant before it answers).
 */
export function DemoClockPage() {
  const data = useLoaderData<DemoClockData>();
  const fetcher = useFetcher<DemoClockAnswer>({ key: "mover-reloj" });
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const busy = fetcher.state !== "idle";
  return (
    <>
      <DocumentTitle title={t.title} />
      <p className="kicker">{es.devTools.demoOnly}</p>
      <h1 className="kicker-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <DevTokenForm
        withToken={data.withToken && answer?.tokenRefused !== true}
        tokenRefused={data.tokenRefused || answer?.tokenRefused}
        action="/desarrollo/bandeja"
      />
      {data.status === "refused" && <ErrorAlert problem={data.problem} />}
      <div role="status">
        {answer?.status === "moved" && (
          <p className="notice__text">{t.moved(formatInstant(answer.clock.now))}</p>
        )}
      </div>
      {data.status === "loaded" && (
        <>
          <dl className="facts">
            <div className="facts__row">
              <dt>{t.now}</dt>
              <dd>
                <time dateTime={data.clock.now}>{formatInstant(data.clock.now)}</time>
              </dd>
            </div>
            <div className="facts__row">
              <dt>{t.realNow}</dt>
              <dd>{formatInstant(new Date(data.realNow).toISOString())}</dd>
            </div>
          </dl>
          <p>
            {aheadOf(data.clock, data.realNow) > 0
              ? t.ahead(describeAhead(aheadOf(data.clock, data.realNow)))
              : t.notMoved}
          </p>
          <section aria-labelledby="adelantar">
            <h2 id="adelantar">{t.quickTitle}</h2>
            <div className="quick-steps">
              {QUICK_STEPS_HOURS.map((hours) => (
                <fetcher.Form method="post" key={hours}>
                  <input type="hidden" name="actual" value={data.clock.now} />
                  <input type="hidden" name="horas" value={hours} />
                  <button className="button button--secondary" type="submit" disabled={busy}>
                    {t.quick(hours)}
                  </button>
                </fetcher.Form>
              ))}
            </div>
          </section>
          <ErrorSummary errors={errors} submission={answer} />
          <fetcher.Form className="form" method="post" noValidate aria-busy={busy}>
            <input type="hidden" name="actual" value={data.clock.now} />
            <DateTimeFields
              id={CLOCK_FIELDS.id}
              legend={CLOCK_FIELDS.legend}
              dateLabel={CLOCK_FIELDS.date}
              timeLabel={CLOCK_FIELDS.time}
              errors={errors}
            />
            <button className="button" type="submit" disabled={busy} aria-busy={busy}>
              {busy ? t.moving : t.form.submit}
            </button>
          </fetcher.Form>
          <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
        </>
      )}
    </>
  );
}
