import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { type AcuseVerification, verificationApi } from "../../api/verification.ts";
import { es } from "../../i18n/es.ts";
import { FormField } from "../signin/FormField.tsx";
import { AcuseVerificationView } from "./AcuseVerificationView.tsx";
import { type FolioField, folioFormRefusal, normalizeCode, normalizeFolio } from "./fields.ts";
import { useVerificationForm } from "./useVerificationForm.ts";
import { VerificationFormFrame } from "./VerificationFormFrame.tsx";

const t = es.verification;

interface FolioFormProps {
  /** From the address (/verificacion/:folio?codigo=…), as the acuse's QR code opens it. */
  initialFolio: string;
  initialCode: string;
}

/**
 * «Por folio»: the folio and the verification code printed on the acuse. When the address
 * brings both (the QR code), the form is filled and the verification runs at once.
 */
export function FolioForm({ initialFolio, initialCode }: FolioFormProps) {
  const [folio, setFolio] = useState(initialFolio);
  const [code, setCode] = useState(initialCode);
  const form = useVerificationForm<AcuseVerification, FolioField>();
  const { refuse, start } = form;
  const folioInput = useRef<HTMLInputElement>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  const verify = useCallback(
    (folioValue: string, codeValue: string) => {
      const refusal = folioFormRefusal(folioValue, codeValue, t.errors);
      if (refusal) {
        refuse(refusal.field, refusal.detail);
        (refusal.field === "folio" ? folioInput : codeInput).current?.focus();
        return;
      }
      start((signal) => verificationApi.acuse(folioValue, codeValue, signal));
    },
    [refuse, start],
  );

  useEffect(() => {
    if (initialFolio === "") return;
    const folioValue = normalizeFolio(initialFolio);
    setFolio(folioValue);
    setCode(initialCode);
    if (initialCode === "") return;
    // Deferred a tick so React's development double effect starts it once, not twice.
    const timer = setTimeout(() => verify(folioValue, initialCode), 0);
    return () => clearTimeout(timer);
  }, [initialFolio, initialCode, verify]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    verify(folio, code);
  }

  return (
    <>
      <VerificationFormFrame form={form} onSubmit={submit}>
        <FormField
          id="verificacion-folio"
          label={t.folio.folio}
          hint={t.folio.folioHint}
          invalid={form.invalid === "folio"}
          inputRef={folioInput}
          type="text"
          required
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={40}
          value={folio}
          onChange={(event) => setFolio(normalizeFolio(event.target.value))}
        />
        <FormField
          id="verificacion-codigo"
          label={t.folio.code}
          hint={t.folio.codeHint}
          invalid={form.invalid === "code"}
          inputRef={codeInput}
          type="text"
          required
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          maxLength={8}
          value={code}
          onChange={(event) => setCode(normalizeCode(event.target.value))}
        />
      </VerificationFormFrame>
      {form.result && <AcuseVerificationView result={form.result} />}
    </>
  );
}
