import type { OwnAclaracion } from "../../api/types.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";

const t = es.contactMeans.aclaraciones;

/**
 * «Tus aclaraciones»: each «no me llegó el correo» the person filed, with its acuse's folio, and
 * the Institute's answer once staff attended it (GET /api/v1/buzon, `aclaraciones`).
 */
export function AclaracionesList({ aclaraciones }: { aclaraciones: readonly OwnAclaracion[] }) {
  if (aclaraciones.length === 0) return null;
  return (
    <section className="aclaraciones-list" aria-labelledby="aclaraciones">
      <h2 id="aclaraciones">{t.title}</h2>
      <ul className="means-cards">
        {aclaraciones.map((a) => (
          <li
            className={`means-card means-card--${a.status === "atendida" ? "validado" : "pendiente"}`}
            key={a.id}
          >
            <p className="means-card__value">
              <strong>{t.about(a.email)}</strong>
            </p>
            <p
              className={`state-badge state-badge--${a.status === "atendida" ? "validado" : "pendiente"}`}
            >
              {t.statuses[a.status]}
            </p>
            <p className="means-card__when">
              {t.filedOn} <time dateTime={a.createdAt}>{formatInstant(a.createdAt)}</time>.{" "}
              {t.folio(a.acuseFolio)}
            </p>
            {a.status === "atendida" && a.attendedAt ? (
              <>
                <p className="means-card__when">
                  {t.attendedOn} <time dateTime={a.attendedAt}>{formatInstant(a.attendedAt)}</time>.
                </p>
                <p>
                  {t.answer} {a.note}
                </p>
              </>
            ) : (
              <p className="means-card__when">{t.pending}</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
