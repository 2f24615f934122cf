/** A hash or fingerprint: monospace, and free to wrap anywhere so it never widens the page. */
export function Hash({ value }: { value: string }) {
  return (
    <code className="hash" translate="no">
      {value}
    </code>
  );
}
