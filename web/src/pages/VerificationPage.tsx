import type { ReactNode } from "react";
import { useParams, useSearchParams } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { type Tab, Tabs } from "../components/Tabs.tsx";
import { DocumentForm } from "../components/verification/DocumentForm.tsx";
import { FolioForm } from "../components/verification/FolioForm.tsx";
import { codeFromQuery } from "../components/verification/fields.ts";
import { PdfForm } from "../components/verification/PdfForm.tsx";
import { SignatureForm } from "../components/verification/SignatureForm.tsx";
import { es } from "../i18n/es.ts";

const KINDS = ["folio", "pdf", "documento", "firma"] as const;
type Kind = (typeof KINDS)[number];

function isKind(value: string | null): value is Kind {
  return (KINDS as readonly string[]).includes(value ?? "");
}

const t = es.verification;

function Panel({ description, children }: { description: string; children: ReactNode }) {
  return (
    <>
      <p className="panel-description">{description}</p>
      {children}
    </>
  );
}

/**
 * /verificacion and /verificacion/:folio?codigo=… (the QR code printed on every acuse): anyone
 * checks that an acuse or a document of the Buzón IMSS is authentic and intact. ?tipo= keeps the
 * chosen way in the address.
 */
export function VerificationPage() {
  const { folio = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const code = codeFromQuery(params.get("codigo"));
  const requested = params.get("tipo");
  const selected: Kind = isKind(requested) ? requested : "folio";

  const tabs: Tab<Kind>[] = [
    {
      key: "folio",
      label: t.tabs.folio,
      panel: (
        <Panel description={t.folio.description}>
          <FolioForm initialFolio={folio} initialCode={code} />
        </Panel>
      ),
    },
    {
      key: "pdf",
      label: t.tabs.pdf,
      panel: (
        <Panel description={t.pdf.description}>
          <PdfForm />
        </Panel>
      ),
    },
    {
      key: "documento",
      label: t.tabs.documento,
      panel: (
        <Panel description={t.documento.description}>
          <DocumentForm />
        </Panel>
      ),
    },
    {
      key: "firma",
      label: t.tabs.firma,
      panel: (
        <Panel description={t.firma.description}>
          <SignatureForm />
        </Panel>
      ),
    },
  ];

  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Tabs
        label={es.verification.tabsLabel}
        tabs={tabs}
        selected={selected}
        onSelect={(key) =>
          setParams(
            (current) => {
              // The folio's code stays in the address: coming back to «Por folio» keeps it.
              const next = new URLSearchParams(current);
              if (key === "folio") next.delete("tipo");
              else next.set("tipo", key);
              return next;
            },
            { replace: true },
          )
        }
      />
    </>
  );
}
