import { Link } from "@tanstack/react-router";

import { useI18n } from "../lib/i18n";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <main id="main" className="page page--centered">
      <h1>{t("not_found.title")}</h1>
      <p>{t("not_found.body")}</p>
      <p>
        <Link to="/">{t("common.back_home")}</Link>
      </p>
    </main>
  );
}
