import { problemMessages } from "../api/client.ts";
import type { ProblemDetails } from "../api/types.ts";

/**
 * The live region for API refusals. It is always rendered so assistive technology is already
 * watching it when a message arrives.
 */
export function ErrorAlert({ problem }: { problem: ProblemDetails | undefined }) {
  const extra = problem ? problemMessages(problem) : [];
  return (
    <div className={problem ? "alert alert--error" : "alert alert--empty"} role="alert">
      {problem && (
        <>
          <p className="alert__detail">{problem.detail}</p>
          {extra.length > 0 && (
            <ul className="alert__list">
              {extra.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
