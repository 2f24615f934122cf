import { useFetcher, useLoaderData } from "react-router";
import {
  type Calculation,
  type CalculatorAnswer,
  type CalculatorData,
  INSTANT_FIELDS,
} from "../../data/calculator.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { DateTimeFields } from "../form/DateTimeFields.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import { EmisionResultView } from "./EmisionResultView.tsx";
import { NotificacionOptions } from "./NotificacionOptions.tsx";
import { NotificacionResultView } from "./NotificacionResultView.tsx";
import { PromocionResultView } from "./PromocionResultView.tsx";
import { SubmitButton } from "./SubmitButton.tsx";
import { ValidacionResultView } from "./ValidacionResultView.tsx";

function ResultOf({ answer }: { answer: CalculatorAnswer }) {
  if (answer.status !== "done") return null;
  switch (answer.kind) {
    case "notificacion":
      return <NotificacionResultView result={answer.result} />;
    case "promocion":
      return <PromocionResultView result={answer.result} />;
    case "emision":
      return <EmisionResultView result={answer.result} />;
    case "validacion":
      return <ValidacionResultView result={answer.result} />;
  }
}

/**
 * One tab of the calculator: its date-and-time groups, checked by the app itself (every error
 * at once, next to its field and in a summary), sent through this tab's own fetcher to the
 * page's action, and its result.
 */
export function CalculatorForm({ kind }: { kind: Calculation }) {
  const fetcher = useFetcher<CalculatorAnswer>({ key: `calculadora-${kind}` });
  const { tfjaVersions } = useLoaderData<CalculatorData>();
  const answer = fetcher.data;
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const groups = INSTANT_FIELDS[kind];
  const openedHint = kind === "notificacion" ? es.calculator.notificacion.openedHint : undefined;
  return (
    <>
      <ErrorSummary errors={errors} submission={answer} />
      <fetcher.Form className="form" method="post" noValidate>
        <input type="hidden" name="tipo" value={kind} />
        {groups.map((group, index) => (
          <DateTimeFields
            key={group.id}
            id={group.id}
            legend={group.legend}
            dateLabel={group.date}
            timeLabel={group.time}
            hint={index > 0 ? openedHint : undefined}
            errors={errors}
          />
        ))}
        {kind === "notificacion" && (
          <NotificacionOptions errors={errors} tfjaVersions={tfjaVersions} />
        )}
        <SubmitButton loading={fetcher.state !== "idle"} />
      </fetcher.Form>
      <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
      {answer && <ResultOf answer={answer} />}
    </>
  );
}
