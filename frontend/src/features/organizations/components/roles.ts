import type { MessageKey, Translate } from "../../../lib/i18n";
import type { Role } from "../api";

const ROLE_KEYS: Record<Role, MessageKey> = {
  owner: "role.owner",
  animator: "role.animator",
  observer: "role.observer",
};

export function roleLabel(t: Translate, role: Role | null | undefined): string {
  return role ? t(ROLE_KEYS[role]) : t("role.none");
}
