import { spaceTheme } from "../../../lib/contrast";
import { useI18n } from "../../../lib/i18n";

/**
 * How the participant side will look: the banner in the accent colour with readable text,
 * the logo, the title and the welcome message (plain text here: it is not saved yet).
 */
export function BrandingPreview({
  title,
  accentColor,
  logoUrl,
  welcome,
}: {
  title: string;
  accentColor: string;
  logoUrl: string | null;
  welcome: string;
}) {
  const { t } = useI18n();
  return (
    <aside className="preview" aria-label={t("space.preview")} style={spaceTheme(accentColor)}>
      <p className="preview__label">{t("space.preview")}</p>
      <div className="space-banner">
        {logoUrl && <img className="space-banner__logo" src={logoUrl} alt="" />}
        <p className="space-banner__title">{title || t("space.untitled")}</p>
      </div>
      <div className="preview__body">
        <p className="preview__welcome">{welcome || t("space.preview_no_welcome")}</p>
        <span className="btn btn--primary btn--sm" aria-hidden="true">
          {t("space.preview_button")}
        </span>
      </div>
    </aside>
  );
}
