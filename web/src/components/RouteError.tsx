import { useRouteError } from "react-router";
import { problemOf } from "../api/client.ts";
import { es } from "../i18n/es.ts";
import { DocumentTitle } from "./DocumentTitle.tsx";
import { ErrorAlert } from "./ErrorAlert.tsx";

/** What a page shows when its data could not be loaded in a way it did not expect. */
export function RouteError() {
  const error = useRouteError();
  return (
    <main id="contenido" className="container site-main">
      <DocumentTitle title={es.errors.title} />
      <h1>{es.errors.title}</h1>
      <ErrorAlert problem={problemOf(error)} />
    </main>
  );
}
