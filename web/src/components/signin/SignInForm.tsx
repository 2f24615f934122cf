import { type FormEvent, useEffect, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { problemOf } from "../../api/client.ts";
import { normalizeRfc, SignInError, type SignInField, signIn } from "../../api/signIn.ts";
import type { ProblemDetails } from "../../api/types.ts";
import { es } from "../../i18n/es.ts";
import { ErrorAlert } from "../ErrorAlert.tsx";
import { FormField } from "./FormField.tsx";

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
 * "Validación FIEL": RFC, certificate, private key and its password. The key is opened and the
 * challenge signed in this tab; the password is cleared from the form as soon as it is used.
 */
export function SignInForm() {
  const navigate = useNavigate();
  const [rfc, setRfc] = useState("");
  const [certificate, setCertificate] = useState<File | null>(null);
  const [certificateInfo, setCertificateInfo] = useState<string | undefined>();
  const [privateKey, setPrivateKey] = useState<File | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemDetails | undefined>();
  const [invalid, setInvalid] = useState<SignInField | undefined>();
  const inFlight = useRef(false);
  const button = useRef<HTMLButtonElement>(null);
  const mounted = useRef(true);
  const fields = {
    rfc: useRef<HTMLInputElement>(null),
    certificate: useRef<HTMLInputElement>(null),
    privateKey: useRef<HTMLInputElement>(null),
    password: useRef<HTMLInputElement>(null),
  };

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    setCertificateInfo(undefined);
    if (!certificate) return;
    let current = true;
    void describeCertificate(certificate).then((info) => {
      if (current) setCertificateInfo(info);
    });
    return () => {
      current = false;
    };
  }, [certificate]);

  // A refusal that is not about one field: give the keyboard back at the button (it was
  // disabled, and so lost the focus, while the sign-in ran).
  useEffect(() => {
    if (!busy && problem && !invalid) button.current?.focus();
  }, [busy, problem, invalid]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    // The password lives only in this call from here on.
    const secret = password;
    setPassword("");
    setBusy(true);
    setProblem(undefined);
    setInvalid(undefined);
    try {
      await signIn({ rfc, certificate, privateKey, password: secret });
      if (mounted.current) navigate("/buzon");
    } catch (error) {
      if (!mounted.current) return;
      if (error instanceof SignInError) {
        setProblem(error.problem);
        setInvalid(error.field);
        if (error.field) fields[error.field].current?.focus();
      } else {
        setProblem(problemOf(error));
      }
    } finally {
      inFlight.current = false;
      if (mounted.current) setBusy(false);
    }
  }

  return (
    <>
      <form className="form form--narrow" onSubmit={submit} noValidate aria-busy={busy}>
        <div className="fieldset">
          <FormField
            id="rfc"
            label={t.rfc}
            hint={t.rfcHint}
            invalid={invalid === "rfc"}
            inputRef={fields.rfc}
            type="text"
            required
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={13}
            value={rfc}
            onChange={(event) => setRfc(normalizeRfc(event.target.value))}
          />
          <FormField
            id="certificado"
            label={t.certificate}
            hint={certificateInfo ?? t.certificateHint}
            invalid={invalid === "certificate"}
            inputRef={fields.certificate}
            type="file"
            required
            accept=".cer,.crt,.pem"
            onChange={(event) => setCertificate(event.target.files?.[0] ?? null)}
          />
          <FormField
            id="llave"
            label={t.privateKey}
            hint={t.privateKeyHint}
            invalid={invalid === "privateKey"}
            inputRef={fields.privateKey}
            type="file"
            required
            accept=".key,.pem"
            onChange={(event) => setPrivateKey(event.target.files?.[0] ?? null)}
          />
          <FormField
            id="contrasena"
            label={t.password}
            invalid={invalid === "password"}
            inputRef={fields.password}
            type="password"
            required
            autoComplete="off"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p className="required-note">{t.required}</p>
        </div>
        <p className="privacy-note">{t.privacyNote}</p>
        <button className="button" type="submit" ref={button} disabled={busy} aria-busy={busy}>
          {busy ? t.submitting : t.submit}
        </button>
      </form>
      <ErrorAlert problem={problem} />
    </>
  );
}
