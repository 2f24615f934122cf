import { useFetcher } from "react-router";
import type { ProblemDetails } from "../api/types.ts";
import { ErrorAlert } from "./ErrorAlert.tsx";

/** Signs out through the /salir action (signOutAction), which then goes to /acceso. */
export function SignOutButton({
  label,
  busyLabel,
  fetcherKey,
  className = "button button--secondary",
}: {
  label: string;
  busyLabel: string;
  fetcherKey: string;
  className?: string;
}) {
  const fetcher = useFetcher<{ problem: ProblemDetails }>({ key: fetcherKey });
  const busy = fetcher.state !== "idle";
  return (
    <fetcher.Form method="post" action="/salir" className="sign-out">
      <button className={className} type="submit" disabled={busy} aria-busy={busy}>
        {busy ? busyLabel : label}
      </button>
      {fetcher.data?.problem && <ErrorAlert problem={fetcher.data.problem} />}
    </fetcher.Form>
  );
}
