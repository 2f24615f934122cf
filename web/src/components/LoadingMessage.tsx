import { es } from "../i18n/es.ts";

export function LoadingMessage() {
  return (
    <p className="loading" role="status">
      {es.status.loading}
    </p>
  );
}
