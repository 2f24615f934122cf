import { api } from "../../api/client.ts";
import { es } from "../../i18n/es.ts";
import { InstantForm } from "./InstantForm.tsx";
import { ValidacionResultView } from "./ValidacionResultView.tsx";

export function ValidacionForm() {
  return (
    <InstantForm
      id="registro"
      texts={es.calculator.validacion}
      request={(instant, signal) => api.validacion(instant, signal)}
      renderResult={(result) => <ValidacionResultView result={result} />}
    />
  );
}
