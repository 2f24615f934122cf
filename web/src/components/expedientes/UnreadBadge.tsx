import { useEffect } from "react";
import { useFetcher } from "react-router";
import { UNREAD_ROUTE, type UnreadData } from "../../data/expedientes.ts";
import { es } from "../../i18n/es.ts";

const t = es.expedientes.menu;

/**
 * «Mis comunicados» unread count beside the menu's link: asked once per page load and again
 * after each action (a mark as read), as a fetcher does. Nothing when none are unread or the
 * count cannot be had.
 */
export function UnreadBadge() {
  const fetcher = useFetcher<UnreadData>({ key: "comunicados-sin-leer" });
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per mount; actions revalidate it.
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data === undefined) fetcher.load(UNREAD_ROUTE);
  }, []);
  const data = fetcher.data;
  if (data?.status !== "loaded" || data.unread.unread === 0) return null;
  const { unread, capped } = data.unread;
  return (
    <span className="session-bar__count">
      <span aria-hidden="true">{t.badge(unread, capped)}</span>
      <span className="visually-hidden">{`, ${t.unread(unread, capped)}`}</span>
    </span>
  );
}
