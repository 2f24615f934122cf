import { useSearchParams } from "react-router";
import { DocumentTitle } from "../components/DocumentTitle.tsx";
import { SignInForm } from "../components/signin/SignInForm.tsx";
import { isSignInNotice, SignInNotice } from "../components/signin/SignInNotice.tsx";
import { es } from "../i18n/es.ts";

const t = es.signIn;

/** /acceso — "Validación FIEL": sign-in with the e.firma, signed in the browser. */
export function SignInPage() {
  const [params] = useSearchParams();
  const notice = params.get("aviso");
  return (
    <div className="signin">
      <DocumentTitle title={t.title} />
      <p className="kicker">{t.kicker}</p>
      <h1 className="kicker-title">{t.title}</h1>
      <p className="lead">{t.lead}</p>
      <SignInNotice kind={isSignInNotice(notice) ? notice : undefined} />
      <SignInForm />
    </div>
  );
}
