import { EmailAddress } from "../../../components/EmailAddress";
import { useI18n } from "../../../lib/i18n";
import { countRows, IMPORT_STATUSES, type ImportPreview } from "../api";
import { importReasonLabel, importStatusLabel } from "./labels";

/**
 * Every row of an uploaded CSV as the API read it: rows that will not be invited are
 * highlighted and carry their reason; counts per status sit above the table.
 */
export function ImportPreviewTable({ preview }: { preview: ImportPreview }) {
  const { t } = useI18n();
  const counts = countRows(preview.rows);
  return (
    <div className="stack">
      <ul className="counts" aria-label={t("import.counts")}>
        {IMPORT_STATUSES.map((status) => (
          <li key={status} className={`counts__item counts__item--${status}`} data-status={status}>
            <span className="counts__value">{counts[status]}</span> {importStatusLabel(t, status)}
          </li>
        ))}
      </ul>
      <div className="table-scroll">
        <table className="table table--preview">
          <caption className="table__caption">{t("import.caption", { count: preview.total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("import.line")}</th>
              <th scope="col">{t("invitations.email")}</th>
              <th scope="col">{t("invitations.segments")}</th>
              <th scope="col">{t("invitations.display_name")}</th>
              <th scope="col">{t("import.status")}</th>
              <th scope="col">{t("import.reason")}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line} className={row.status === "ok" ? undefined : "row--error"} data-status={row.status}>
                <td data-label={t("import.line")}>{row.line}</td>
                <td data-label={t("invitations.email")}>
                  <EmailAddress email={row.email} />
                </td>
                <td data-label={t("invitations.segments")}>{row.segments.join(", ")}</td>
                <td data-label={t("invitations.display_name")}>{row.display_name ?? ""}</td>
                <td data-label={t("import.status")}>
                  <span className={`badge badge--${row.status === "ok" ? "ok" : "error"}`}>
                    {importStatusLabel(t, row.status)}
                  </span>
                </td>
                <td data-label={t("import.reason")}>{importReasonLabel(t, row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
