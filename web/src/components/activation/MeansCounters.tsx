import type { MeansOfContact } from "../../api/types.ts";
import { MAX_EMAILS, MAX_PHONES, validatedCounts } from "../../data/mailbox.ts";
import { es } from "../../i18n/es.ts";

const t = es.contactMeans;

/** «Correos electrónicos validados» and «Teléfonos celulares validados» of the RFC. */
export function MeansCounters({ means }: { means: readonly MeansOfContact[] }) {
  const counts = validatedCounts(means);
  return (
    <section className="counters" aria-labelledby="medios-validados">
      <h2 className="counters__title" id="medios-validados">
        {t.countersLabel}
      </h2>
      <dl className="counters__list">
        <div className="counters__item">
          <dt>{t.validatedEmails}</dt>
          <dd>
            <span className="counters__number">{counts.correo}</span> {t.ofMax(MAX_EMAILS)}
          </dd>
        </div>
        <div className="counters__item">
          <dt>{t.validatedPhones}</dt>
          <dd>
            <span className="counters__number">{counts.celular}</span> {t.ofMax(MAX_PHONES)}
          </dd>
        </div>
      </dl>
    </section>
  );
}
