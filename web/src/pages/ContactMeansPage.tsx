import { useLoaderData } from "react-router";
import { AclaracionesList } from "../components/activation/AclaracionesList.tsx";
import { MeansCounters } from "../components/activation/MeansCounters.tsx";
import { MeansForm } from "../components/activation/MeansForm.tsx";
import { MeansList } from "../components/activation/MeansList.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { ErrorAlert } from "../components/ErrorAlert.tsx";
import type { MailboxData } from "../data/mailbox.ts";
import { es } from "../i18n/es.ts";

const t = es.contactMeans;

/**
 * /buzon/medios — «Mis medios de contacto» (Lineamientos 5.1 and 5.2): the counters of validated
 * means, the form to register one (buzonLoader, contactMeansAction) and the list, with
 * «Validar» and «Eliminar», then the person's aclaraciones with the Institute's answers.
 */
export function ContactMeansPage() {
  const data = useLoaderData<MailboxData>();
  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <p>{t.leadActivation}</p>
      {data.status === "refused" ? (
        <ErrorAlert problem={data.problem} />
      ) : (
        <>
          <MeansCounters means={data.buzon.means} />
          <MeansForm buzon={data.buzon} />
          <MeansList rfc={data.buzon.rfc} means={data.buzon.means} />
          <AclaracionesList aclaraciones={data.buzon.aclaraciones} />
        </>
      )}
    </>
  );
}
