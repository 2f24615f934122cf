import { Link } from "react-router";
import type { ProblemDetails } from "../api/types.ts";
import { DocumentTitle } from "./DocumentTitle.tsx";
import { ErrorAlert } from "./ErrorAlert.tsx";

/**
 * A page whose loader was refused (not found, not the session's, the server down): its title,
 * the refusal, and the way back to the list it came from.
 */
export function RefusedPage({
  title,
  problem,
  back,
}: {
  title: string;
  problem: ProblemDetails;
  back: { to: string; label: string };
}) {
  return (
    <>
      <DocumentTitle title={title} />
      <h1>{title}</h1>
      <ErrorAlert problem={problem} />
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </>
  );
}
