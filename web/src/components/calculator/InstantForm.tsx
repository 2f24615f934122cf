import { type FormEvent, type ReactNode, useState } from "react";
import { useRequest } from "../../api/useRequest.ts";
import { zonaCentroInstant } from "../../format/dates.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { DateTimeFields } from "./DateTimeFields.tsx";
import { SubmitButton } from "./SubmitButton.tsx";

interface InstantFormProps<T> {
  id: string;
  texts: { legend: string; date: string; time: string };
  request: (instant: string, signal: AbortSignal) => Promise<T>;
  renderResult: (result: T) => ReactNode;
}

/** A computation from a single Zona Centro instant (promoción, emisión, validación). */
export function InstantForm<T>({ id, texts, request, renderResult }: InstantFormProps<T>) {
  const [date, setDate] = useState("");
  const [time, setTime] = useState("");
  const { state, run } = useRequest<T>();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const instant = zonaCentroInstant(date, time);
    void run((signal) => request(instant, signal));
  }

  return (
    <>
      <form className="form" onSubmit={submit}>
        <DateTimeFields
          id={id}
          legend={texts.legend}
          dateLabel={texts.date}
          timeLabel={texts.time}
          date={date}
          time={time}
          onDateChange={setDate}
          onTimeChange={setTime}
          required
        />
        <SubmitButton loading={state.status === "loading"} />
      </form>
      <ErrorAlert problem={state.status === "error" ? state.problem : undefined} />
      {state.status === "success" && renderResult(state.data)}
    </>
  );
}
