import { type KeyboardEvent, type RefObject, useEffect, useId, useRef, useState } from "react";
import { useLocation } from "react-router";

/**
 * A menu that folds on a phone: a button with aria-expanded shows or hides its links, which
 * start hidden; on a wider screen the CSS hides the button and always shows the links
 * (`.compact-menu`, styles.css), so nothing changes there. The links hide again once one is
 * followed (the page changed) and with Escape, which gives the focus back to the button.
 */
export interface CompactMenu {
  open: boolean;
  /** The links' id, for the button's aria-controls. */
  listId: string;
  button: RefObject<HTMLButtonElement | null>;
  toggle: () => void;
  /** On the element that holds the button and the links. */
  onKeyDown: (event: KeyboardEvent) => void;
}

export function useCompactMenu(): CompactMenu {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page folds the menu again.
  useEffect(() => {
    setOpen(false);
  }, [pathname]);
  return {
    open,
    listId,
    button,
    toggle: () => setOpen((value) => !value),
    onKeyDown: (event) => {
      if (event.key !== "Escape" || !open) return;
      setOpen(false);
      button.current?.focus();
    },
  };
}

/** The button that shows and hides a compact menu's links (on a phone only). */
export function MenuToggle({
  menu,
  label,
  className,
}: {
  menu: CompactMenu;
  label: string;
  className?: string;
}) {
  return (
    <button
      type="button"
      className={`menu-toggle${className ? ` ${className}` : ""}`}
      aria-expanded={menu.open}
      aria-controls={menu.listId}
      onClick={menu.toggle}
      ref={menu.button}
    >
      <span className="menu-toggle__icon" aria-hidden="true" />
      {label}
    </button>
  );
}
