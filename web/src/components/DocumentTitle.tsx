import { useEffect } from "react";
import { es } from "../i18n/es.ts";

/** Sets the browser tab's title for the current page. */
export function DocumentTitle({ title }: { title: string }) {
  useEffect(() => {
    document.title = title === es.app.name ? title : `${title} · ${es.app.titleSuffix}`;
  }, [title]);
  return null;
}
