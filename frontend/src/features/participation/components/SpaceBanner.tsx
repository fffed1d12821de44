import type { ReactNode } from "react";

import { useI18n } from "../../../lib/i18n";
import type { MySpace } from "../api";

/** The space's banner in its accent colour; the caller wraps the page in `spaceTheme()`. */
export function SpaceBanner({ space, children }: { space: MySpace; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="space-banner">
      {space.logo_url && (
        <img className="space-banner__logo" src={space.logo_url} alt={t("space.logo_alt", { title: space.title })} />
      )}
      <div>
        <p className="space-banner__org">{space.organization_name}</p>
        {children}
      </div>
    </div>
  );
}
