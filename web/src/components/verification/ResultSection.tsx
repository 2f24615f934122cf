import { type ReactNode, useId } from "react";

/** One titled part of a verification result (the acuse, its seal, the checks…). */
export function ResultSection({
  title,
  level = 3,
  children,
}: {
  title: string;
  level?: 3 | 4;
  children: ReactNode;
}) {
  const titleId = useId();
  const Heading = level === 3 ? "h3" : "h4";
  return (
    <section className="verification-section" aria-labelledby={titleId}>
      <Heading className="verification-section__title" id={titleId}>
        {title}
      </Heading>
      {children}
    </section>
  );
}
