import type { MessageKey, Translate } from "../../../lib/i18n";
import type { ImportRowStatus, InvitationStatus } from "../api";

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

export const invitationStatusLabel = (t: Translate, status: InvitationStatus) => t(STATUS[status]);
export const importStatusLabel = (t: Translate, status: ImportRowStatus) => t(ROW_STATUS[status]);
