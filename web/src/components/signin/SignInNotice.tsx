import { es } from "../../i18n/es.ts";

export type SignInNoticeKind = keyof typeof es.signIn.notices;

export function isSignInNotice(value: unknown): value is SignInNoticeKind {
  return typeof value === "string" && value in es.signIn.notices;
}

/** A message carried to /acceso by navigation (signed out, session ended). */
export function SignInNotice({ kind }: { kind: SignInNoticeKind | undefined }) {
  return (
    <div className={kind ? "notice" : "notice notice--empty"} role="status">
      {kind && <p className="notice__text">{es.signIn.notices[kind]}</p>}
    </div>
  );
}
