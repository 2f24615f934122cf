import { useEffect } from "react";
import { useFetcher, useLocation, useNavigate } from "react-router";
import type { DevTokenAnswer } from "../../data/dev.ts";
import { keepDevToken, TOKEN_FIELD, tokenFromHash } from "../../data/dev.ts";
import { es } from "../../i18n/es.ts";
import { TextField } from "../form/TextField.tsx";

const t = es.devTools;

/**
 * The demo's administration token for this tab: pasted here, or «Olvidar token». It stays in the
 * tab's sessionStorage and goes only to the dev API, as a bearer token.
 */
export function DevTokenForm({
  withToken,
  tokenRefused,
  action,
}: {
  withToken: boolean;
  /** The kept token was just refused and forgotten: said before the form to paste another. */
  tokenRefused?: boolean | undefined;
  action: string;
}) {
  const fetcher = useFetcher<DevTokenAnswer>({ key: `token-${action}` });
  const errors = fetcher.data?.status === "invalid" ? fetcher.data.errors : {};
  const { hash, pathname, search } = useLocation();
  const navigate = useNavigate();

  // The link `serve --demo` prints carries the token in the fragment: kept in the tab, then gone
  // through the router (which asks the page's loader again), so the router's location loses the
  // fragment too and this runs once, not again after every answer (a refused token would be
  // kept and refused over and over, into the limit of refused tokens).
  useEffect(() => {
    const token = tokenFromHash(hash);
    if (!token) return;
    keepDevToken(token);
    navigate({ pathname, search }, { replace: true });
  }, [hash, pathname, search, navigate]);
  if (withToken) {
    return (
      <fetcher.Form method="post" action={action} className="dev-token dev-token--kept">
        <p className="field-hint">{t.usingToken}</p>
        <input type="hidden" name="intent" value="olvidar" />
        <button className="button button--secondary button--small" type="submit">
          {t.forgetToken}
        </button>
      </fetcher.Form>
    );
  }
  return (
    <>
      {tokenRefused && (
        <p className="notice notice__text" role="status">
          {t.tokenRefused}
        </p>
      )}
      <details className="dev-token" open={Object.keys(errors).length > 0 || undefined}>
        <summary>{t.tokenTitle}</summary>
        <p>{t.tokenLead}</p>
        <fetcher.Form method="post" action={action} className="form form--narrow" noValidate>
          <input type="hidden" name="intent" value="guardar" />
          <TextField
            id={TOKEN_FIELD}
            label={t.token}
            hint={t.tokenHint}
            error={errors[TOKEN_FIELD]}
            type="password"
            autoComplete="off"
            spellCheck={false}
          />
          <button className="button" type="submit">
            {t.useToken}
          </button>
        </fetcher.Form>
      </details>
    </>
  );
}
