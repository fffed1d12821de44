import type { MessageKey, Translate } from "../../lib/i18n";
import type { EmailCategory, EmailStatus } from "./api";

// Every value the API may send has its words (the compiler checks both lists against the
// generated schema): a raw value such as "prompt_opened" never reaches the screen.
const CATEGORY: Record<EmailCategory, MessageKey> = {
  invitation: "emails.category.invitation",
  staff_invitation: "emails.category.staff_invitation",
  magic_link: "emails.category.magic_link",
  password_reset: "emails.category.password_reset",
  email_change: "emails.category.email_change",
  email_changed: "emails.category.email_changed",
  digest: "emails.category.digest",
  reminder: "emails.category.reminder",
  probe: "emails.category.probe",
  probe_overdue: "emails.category.probe_overdue",
  prompt_opened: "emails.category.prompt_opened",
  new_response: "emails.category.new_response",
  reply: "emails.category.reply",
  new_reply: "emails.category.new_reply",
};

const STATUS: Record<EmailStatus, MessageKey> = {
  pending: "emails.status.pending",
  sending: "emails.status.sending",
  sent: "emails.status.sent",
  kept: "emails.status.kept",
  failed: "emails.status.failed",
};

export const emailCategoryLabel = (t: Translate, category: EmailCategory) => t(CATEGORY[category]);
export const emailStatusLabel = (t: Translate, status: EmailStatus) => t(STATUS[status]);
