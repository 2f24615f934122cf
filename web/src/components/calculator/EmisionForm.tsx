import { api } from "../../api/client.ts";
import { es } from "../../i18n/es.ts";
import { EmisionResultView } from "./EmisionResultView.tsx";
import { InstantForm } from "./InstantForm.tsx";

export function EmisionForm() {
  return (
    <InstantForm
      id="acto"
      texts={es.calculator.emision}
      request={(instant, signal) => api.emision(instant, signal)}
      renderResult={(result) => <EmisionResultView result={result} />}
    />
  );
}
