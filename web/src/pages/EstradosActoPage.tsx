import { Link, useLoaderData } from "react-router";
import { PAGE_PATHS } from "../../../src/platform/http/page-paths.ts";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { EstradosActCard } from "../components/estrados/EstradosActCard.tsx";
import { RefusedPage } from "../components/RefusedPage.tsx";
import type { EstradosActoData } from "../data/estrados.ts";
import { es } from "../i18n/es.ts";

const t = es.estrados;

/**
 * /estrados/:id — one act's publication on the public estrados electrónicos (CFF 139): the same
 * card as the listing, reached by the act's id (the link of a promoción answered by an act that
 * went to estrados). An act not listed (not published yet, or its listing over) is a refusal.
 */
export function EstradosActoPage() {
  const data = useLoaderData<EstradosActoData>();
  if (data.status === "refused") {
    return (
      <RefusedPage
        title={t.title}
        problem={data.problem}
        back={{ to: PAGE_PATHS.estrados, label: t.allActs }}
      />
    );
  }
  return (
    <>
      <DocumentTitle title={`${data.detail.actTypeName} · ${t.title}`} />
      <p className="back-link">
        <Link to={PAGE_PATHS.estrados}>{t.allActs}</Link>
      </p>
      <h1>{t.title}</h1>
      <p className="note">{t.privacy}</p>
      <EstradosActCard item={data.detail} />
    </>
  );
}
