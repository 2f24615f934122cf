import { useId, useState } from "react";
import { Link } from "react-router";
import { api, problemOf } from "../../api/client.ts";
import type { EstradosDetail, EstradosItem, ProblemDetails } from "../../api/types.ts";
import { formatDate, formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { ExplanationList } from "../calculator/ExplanationList.tsx";
import { ResultSummary } from "../calculator/ResultSummary.tsx";
import { WarningsList } from "../calculator/WarningsList.tsx";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { formatBytes } from "../verification/files.ts";

const t = es.estrados;

type Why =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "loaded"; detail: EstradosDetail }
  | { status: "refused"; problem: ProblemDetails };

/** «¿Por qué estas fechas?»: the engine's explanation, asked for when the person opens it. */
function WhyTheseDates({ id, context }: { id: string; context: string }) {
  const [why, setWhy] = useState<Why>({ status: "idle" });
  async function load() {
    if (why.status !== "idle") return;
    setWhy({ status: "loading" });
    try {
      setWhy({ status: "loaded", detail: await api.estradosDetalle(id) });
    } catch (error) {
      setWhy({ status: "refused", problem: problemOf(error) });
    }
  }
  return (
    <details
      className="technical estrados-act__why"
      onToggle={(event) => {
        if (event.currentTarget.open) void load();
      }}
    >
      <summary>
        {t.why}
        <span className="visually-hidden">{context}</span>
      </summary>
      {why.status === "loading" && <p aria-live="polite">{t.whyLoading}</p>}
      {why.status === "refused" && <ErrorAlert problem={why.problem} />}
      {why.status === "loaded" && (
        <>
          <ResultSummary
            rows={[
              { label: t.fields.recurso, value: formatDate(why.detail.recursoInconformidadBy) },
              { label: t.fields.nulidad, value: formatDate(why.detail.juicioNulidadBy) },
            ]}
          />
          <WarningsList warnings={why.detail.warnings} context={context} />
          <ExplanationList steps={why.detail.explanation} context={context} />
        </>
      )}
    </details>
  );
}

/** One act on the estrados: what it is, to whom, its dates, its acuses and its document. */
export function EstradosActCard({ item }: { item: EstradosItem }) {
  const titleId = useId();
  return (
    <article className="estrados-act" aria-labelledby={titleId}>
      <h2 className="estrados-act__title" id={titleId}>
        {item.actTypeName}
      </h2>
      <p className={`badge estrados-act__status estrados-act__status--${item.status}`}>
        {t.status[item.status]}
      </p>
      <ResultSummary
        rows={[
          {
            label: t.fields.addressee,
            value: `${item.addressee.name} (RFC ${item.addressee.rfc})`,
          },
          { label: t.fields.oficio, value: item.oficio },
          { label: t.fields.issuingUnit, value: item.issuingUnit },
          { label: t.fields.publishedAt, value: formatInstant(item.publishedAt) },
          {
            label: t.fields.publicationDays,
            value: t.fromTo(
              formatDate(item.firstPublicationDay),
              formatDate(item.lastPublicationDay),
            ),
          },
          {
            label: t.fields.notifiedOn,
            value: t.notifiedOnValue(formatDate(item.notifiedOn)),
            primary: true,
          },
          { label: t.fields.effectiveOn, value: formatDate(item.effectiveOn) },
        ]}
      />
      <ul className="estrados-act__links">
        <li>
          {t.fields.publicationAcuse}:{" "}
          {item.publicationAcuse ? (
            <Link to={`/verificacion/${encodeURIComponent(item.publicationAcuse)}`}>
              <span className="visually-hidden">{t.verifyAcuse(item.publicationAcuse)}</span>
              <span aria-hidden="true">{item.publicationAcuse}</span>
            </Link>
          ) : (
            t.sealing
          )}
        </li>
        {item.endAcuse && (
          <li>
            {t.fields.endAcuse}:{" "}
            <Link to={`/verificacion/${encodeURIComponent(item.endAcuse)}`}>
              <span className="visually-hidden">{t.verifyAcuse(item.endAcuse)}</span>
              <span aria-hidden="true">{item.endAcuse}</span>
            </Link>
          </li>
        )}
        {item.document && (
          <li>
            <a href={item.document.url} download>
              {t.download(formatBytes(item.document.bytes))}
            </a>
          </li>
        )}
      </ul>
      <WhyTheseDates id={item.id} context={t.whyContext(item.actTypeName, item.oficio)} />
      <p className="stamp">
        <span className="stamp__item">{t.calendar(item.calendarVersion, item.rulesVersion)}</span>
      </p>
    </article>
  );
}
