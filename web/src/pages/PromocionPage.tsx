import { Link, useLoaderData } from "react-router";
import { notificacionPath, PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import type { PromocionDetail } from "../api/promociones.ts";
import { AcuseLink } from "../components/activation/AcuseLink.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { PromocionStateBadge } from "../components/promociones/PromocionStateBadge.tsx";
import { PromocionTimeline } from "../components/promociones/PromocionTimeline.tsx";
import { RespuestaFacts } from "../components/promociones/RespuestaFacts.tsx";
import { SignedManifest } from "../components/promociones/SignedManifest.tsx";
import { RefusedPage } from "../components/RefusedPage.tsx";
import { type PromocionData, typeName } from "../data/promociones.ts";
import { formatDate, formatInstant } from "../format/dates.ts";
import { es } from "../i18n/es.ts";

const t = es.promociones;
const d = t.detail;

type Answer = NonNullable<PromocionDetail["answer"]>;

/**
 * An answer whose act went to estrados (the mailbox was not enabled when it was deposited): it is
 * not in «Mis notificaciones», so the page says so, gives the publication's dates and links to
 * it on the public estrados while it is listed there.
 */
function EstradosAnswer({
  answer,
  estrados,
}: {
  answer: Answer;
  estrados: NonNullable<Answer["estrados"]>;
}) {
  const listed = estrados.status === "en_publicacion" || estrados.status === "concluida";
  return (
    <>
      <p>{d.answerByEstrados(answer.label)}</p>
      <dl className="facts" aria-label={d.estradosFacts}>
        <div className="facts__row">
          <dt>{d.estradosPublishedAt}</dt>
          <dd>
            <time dateTime={estrados.publishedAt}>{formatInstant(estrados.publishedAt)}</time>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{d.estradosDays}</dt>
          <dd>
            {d.estradosFromTo(
              formatDate(estrados.firstPublicationDay),
              formatDate(estrados.lastPublicationDay),
            )}
          </dd>
        </div>
        <div className="facts__row">
          <dt>{d.estradosNotifiedOn}</dt>
          <dd>{d.estradosNotifiedOnValue(formatDate(estrados.notifiedOn))}</dd>
        </div>
        <div className="facts__row">
          <dt>{d.estradosEffectiveOn}</dt>
          <dd>{formatDate(estrados.effectiveOn)}</dd>
        </div>
        <div className="facts__row">
          <dt>{d.estradosListedUntil}</dt>
          <dd>{formatDate(estrados.listedUntil)}</dd>
        </div>
      </dl>
      {estrados.status === "por_publicar" && (
        <p className="note">{d.estradosPending(formatInstant(estrados.publishedAt))}</p>
      )}
      {estrados.status === "fuera_de_listado" && (
        <p className="note">{d.estradosGone(formatDate(estrados.listedUntil))}</p>
      )}
      {listed && (
        <p>
          <Link className="button" to={answer.link}>
            {d.openEstrados}
          </Link>
        </p>
      )}
    </>
  );
}

/**
 * /buzon/promociones/:id — one of the person's promociones: what was filed (escrito, anexos
 * with their SHA-256, the manifest signed), its acuse de recibo, and its public timeline.
 */
export function PromocionPage() {
  const data = useLoaderData<PromocionData>();
  if (data.status === "refused") {
    return (
      <RefusedPage
        title={t.title}
        problem={data.problem}
        back={{ to: PAGE_PATHS.promociones, label: d.back }}
      />
    );
  }
  const { detail } = data;
  const respuesta = detail.respuesta;
  return (
    <>
      <DocumentTitle title={`${detail.subject} · ${t.title}`} />
      <p className="back-link">
        <Link to={PAGE_PATHS.promociones}>{d.back}</Link>
      </p>
      <h1>{detail.subject}</h1>
      <p className="notif-head">
        <span>{typeName(detail.type, data.types)}</span>{" "}
        <PromocionStateBadge state={detail.state} />
      </p>

      <section aria-labelledby="datos-promocion">
        <h2 id="datos-promocion">{d.facts}</h2>
        <dl className="facts">
          <div className="facts__row">
            <dt>{d.state}</dt>
            <dd>{t.states[detail.state] ?? detail.state}</dd>
          </div>
          <div className="facts__row">
            <dt>{d.sentAt}</dt>
            <dd>
              <time dateTime={detail.sentAt}>{formatInstant(detail.sentAt)}</time>
            </dd>
          </div>
          <div className="facts__row">
            <dt>{d.receivedAt}</dt>
            <dd>
              <time dateTime={detail.receivedAt}>{formatInstant(detail.receivedAt)}</time>
            </dd>
          </div>
          <div className="facts__row">
            <dt>{d.signer}</dt>
            <dd>{detail.signerRfc}</dd>
          </div>
          {respuesta && (
            <RespuestaFacts
              respuesta={respuesta}
              actLink={notificacionPath(respuesta.notificacionId)}
            />
          )}
        </dl>
      </section>

      {detail.answer && (
        <section aria-labelledby="respuesta-promocion" className="promocion-answer">
          <h2 id="respuesta-promocion">{d.answerTitle}</h2>
          {detail.answer.estrados ? (
            <EstradosAnswer answer={detail.answer} estrados={detail.answer.estrados} />
          ) : (
            <>
              <p>
                {detail.answer.kind === "notificacion"
                  ? d.answerByNotificacion(detail.answer.label)
                  : d.answerByComunicado(detail.answer.label)}{" "}
                {d.answerAvailable(formatInstant(detail.answer.availableAt))}
              </p>
              <p>
                <Link className="button" to={detail.answer.link}>
                  {detail.answer.kind === "notificacion" ? d.openNotificacion : d.openComunicado}
                </Link>
              </p>
            </>
          )}
        </section>
      )}

      <section aria-labelledby="acuse-promocion">
        <h2 id="acuse-promocion">{d.acuseTitle}</h2>
        <AcuseLink acuse={detail.acuse} />
      </section>

      <section aria-labelledby="seguimiento">
        <h2 id="seguimiento">{d.timelineTitle}</h2>
        <PromocionTimeline
          events={detail.timeline.map((e) => ({
            ...e,
            acuseCodigo: e.acuse === detail.acuse.folio ? detail.acuse.codigo : undefined,
            detalle: e.reason,
          }))}
        />
      </section>

      <section aria-labelledby="escrito">
        <h2 id="escrito">{d.text}</h2>
        <p className="promocion-text">{detail.text}</p>
        <p className="note">
          {d.textSha256}: <code className="promocion-hash">{detail.textSha256}</code>
        </p>
      </section>

      <section aria-labelledby="anexos">
        <h2 id="anexos">{d.attachments}</h2>
        {detail.attachments.length === 0 ? (
          <p>{d.noAttachments}</p>
        ) : (
          <ol className="promocion-files">
            {detail.attachments.map((a) => (
              <li key={`${a.name}-${a.sha256}`}>
                <span className="notif-filename">{a.name}</span> · {t.bytes(a.size)}
                <br />
                <span className="promocion-files__hash">
                  {t.compose.sha256}: <code>{a.sha256}</code>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <SignedManifest detail={detail} />
    </>
  );
}
