import type { MessageKey, Translate } from "../../../lib/i18n";
import type { ImportReasonCode, ImportRow, ImportRowStatus, InvitationStatus } from "../api";

const STATUS: Record<InvitationStatus, MessageKey> = {
  pending: "invitations.status.pending",
  accepted: "invitations.status.accepted",
  revoked: "invitations.status.revoked",
  expired: "invitations.status.expired",
};

const ROW_STATUS: Record<ImportRowStatus, MessageKey> = {
  ok: "import.status.ok",
  duplicate: "import.status.duplicate",
  already_participant: "import.status.already_participant",
  already_invited: "import.status.already_invited",
  invalid: "import.status.invalid",
};

const REASON: Record<ImportReasonCode, MessageKey> = {
  invalid_email: "import.reason.invalid_email",
  control_characters: "import.reason.control_characters",
  name_too_long: "import.reason.name_too_long",
  unknown_segment: "import.reason.unknown_segment",
  duplicate: "import.reason.duplicate",
  already_participant: "import.reason.already_participant",
  already_invited: "import.reason.already_invited",
};

/** Why a row is not imported, in the reader's language (the API's English text is a
 * fallback for previews stored before reasons had codes). */
export function importReasonLabel(t: Translate, row: Pick<ImportRow, "reason" | "reason_code" | "reason_value">) {
  if (row.reason_code) return t(REASON[row.reason_code], { value: row.reason_value ?? "" });
  return row.reason ?? "";
}

export const invitationStatusLabel = (t: Translate, status: InvitationStatus) => t(STATUS[status]);
export const importStatusLabel = (t: Translate, status: ImportRowStatus) => t(ROW_STATUS[status]);
