import type { SessionSummary } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { describeUserAgent } from "../../format/userAgent.ts";
import { es } from "../../i18n/es.ts";

const t = es.sessions;

interface SessionsTableProps {
  sessions: SessionSummary[];
  /** The id of the session being closed, if any. */
  closing: string | undefined;
  onClose: (session: SessionSummary) => void;
}

/** The open sessions, this one marked; on phones each row becomes a card. */
export function SessionsTable({ sessions, closing, onClose }: SessionsTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-scroll" aria-label={t.tableScrollLabel} tabIndex={0}>
      <table className="table sessions-table">
        <caption className="table__caption">{t.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.columns.createdAt}</th>
            <th scope="col">{t.columns.lastSeenAt}</th>
            <th scope="col">{t.columns.device}</th>
            <th scope="col">{t.columns.ip}</th>
            <th scope="col">{t.columns.actions}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => {
            const createdAt = formatInstant(session.createdAt);
            return (
              <tr key={session.id} className={session.current ? "sessions-table__current" : ""}>
                <th scope="row" data-label={t.columns.createdAt}>
                  <time dateTime={session.createdAt}>{createdAt}</time>
                  {session.current && <span className="badge">{t.current}</span>}
                </th>
                <td data-label={t.columns.lastSeenAt}>
                  <time dateTime={session.lastSeenAt}>{formatInstant(session.lastSeenAt)}</time>
                </td>
                <td data-label={t.columns.device}>
                  <span title={session.userAgent ?? undefined}>
                    {describeUserAgent(session.userAgent)}
                  </span>
                </td>
                <td data-label={t.columns.ip}>{session.ip ?? t.unknown}</td>
                <td data-label={t.columns.actions}>
                  <button
                    className="button button--secondary button--small"
                    type="button"
                    disabled={closing !== undefined}
                    aria-busy={closing === session.id}
                    onClick={() => onClose(session)}
                  >
                    {closing === session.id ? t.closing : t.close}
                    <span className="visually-hidden">
                      {session.current ? ` (${t.current})` : t.closeContext(createdAt)}
                    </span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
