import type { Ref } from "react";
import type { FieldErrors } from "../../forms/fields.ts";
import { es } from "../../i18n/es.ts";
import { FileField } from "../form/FileField.tsx";
import { TextField } from "../form/TextField.tsx";

const t = es.signIn;

interface EfirmaFieldsProps {
  /** The form's input ids (and names) of the three fields. */
  ids: { certificate: string; privateKey: string; password: string };
  errors: FieldErrors;
  /** The password input, so the form can clear it once the submission has taken it. */
  passwordRef: Ref<HTMLInputElement>;
  /** Replaces the certificate's hint (e.g. whose certificate was chosen). */
  certificateHint?: string | undefined;
  onCertificate?: (file: File | undefined) => void;
}

/** The e.firma's certificate, private key and password: the same fields in every form that signs. */
export function EfirmaFields({
  ids,
  errors,
  passwordRef,
  certificateHint,
  onCertificate,
}: EfirmaFieldsProps) {
  return (
    <>
      <FileField
        id={ids.certificate}
        label={t.certificate}
        hint={certificateHint ?? t.certificateHint}
        error={errors[ids.certificate]}
        accept=".cer,.crt,.pem"
        onFile={onCertificate}
      />
      <FileField
        id={ids.privateKey}
        label={t.privateKey}
        hint={t.privateKeyHint}
        error={errors[ids.privateKey]}
        accept=".key,.pem"
      />
      <TextField
        id={ids.password}
        label={t.password}
        error={errors[ids.password]}
        inputRef={passwordRef}
        type="password"
        autoComplete="off"
      />
    </>
  );
}
