import { useSearchParams } from "react-router";
import { CalculatorPanel } from "../components/calculator/CalculatorPanel.tsx";
import { EmisionForm } from "../components/calculator/EmisionForm.tsx";
import { NotificacionForm } from "../components/calculator/NotificacionForm.tsx";
import { PromocionForm } from "../components/calculator/PromocionForm.tsx";
import { ValidacionForm } from "../components/calculator/ValidacionForm.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { type Tab, Tabs } from "../components/Tabs.tsx";
import { es } from "../i18n/es.ts";

const KINDS = ["notificacion", "promocion", "emision", "validacion"] as const;
type Kind = (typeof KINDS)[number];

function isKind(value: string | null): value is Kind {
  return (KINDS as readonly string[]).includes(value ?? "");
}

const t = es.calculator;

const TABS: Tab<Kind>[] = [
  {
    key: "notificacion",
    label: t.tabs.notificacion,
    panel: <CalculatorPanel description={t.notificacion.description} form={<NotificacionForm />} />,
  },
  {
    key: "promocion",
    label: t.tabs.promocion,
    panel: <CalculatorPanel description={t.promocion.description} form={<PromocionForm />} />,
  },
  {
    key: "emision",
    label: t.tabs.emision,
    panel: <CalculatorPanel description={t.emision.description} form={<EmisionForm />} />,
  },
  {
    key: "validacion",
    label: t.tabs.validacion,
    panel: <CalculatorPanel description={t.validacion.description} form={<ValidacionForm />} />,
  },
];

/** /calculadora — the four computations; ?tipo= keeps the chosen one in the address. */
export function CalculatorPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get("tipo");
  const selected: Kind = isKind(requested) ? requested : "notificacion";

  return (
    <>
      <DocumentTitle title={t.title} />
      <h1>{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <Tabs
        label={es.calculator.tabsLabel}
        tabs={TABS}
        selected={selected}
        onSelect={(key) =>
          setParams(key === "notificacion" ? {} : { tipo: key }, { replace: true })
        }
      />
    </>
  );
}
