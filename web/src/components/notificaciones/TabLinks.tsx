import { Link } from "react-router";

/**
 * Tabs as links (each view is its own address, loaded by the route), the current one marked
 * with aria-current as the calendar's authority tabs are.
 */
export function TabLinks<K extends string>({
  label,
  tabs,
  current,
}: {
  label: string;
  tabs: { key: K; label: string; to: string }[];
  current: K | undefined;
}) {
  return (
    <nav className="authority-nav" aria-label={label}>
      <ul className="authority-nav__list">
        {tabs.map((tab) => (
          <li key={tab.key}>
            <Link
              className="authority-nav__link"
              to={tab.to}
              aria-current={tab.key === current ? "page" : undefined}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
