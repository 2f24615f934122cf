import type { ReactNode } from "react";
import type { CheckOutcome, Verdict } from "../../api/verification.ts";

/*
 * Outcome icons. They repeat what the text beside them says (never colour or shape alone), so
 * they are hidden from assistive technology.
 */

function Svg({ className, children }: { className: string; children: ReactNode }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      width="24"
      height="24"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

const STROKE = {
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 2.5,
  strokeLinecap: "round",
  strokeLinejoin: "round",
} as const;

function Check({ className }: { className: string }) {
  return (
    <Svg className={className}>
      <circle cx="12" cy="12" r="10.5" {...STROKE} strokeWidth={2} />
      <path d="M7 12.5l3.2 3.2L17 9" {...STROKE} />
    </Svg>
  );
}

function Cross({ className }: { className: string }) {
  return (
    <Svg className={className}>
      <circle cx="12" cy="12" r="10.5" {...STROKE} strokeWidth={2} />
      <path d="M8.5 8.5l7 7M15.5 8.5l-7 7" {...STROKE} />
    </Svg>
  );
}

function Warning({ className }: { className: string }) {
  return (
    <Svg className={className}>
      <path d="M12 2.8L22 20.5H2z" {...STROKE} strokeWidth={2} />
      <path d="M12 9.5v5" {...STROKE} />
      <circle cx="12" cy="17.6" r="1.3" fill="currentColor" />
    </Svg>
  );
}

function Search({ className }: { className: string }) {
  return (
    <Svg className={className}>
      <circle cx="10.5" cy="10.5" r="7" {...STROKE} strokeWidth={2} />
      <path d="M15.8 15.8L21 21" {...STROKE} />
    </Svg>
  );
}

export function VerdictIcon({ verdict }: { verdict: Verdict }) {
  const className = "verdict__icon";
  if (verdict === "autentico") return <Check className={className} />;
  if (verdict === "alterado") return <Cross className={className} />;
  if (verdict === "no_confirmado") return <Warning className={className} />;
  return <Search className={className} />;
}

export function OutcomeIcon({ outcome }: { outcome: CheckOutcome }) {
  const className = "check__icon";
  if (outcome === "ok") return <Check className={className} />;
  if (outcome === "failed") return <Cross className={className} />;
  return <Warning className={className} />;
}
