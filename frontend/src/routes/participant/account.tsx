import { Card, Spinner } from "../../components/Layout";
import { useMe } from "../../features/auth/api";
import { EmailChangeForm } from "../../features/auth/components/EmailChangeForm";
import { PasswordForm } from "../../features/auth/components/PasswordForm";
import { useI18n } from "../../lib/i18n";
import { problemMessage } from "../../lib/problem";

/** My account (any signed-in person, participant or staff): password, address. */
export function AccountPage() {
  const { t } = useI18n();
  const me = useMe();
  if (me.isPending) return <Spinner label={t("app.loading")} />;
  if (me.isError) return <p role="alert">{problemMessage(me.error, t)}</p>;
  return (
    <div className="stack stack--lg">
      <h1>{t("account.title")}</h1>
      <p className="muted">{t("account.signed_in_as", { email: me.data.email })}</p>
      <Card>
        <PasswordForm hasPassword={me.data.has_password} />
      </Card>
      <Card>
        <EmailChangeForm hasPassword={me.data.has_password} />
      </Card>
    </div>
  );
}
