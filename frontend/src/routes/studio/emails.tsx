import { Link } from "@tanstack/react-router";

import { EmailList } from "../../features/emails/components/EmailList";
import { useI18n } from "../../lib/i18n";
import { emailsRoute } from "./routes";

export function EmailsPage() {
  const { t } = useI18n();
  const { orgId } = emailsRoute.useParams();
  return (
    <div className="stack stack--lg">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/organizations/$orgId" params={{ orgId }}>
          {t("emails.back")}
        </Link>
      </nav>
      <h1>{t("emails.heading")}</h1>
      <p className="muted">{t("emails.intro")}</p>
      <EmailList orgId={orgId} />
    </div>
  );
}
