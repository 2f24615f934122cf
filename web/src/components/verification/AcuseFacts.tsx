import type { VerifiedAcuse } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { type Fact, FactList } from "./FactList.tsx";
import { formatBytes } from "./files.ts";
import { Hash } from "./Hash.tsx";

const t = es.verification;

/** What the acuse says: kind, folio, who acted and how, when it happened and when it counts. */
export function AcuseFacts({ acuse, extra = [] }: { acuse: VerifiedAcuse; extra?: Fact[] }) {
  return (
    <FactList
      facts={[
        { label: t.facts.kind, value: acuse.kindLabel },
        { label: t.facts.folio, value: <span translate="no">{acuse.folio}</span> },
        { label: t.facts.rfc, value: acuse.rfc },
        { label: t.facts.actor, value: t.actor(acuse.actorRfc, acuse.capacityLabel) },
        { label: t.facts.eventAt, value: acuse.eventAtText },
        { label: t.facts.countsAt, value: acuse.countsAtText },
        { label: t.facts.rule, value: t.rules[acuse.rule] ?? acuse.rule },
        ...(acuse.habilitacionLabel
          ? [{ label: t.facts.habilitacion, value: acuse.habilitacionLabel }]
          : []),
        ...extra,
      ]}
    />
  );
}

/** The documents the acuse seals, each with its size and SHA-256. */
export function DocumentList({ documents }: { documents: VerifiedAcuse["documents"] }) {
  if (documents.length === 0) return <p>{t.noDocuments}</p>;
  return (
    <ul className="documents">
      {documents.map((document) => (
        <li className="document" key={`${document.name}-${document.sha256}`}>
          <p className="document__name">{document.name}</p>
          <p className="document__size">{t.documentSize(formatBytes(document.bytes))}</p>
          <p className="document__hash">
            <span className="document__hash-label">{t.sha256}</span>{" "}
            <Hash value={document.sha256} />
          </p>
        </li>
      ))}
    </ul>
  );
}

const number = (n: number) => n.toLocaleString("es-MX");

/** «Inscrito en el registro público…: es el número N de M» (the leaf index counts from 0). */
export function LogPosition({ log }: { log: { leafIndex: number; treeSize: number } }) {
  return (
    <p className="log-position">
      {t.logPosition(number(log.leafIndex + 1), number(log.treeSize), log.treeSize === 1)}
    </p>
  );
}

/** The log's own terms: the leaf index from 0, the tree size and the checkpoint's root. */
export function LogTechnical({
  log,
}: {
  log: { leafIndex: number; treeSize: number; root: string };
}) {
  return (
    <>
      <p className="log-leaf">{t.logLeaf(number(log.leafIndex), number(log.treeSize))}</p>
      <p className="log-root">
        <span className="log-root__label">{t.logRoot}</span> <Hash value={log.root} />
      </p>
    </>
  );
}
