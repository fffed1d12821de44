import { MySpaceList } from "../../features/participation/components/MySpaceList";
import { useI18n } from "../../lib/i18n";

export function MySpacesPage() {
  const { t } = useI18n();
  return (
    <div className="stack stack--lg">
      <h1>{t("my_spaces.heading")}</h1>
      <MySpaceList />
    </div>
  );
}
