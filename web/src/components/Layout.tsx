import { useEffect, useRef } from "react";
import { Outlet, useLocation, useNavigation } from "react-router";
import { DemoClockBanner } from "./DemoClockBanner.tsx";
import { SiteFooter } from "./SiteFooter.tsx";
import { SiteHeader } from "./SiteHeader.tsx";
import { SkipLink } from "./SkipLink.tsx";

/** Page frame: skip link, header with navigation, the page, footer. */
export function Layout() {
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const previousPath = useRef(pathname);
  // A page's loader is running (another year, the mailbox): say so while it loads.
  const loading = useNavigation().state === "loading";

  // After client-side navigation, start the reader (and the keyboard) at the new page.
  useEffect(() => {
    if (previousPath.current === pathname) return;
    previousPath.current = pathname;
    window.scrollTo(0, 0);
    main.current?.focus({ preventScroll: true });
  }, [pathname]);

  return (
    <>
      <SkipLink />
      <SiteHeader />
      <DemoClockBanner />
      <main
        id="contenido"
        className="container site-main"
        tabIndex={-1}
        ref={main}
        aria-busy={loading || undefined}
      >
        <Outlet />
      </main>
      <SiteFooter />
    </>
  );
}
