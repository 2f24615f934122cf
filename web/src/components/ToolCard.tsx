import { Link } from "react-router";

/** A link to one of the tools, with a line about what it does. */
export function ToolCard({ to, title, text }: { to: string; title: string; text: string }) {
  return (
    <li className="tool-card">
      <Link className="tool-card__link" to={to}>
        {title}
      </Link>
      <p className="tool-card__text">{text}</p>
    </li>
  );
}
