import { useEffect, useRef, useState } from "react";
import { Form, useActionData, useNavigation } from "react-router";
import { normalizeRfc, SIGN_IN_FIELDS } from "../../api/signIn.ts";
import { KEEP_SIGNED_IN, type SignInAnswer } from "../../data/auth.ts";
import { useSubmitOnce } from "../../forms/useSubmitOnce.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { ErrorSummary } from "../form/ErrorSummary.tsx";
import { TextField } from "../form/TextField.tsx";
import { EfirmaFields } from "./EfirmaFields.tsx";

const t = es.signIn;

/** What the certificate says about its holder, shown once the file is chosen. */
async function describeCertificate(file: File): Promise<string | undefined> {
  try {
    const { readCertificateFile } = await import("../../efirma/index.ts");
    const certificate = readCertificateFile(new Uint8Array(await file.arrayBuffer()));
    if (!certificate.name || !certificate.rfc) return undefined;
    return t.certificateOf(certificate.name, certificate.rfc);
  } catch {
    return undefined; // the submit explains what is wrong with the file
  }
}

/**
 * "Validación FIEL": RFC, certificate, private key and its password, posted to the route's
 * action (signInAction), which opens the key and signs the challenge in this tab. The password
 * is cleared from the form as soon as the submission has taken it.
 */
export function SignInForm() {
  const answer = useActionData<SignInAnswer>();
  const navigation = useNavigation();
  // Busy until the submission is over: the loading after the action's redirect is still it.
  const busy = navigation.state !== "idle" && navigation.formAction === "/acceso";
  const [certificateInfo, setCertificateInfo] = useState<string | undefined>();
  const password = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const errors = answer?.status === "invalid" ? answer.errors : {};
  const submitOnce = useSubmitOnce(busy, answer);

  useEffect(() => {
    if (busy && password.current) password.current.value = "";
  }, [busy]);

  // A refusal that is not about one field: give the keyboard back at the button (it was
  // disabled, and so lost the focus, while the sign-in ran).
  useEffect(() => {
    if (answer?.status === "refused") button.current?.focus();
  }, [answer]);

  async function certificateChosen(file: File | undefined) {
    setCertificateInfo(file ? await describeCertificate(file) : undefined);
  }

  return (
    <>
      <ErrorSummary errors={errors} submission={answer} />
      <Form
        className="form form--narrow"
        method="post"
        encType="multipart/form-data"
        noValidate
        aria-busy={busy}
        onSubmit={submitOnce}
      >
        <div className="fieldset">
          <TextField
            id={SIGN_IN_FIELDS.rfc}
            label={t.rfc}
            hint={t.rfcHint}
            error={errors[SIGN_IN_FIELDS.rfc]}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={13}
            onChange={(event) => {
              event.target.value = normalizeRfc(event.target.value);
            }}
          />
          <EfirmaFields
            ids={SIGN_IN_FIELDS}
            errors={errors}
            passwordRef={password}
            certificateHint={certificateInfo}
            onCertificate={certificateChosen}
          />
          <div className="check-field">
            <input
              id={KEEP_SIGNED_IN}
              name={KEEP_SIGNED_IN}
              type="checkbox"
              value="si"
              aria-describedby={`${KEEP_SIGNED_IN}-ayuda`}
            />
            <label htmlFor={KEEP_SIGNED_IN}>{t.keepSignedIn}</label>
            <p className="field-hint" id={`${KEEP_SIGNED_IN}-ayuda`}>
              {t.keepSignedInHint}
            </p>
          </div>
          <p className="required-note">{t.required}</p>
        </div>
        <p className="privacy-note">{t.privacyNote}</p>
        <button className="button" type="submit" ref={button} disabled={busy} aria-busy={busy}>
          {busy ? t.submitting : t.submit}
        </button>
      </Form>
      <ErrorAlert problem={answer?.status === "refused" ? answer.problem : undefined} />
    </>
  );
}
