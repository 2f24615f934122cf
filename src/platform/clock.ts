/** The one place the application reads the time; tests pass a fixed clock instead. */
export type Clock = () => Temporal.Instant;

export const systemClock: Clock = () => Temporal.Now.instant();

export function fixedClock(iso: string): Clock {
  const instant = Temporal.Instant.from(iso);
  return () => instant;
}
