import { Link } from "@tanstack/react-router";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { LANGUAGES, useI18n } from "../lib/i18n";
import { Avatar } from "./Avatar";

export type MenuLink = { to: string; label: string };
export type MenuChoice = { id: string; label: string };

const ITEM = '[role="menuitem"], [role="menuitemradio"]';

/**
 * The person's avatar in the top bar, opening their menu (the WAI-ARIA menu button
 * pattern): links (profile, the other side of the app), an optional choice of
 * organization, the language, sign out. Enter, Space or ↓ opens it on the first item
 * (↑ on the last); ↑ ↓ Home End move; Escape closes it and gives focus back to the
 * button; Tab leaves it closed.
 */
export function AccountMenu({
  name,
  links,
  organizations,
  onSelectOrganization,
  onSignOut,
  signingOut = false,
}: {
  name: string;
  links: readonly MenuLink[];
  organizations?: { choices: readonly MenuChoice[]; currentId: string | undefined } | undefined;
  onSelectOrganization?: (id: string) => void;
  onSignOut: () => void;
  signingOut?: boolean;
}) {
  const { t, lang, setLang } = useI18n();
  const [open, setOpen] = useState(false);
  const [focusAt, setFocusAt] = useState<"first" | "last" | null>(null);
  const menuId = useId();
  const buttonId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);

  const items = () => Array.from(menuRef.current?.querySelectorAll<HTMLElement>(ITEM) ?? []);

  useEffect(() => {
    if (!open || focusAt === null) return;
    const all = items();
    (focusAt === "first" ? all[0] : all[all.length - 1])?.focus();
    setFocusAt(null);
  }, [open, focusAt]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onPointer);
    return () => document.removeEventListener("mousedown", onPointer);
  }, [open]);

  function openAt(at: "first" | "last") {
    setOpen(true);
    setFocusAt(at);
  }

  function close(returnFocus: boolean) {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }

  function onButtonKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key === "ArrowDown" || event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openAt("first");
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      openAt("last");
    }
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const all = items();
    const index = all.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    switch (event.key) {
      case "ArrowDown":
        return move(index + 1);
      case "ArrowUp":
        return move(index - 1);
      case "Home":
        return move(0);
      case "End":
        return move(all.length - 1);
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        return close(true);
      case "Tab":
        return close(false);
      case " ":
        // Space activates the item, as Enter does (links only react to Enter).
        event.preventDefault();
        (document.activeElement as HTMLElement | null)?.click();
        return;
      default:
        return;
    }
  }

  /** Each choice closes the menu and gives focus back to the button. */
  const choose = (action: () => void) => () => {
    close(true);
    action();
  };

  return (
    <div className="account" ref={rootRef}>
      <button
        ref={buttonRef}
        id={buttonId}
        type="button"
        className="account__button"
        title={t("account_menu.label")}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openAt("first"))}
        onKeyDown={onButtonKeyDown}
      >
        <Avatar name={name} />
        <span className="account__name">{name}</span>
      </button>
      {open && (
        <div className="account__panel">
          <div id={menuId} ref={menuRef} role="menu" aria-labelledby={buttonId} onKeyDown={onMenuKeyDown}>
            {links.map((link) => (
              <Link
                key={link.to}
                to={link.to}
                role="menuitem"
                tabIndex={-1}
                className="menu__item"
                onClick={() => close(false)}
              >
                {link.label}
              </Link>
            ))}
            {organizations && organizations.choices.length > 0 && (
              <MenuGroup label={t("shell.organization")}>
                {organizations.choices.map((choice) => (
                  <MenuRadio
                    key={choice.id}
                    checked={choice.id === organizations.currentId}
                    onSelect={choose(() => onSelectOrganization?.(choice.id))}
                  >
                    {choice.label}
                  </MenuRadio>
                ))}
              </MenuGroup>
            )}
            <MenuGroup label={t("language.label")}>
              {LANGUAGES.map((language) => (
                <MenuRadio
                  key={language.code}
                  lang={language.code}
                  checked={language.code === lang}
                  onSelect={choose(() => setLang(language.code))}
                >
                  {language.name}
                </MenuRadio>
              ))}
            </MenuGroup>
            <div role="separator" className="menu__separator" />
            <button
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu__item"
              aria-disabled={signingOut || undefined}
              onClick={() => {
                if (signingOut) return;
                close(false);
                onSignOut();
              }}
            >
              {t("shell.sign_out")}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function MenuGroup({ label, children }: { label: string; children: ReactNode }) {
  const labelId = useId();
  return (
    <>
      <div role="separator" className="menu__separator" />
      <div role="group" aria-labelledby={labelId}>
        <span id={labelId} className="menu__group-label" aria-hidden="true">
          {label}
        </span>
        {children}
      </div>
    </>
  );
}

function MenuRadio({
  checked,
  onSelect,
  lang,
  children,
}: {
  checked: boolean;
  onSelect: () => void;
  lang?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="menuitemradio"
      tabIndex={-1}
      lang={lang}
      aria-checked={checked}
      className="menu__item menu__item--radio"
      onClick={onSelect}
    >
      <span className="menu__check" aria-hidden="true">
        {checked && (
          <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="3">
            <path d="M20 6 9 17l-5-5" />
          </svg>
        )}
      </span>
      {children}
    </button>
  );
}
