import { createRoute } from "@tanstack/react-router";

import { MySpaceList } from "../../features/participation/components/MySpaceList";
import { useI18n } from "../../lib/i18n";
import { participantRoute } from "./layout";

export const mySpacesRoute = createRoute({
  getParentRoute: () => participantRoute,
  path: "/me/spaces",
  component: MySpacesPage,
});

function MySpacesPage() {
  const { t } = useI18n();
  return (
    <div className="stack stack--lg">
      <h1>{t("my_spaces.heading")}</h1>
      <MySpaceList />
    </div>
  );
}
