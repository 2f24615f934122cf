import { useSearchParams } from "react-router";
import { CalculatorForm } from "../components/calculator/CalculatorForm.tsx";
import { CalculatorPanel } from "../components/calculator/CalculatorPanel.tsx";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { type Tab, Tabs } from "../components/Tabs.tsx";
import { CALCULATIONS, type Calculation } from "../data/calculator.ts";
import { es } from "../i18n/es.ts";

type Kind = Calculation;

function isKind(value: string | null): value is Kind {
  return (CALCULATIONS as readonly string[]).includes(value ?? "");
}

const t = es.calculator;

const TABS: Tab<Kind>[] = [
  {
    key: "notificacion",
    label: t.tabs.notificacion,
    panel: (
      <CalculatorPanel
        description={t.notificacion.description}
        form={<CalculatorForm kind="notificacion" />}
      />
    ),
  },
  {
    key: "promocion",
    label: t.tabs.promocion,
    panel: (
      <CalculatorPanel
        description={t.promocion.description}
        form={<CalculatorForm kind="promocion" />}
      />
    ),
  },
  {
    key: "emision",
    label: t.tabs.emision,
    panel: (
      <CalculatorPanel
        description={t.emision.description}
        form={<CalculatorForm kind="emision" />}
      />
    ),
  },
  {
    key: "validacion",
    label: t.tabs.validacion,
    panel: (
      <CalculatorPanel
        description={t.validacion.description}
        form={<CalculatorForm kind="validacion" />}
      />
    ),
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
