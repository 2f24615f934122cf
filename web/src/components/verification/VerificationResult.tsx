import { type ReactNode, useEffect, useId, useRef } from "react";
import type { Verdict } from "../../api/verification.ts";
import { VerdictIcon } from "./Icons.tsx";

interface VerificationResultProps {
  verdict: Verdict;
  title: string;
  summary: string;
  children: ReactNode;
}

/**
 * A verification answer: the verdict banner first, then the details. Focus moves to the
 * verdict's heading when the answer arrives, so it is what a screen reader says first.
 */
export function VerificationResult({ verdict, title, summary, children }: VerificationResultProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = useId();
  useEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <section className="result verification-result" aria-labelledby={titleId}>
      <div className={`verdict verdict--${verdict}`}>
        <VerdictIcon verdict={verdict} />
        <div className="verdict__body">
          <h2 className="verdict__title" id={titleId} tabIndex={-1} ref={heading}>
            {title}
          </h2>
          <p className="verdict__summary">{summary}</p>
        </div>
      </div>
      {children}
    </section>
  );
}
