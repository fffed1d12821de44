import type { MessageKey, Translate } from "../../../lib/i18n";
import type { ParticipantStatus, SpaceObjective, SpaceStatus } from "../api";

const STATUS: Record<SpaceStatus, MessageKey> = {
  draft: "space.status.draft",
  open: "space.status.open",
  closed: "space.status.closed",
  archived: "space.status.archived",
};

const OBJECTIVE: Record<SpaceObjective, MessageKey> = {
  relationship: "space.objective.relationship",
  image: "space.objective.image",
  product_feedback: "space.objective.product_feedback",
};

const PARTICIPANT_STATUS: Record<ParticipantStatus, MessageKey> = {
  active: "participant.status.active",
  suspended: "participant.status.suspended",
  left: "participant.status.left",
};

export const spaceStatusLabel = (t: Translate, status: SpaceStatus) => t(STATUS[status]);
export const objectiveLabel = (t: Translate, objective: SpaceObjective) => t(OBJECTIVE[objective]);
export const participantStatusLabel = (t: Translate, status: ParticipantStatus) => t(PARTICIPANT_STATUS[status]);

export function StatusBadge({ status, label }: { status: string; label: string }) {
  return <span className={`badge badge--${status}`}>{label}</span>;
}
