import { useEffect, useRef, useState } from "react";
import { Link, useFetcher } from "react-router";
import { validateMeansPath } from "../../../../src/platform/http/page-paths.ts";
import type { MeansOfContact } from "../../api/types.ts";
import { formatPhone, MEANS_INTENT, type MeansAnswer } from "../../data/mailbox.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { ConfirmDialog } from "../ConfirmDialog.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { acusePath } from "./AcuseLink.tsx";

const t = es.contactMeans;

/** A means as people read it: e-mails as typed, phones grouped (+52 55 1234 5678). */
export function displayValue(means: Pick<MeansOfContact, "kind" | "value">): string {
  return means.kind === "celular" ? formatPhone(means.value) : means.value;
}

/** The means grouped as the portal does: the RFC's, then each registro patronal's. */
function groupsOf(rfc: string, means: readonly MeansOfContact[]) {
  const groups = new Map<string, MeansOfContact[]>();
  for (const m of means) groups.set(m.scope, [...(groups.get(m.scope) ?? []), m]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "rfc" ? -1 : b === "rfc" ? 1 : a.localeCompare(b)))
    .map(([scope, items]) => ({
      scope,
      title: scope === "rfc" ? t.rfcGroup(rfc) : t.registroGroup(scope),
      items,
    }));
}

/** The registered means, each with its state, its deadline, «Validar» and «Eliminar». */
export function MeansList({ rfc, means }: { rfc: string; means: readonly MeansOfContact[] }) {
  const fetcher = useFetcher<MeansAnswer>({ key: "eliminar-medio" });
  const [removing, setRemoving] = useState<MeansOfContact | undefined>();
  const message = useRef<HTMLParagraphElement>(null);
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const busyId = fetcher.state !== "idle" ? String(fetcher.formData?.get("id") ?? "") : undefined;

  // The removed means' row is gone: the keyboard goes to the confirmation.
  useEffect(() => {
    if (answer?.status === "removed") message.current?.focus();
  }, [answer]);

  return (
    <section className="means-list" aria-labelledby="medios-registrados">
      <h2 id="medios-registrados">{t.listTitle}</h2>
      <div role="status">
        {answer?.status === "removed" && (
          <p className="notice__text" tabIndex={-1} ref={message}>
            {t.removed(answer.value)}
          </p>
        )}
      </div>
      <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
      {means.length === 0 && <p>{t.none}</p>}
      {groupsOf(rfc, means).map((group) => (
        <div className="means-group" key={group.scope}>
          <h3>{group.title}</h3>
          <ul className="means-cards">
            {group.items.map((m) => {
              const value = displayValue(m);
              return (
                <li className={`means-card means-card--${m.status}`} key={m.id}>
                  <p className="means-card__value">
                    <span className="means-card__kind">{t.kinds[m.kind]}</span>
                    <strong>{value}</strong>
                  </p>
                  <p className={`state-badge state-badge--${m.status}`}>{t.statuses[m.status]}</p>
                  <p className="means-card__when">
                    {m.status === "pendiente" && (
                      <>
                        {t.validateBefore}{" "}
                        <time dateTime={m.expiresAt}>{formatInstant(m.expiresAt)}</time>.
                      </>
                    )}
                    {m.status === "cancelado" && t.cancelledNote}
                    {m.status === "validado" && m.origin === "padron_2020" && t.fromPadron2020}
                    {m.status === "validado" && m.origin !== "padron_2020" && (
                      <>
                        {t.registeredOn}{" "}
                        <time dateTime={m.registeredAt}>{formatInstant(m.registeredAt)}</time>.
                      </>
                    )}
                  </p>
                  {m.acuseFolio && m.acuseCodigo && (
                    <p className="means-card__acuse">
                      {es.acuse.ofRegistration}{" "}
                      <Link to={acusePath({ folio: m.acuseFolio, codigo: m.acuseCodigo })}>
                        {m.acuseFolio}
                        <span className="visually-hidden">{t.acuseContext(value)}</span>
                      </Link>{" "}
                      ({es.acuse.code.toLowerCase()} <code>{m.acuseCodigo}</code>)
                    </p>
                  )}
                  <div className="means-card__actions">
                    {m.status === "pendiente" && (
                      <Link className="button button--small" to={validateMeansPath(m.id)}>
                        {t.validate}
                        <span className="visually-hidden">{t.validateContext(value)}</span>
                      </Link>
                    )}
                    {m.status !== "cancelado" && (
                      <button
                        className="button button--secondary button--small"
                        type="button"
                        disabled={busyId !== undefined}
                        aria-busy={busyId === m.id}
                        onClick={() => setRemoving(m)}
                      >
                        {busyId === m.id ? t.removing : t.remove}
                        <span className="visually-hidden">{t.removeContext(value)}</span>
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      <ConfirmDialog
        open={removing !== undefined}
        title={t.removeTitle}
        acceptLabel={t.remove}
        cancelLabel={t.cancel}
        onCancel={() => setRemoving(undefined)}
        onAccept={() => {
          if (removing) {
            fetcher.submit(
              { intent: MEANS_INTENT.remove, id: removing.id, valor: displayValue(removing) },
              { method: "post", action: "/buzon/medios" },
            );
          }
          setRemoving(undefined);
        }}
      >
        <p>{removing ? t.removeText(displayValue(removing)) : ""}</p>
      </ConfirmDialog>
    </section>
  );
}
