import { avatarColors, initials } from "../lib/avatar";

/**
 * A person's initials on a colour of their own. Decorative: the name is always written
 * next to it (or in the accessible name of the control holding it).
 */
export function Avatar({ name, size = "md" }: { name: string; size?: "sm" | "md" }) {
  const { background, color } = avatarColors(name);
  return (
    <span className={`avatar avatar--${size}`} aria-hidden="true" style={{ background, color }}>
      {initials(name)}
    </span>
  );
}
