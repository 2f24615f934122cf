import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { validateMeansPath } from "../../../../src/platform/http/page-paths.ts";
import type { MeansAnswer } from "../../data/mailbox.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { AcuseLink } from "./AcuseLink.tsx";

const t = es.contactMeans;

/**
 * The portal's message after «Guardar»: folio, date, where the code went, the 72-hour warning,
 * and the acuse to download and verify. It takes the focus when it appears.
 */
export function RegisteredMessage({
  answer,
  onShown,
}: {
  answer: MeansAnswer | undefined;
  onShown: () => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const registered = answer?.status === "registered" ? answer : undefined;

  // biome-ignore lint/correctness/useExhaustiveDependencies: once per registration, not per render.
  useEffect(() => {
    if (!registered) return;
    onShown();
    box.current?.focus();
  }, [registered]);

  const first = registered?.registered.means[0];
  return (
    <div role="status">
      {registered && first && (
        <div className="registered" tabIndex={-1} ref={box}>
          <p className="registered__title">
            {t.registered(registered.registered.acuse.folio, formatInstant(first.registeredAt))}
          </p>
          <p>
            {t.registeredNext[registered.kind]} {t.warning72}
          </p>
          {registered.kind === "correo" && <p className="note">{t.aclaracionNote}</p>}
          <p>
            <Link className="button" to={validateMeansPath(first.id)}>
              {t.validateNow}
            </Link>
          </p>
          <AcuseLink acuse={registered.registered.acuse} />
        </div>
      )}
    </div>
  );
}
