import { api } from "../../api/client.ts";
import { es } from "../../i18n/es.ts";
import { InstantForm } from "./InstantForm.tsx";
import { PromocionResultView } from "./PromocionResultView.tsx";

export function PromocionForm() {
  return (
    <InstantForm
      id="envio"
      texts={es.calculator.promocion}
      request={(instant, signal) => api.promocion(instant, signal)}
      renderResult={(result) => <PromocionResultView result={result} />}
    />
  );
}
