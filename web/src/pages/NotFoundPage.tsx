import { Link } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { es } from "../i18n/es.ts";

export function NotFoundPage() {
  return (
    <>
      <DocumentTitle title={es.notFound.title} />
      <h1>{es.notFound.title}</h1>
      <p>{es.notFound.text}</p>
      <p>
        <Link to="/">{es.notFound.home}</Link>
      </p>
    </>
  );
}
