import type { SignatureSigner, SignatureVerification } from "../../api/verification.ts";
import { formatInstant } from "../../format/dates.ts";
import { es } from "../../i18n/es.ts";
import { AcuseMatches } from "./AcuseMatches.tsx";
import { CheckList } from "./CheckList.tsx";
import { type Fact, FactList } from "./FactList.tsx";
import { Hash } from "./Hash.tsx";
import { ResultSection } from "./ResultSection.tsx";
import { VerificationResult } from "./VerificationResult.tsx";

const t = es.verification;

function signerFacts(signer: SignatureSigner, signedAt: string | undefined): Fact[] {
  const facts: Fact[] = [
    { label: t.signer.name, value: signer.name },
    { label: t.signer.rfc, value: signer.rfc },
  ];
  if (signer.curp) facts.push({ label: t.signer.curp, value: signer.curp });
  facts.push(
    { label: t.signer.certificateNumber, value: signer.certificateNumber },
    { label: t.signer.issuer, value: signer.issuer },
    {
      label: t.signer.validity,
      value: t.validity(formatInstant(signer.validFrom), formatInstant(signer.validTo)),
    },
  );
  if (signer.staffRole) {
    facts.push({
      label: t.signer.staffRole,
      value: es.mailbox.staffRoles[signer.staffRole] ?? signer.staffRole,
    });
  }
  if (signedAt) facts.push({ label: t.signer.signedAt, value: formatInstant(signedAt) });
  return facts;
}

/** The answer for a document signed by a public servant (detached CMS). */
export function SignatureVerificationView({ result }: { result: SignatureVerification }) {
  return (
    <VerificationResult
      verdict={result.verdict}
      title={
        result.verdict === "no_confirmado" ? t.signatureUnconfirmed : t.verdicts[result.verdict]
      }
      summary={result.summary}
    >
      {result.signer && (
        <ResultSection title={t.signerTitle}>
          <FactList facts={signerFacts(result.signer, result.signedAt)} />
        </ResultSection>
      )}
      <ResultSection title={t.documentHashTitle}>
        <p>
          <Hash value={result.sha256} />
        </p>
      </ResultSection>
      <CheckList checks={result.checks} />
      <AcuseMatches acuses={result.acuses} total={result.acuses.length} />
    </VerificationResult>
  );
}
