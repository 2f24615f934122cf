import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import type { NotificacionResult } from "../../api/types.ts";
import { useRequest } from "../../api/useRequest.ts";
import { zonaCentroInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { DateTimeFields } from "./DateTimeFields.tsx";
import { NotificacionResultView } from "./NotificacionResultView.tsx";
import { SubmitButton } from "./SubmitButton.tsx";

const t = es.calculator.notificacion;

/** Aviso (and, optionally, opening) → the whole clock of an electronic notification. */
export function NotificacionForm() {
  const [avisoDate, setAvisoDate] = useState("");
  const [avisoTime, setAvisoTime] = useState("");
  const [openedDate, setOpenedDate] = useState("");
  const [openedTime, setOpenedTime] = useState("");
  const { state, run } = useRequest<NotificacionResult>();
  const openedGiven = openedDate !== "" || openedTime !== "";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const aviso = zonaCentroInstant(avisoDate, avisoTime);
    const abierto = openedGiven ? zonaCentroInstant(openedDate, openedTime) : undefined;
    void run((signal) => api.notificacion(aviso, abierto, signal));
  }

  return (
    <>
      <form className="form" onSubmit={submit}>
        <DateTimeFields
          id="aviso"
          legend={t.avisoLegend}
          dateLabel={t.avisoDate}
          timeLabel={t.avisoTime}
          date={avisoDate}
          time={avisoTime}
          onDateChange={setAvisoDate}
          onTimeChange={setAvisoTime}
          required
        />
        <DateTimeFields
          id="apertura"
          legend={t.openedLegend}
          hint={t.openedHint}
          dateLabel={t.openedDate}
          timeLabel={t.openedTime}
          date={openedDate}
          time={openedTime}
          onDateChange={setOpenedDate}
          onTimeChange={setOpenedTime}
          required={openedGiven}
        />
        <SubmitButton loading={state.status === "loading"} />
      </form>
      <ErrorAlert problem={state.status === "error" ? state.problem : undefined} />
      {state.status === "success" && <NotificacionResultView result={state.data} />}
    </>
  );
}
