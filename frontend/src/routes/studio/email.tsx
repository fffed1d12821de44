import { Link } from "@tanstack/react-router";

import { EmailReader } from "../../features/emails/components/EmailReader";
import { useI18n } from "../../lib/i18n";
import { emailRoute } from "./routes";

export function EmailPage() {
  const { t } = useI18n();
  const { orgId, emailId } = emailRoute.useParams();
  return (
    <div className="stack stack--lg">
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/organizations/$orgId/emails" params={{ orgId }}>
          {t("emails.heading")}
        </Link>
      </nav>
      <EmailReader orgId={orgId} emailId={emailId} />
    </div>
  );
}
