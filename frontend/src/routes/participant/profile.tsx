import { Link, useNavigate } from "@tanstack/react-router";

import { Spinner } from "../../components/Layout";
import { useMySpace } from "../../features/participation/api";
import { ProfileForm } from "../../features/participation/components/ProfileForm";
import { SpaceBanner } from "../../features/participation/components/SpaceBanner";
import { spaceTheme } from "../../lib/contrast";
import { useI18n } from "../../lib/i18n";
import { mySpaceProfileRoute } from "./routes";
import { SpaceError } from "./space";

export function ProfilePage() {
  const { t } = useI18n();
  const { spaceId } = mySpaceProfileRoute.useParams();
  const navigate = useNavigate();
  const space = useMySpace(spaceId);

  if (space.isPending) return <Spinner label={t("app.loading")} />;
  if (space.isError) return <SpaceError error={space.error} />;
  const s = space.data;
  return (
    <div className="themed stack stack--lg" style={spaceTheme(s.accent_color)}>
      <nav aria-label={t("common.breadcrumb")} className="breadcrumb">
        <Link to="/me/spaces/$spaceId" params={{ spaceId }}>
          {s.title}
        </Link>
      </nav>
      <SpaceBanner space={s}>
        <h1 className="space-banner__title">{t("profile.title")}</h1>
      </SpaceBanner>
      <ProfileForm key={s.space_id} space={s} onLeft={() => void navigate({ to: "/me/spaces" })} />
      <p>
        <Link to="/me/account">{t("account.password_link")}</Link>
      </p>
    </div>
  );
}
