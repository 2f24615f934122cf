import { es } from "../../i18n/es.ts";

/** Disabled while the request runs, so a result cannot be asked for twice. */
export function SubmitButton({ loading }: { loading: boolean }) {
  return (
    <button className="button" type="submit" disabled={loading} aria-busy={loading}>
      {loading ? es.calculator.submitting : es.calculator.submit}
    </button>
  );
}
