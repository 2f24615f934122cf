import { useEffect, useRef, useState } from "react";
import { VERIFICATION_FIELDS } from "../../data/verification.ts";
import { es } from "../../i18n/es.ts";
import { TextField } from "../form/TextField.tsx";
import { AcuseVerificationView } from "./AcuseVerificationView.tsx";
import { normalizeCode, normalizeFolio } from "./fields.ts";
import { useVerification } from "./useVerification.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;
const F = VERIFICATION_FIELDS;

interface FolioFormProps {
  /** From the address (/verificacion/:folio?codigo=…), as the acuse's QR code opens it. */
  initialFolio: string;
  initialCode: string;
}

/**
 * «Por folio»: the folio and the verification code printed on the acuse. When the address
 * brings both (the QR code, or a shared link), the form is filled and the verification runs at
 * once, through the same fetcher as a typed one.
 */
export function FolioForm({ initialFolio, initialCode }: FolioFormProps) {
  const [folio, setFolio] = useState(normalizeFolio(initialFolio));
  const [code, setCode] = useState(initialCode);
  const verification = useVerification("folio");
  const { submit } = verification.fetcher;
  // The address last verified: React's development double effect, and re-renders, must not
  // verify it twice; another address (a link to another folio) is verified in turn.
  const verified = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (initialFolio === "") return;
    const folioValue = normalizeFolio(initialFolio);
    setFolio(folioValue);
    setCode(initialCode);
    const address = `${folioValue}?${initialCode}`;
    if (initialCode === "" || verified.current === address) return;
    verified.current = address;
    const form = new FormData();
    form.set("tipo", "folio");
    form.set(F.folio, folioValue);
    form.set(F.code, initialCode);
    void submit(form, { method: "post", defaultShouldRevalidate: false });
  }, [initialFolio, initialCode, submit]);

  return (
    <>
      <VerificationFormFrame verification={verification}>
        <TextField
          id={F.folio}
          label={t.folio.folio}
          hint={t.folio.folioHint}
          error={verification.errors[F.folio]}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          value={folio}
          onChange={(event) => setFolio(normalizeFolio(event.target.value))}
        />
        <TextField
          id={F.code}
          label={t.folio.code}
          hint={t.folio.codeHint}
          error={verification.errors[F.code]}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={8}
          value={code}
          onChange={(event) => setCode(normalizeCode(event.target.value))}
        />
      </VerificationFormFrame>
      {verification.result && <AcuseVerificationView result={verification.result} />}
    </>
  );
}
