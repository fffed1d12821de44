import type { components } from "../api/schema";
import type { MessageKey, Translate } from "./i18n";

export type Problem = components["schemas"]["Problem"];
type FieldError = NonNullable<Problem["errors"]>[number];

/** A problem+json answer from the API, carried as an Error so queries and mutations can throw it. */
export class ApiError extends Error {
  readonly problem: Problem;
  /** Seconds from the Retry-After header, when present. */
  readonly retryAfter: number | null;

  constructor(problem: Problem, retryAfter: number | null = null) {
    super(problem.title);
    this.name = "ApiError";
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }
}

export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as Problem).status === "number" &&
    typeof (body as Problem).code === "string"
  );
}

function fallbackCode(status: number): string {
  if (status === 401) return "auth.not_authenticated";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 429) return "auth.rate_limited";
  if (status >= 500) return "internal_error";
  return "unknown";
}

/** FastAPI's default 422 body ({detail: [{loc, msg, type}]}), should one slip through. */
function isDefaultValidationBody(body: unknown): body is { detail: NonNullable<Problem["errors"]> } {
  return typeof body === "object" && body !== null && Array.isArray((body as { detail?: unknown }).detail);
}

export function toApiError(body: unknown, response: Response): ApiError {
  const problem: Problem = isProblem(body)
    ? body
    : isDefaultValidationBody(body)
      ? {
          type: "about:blank",
          title: "Validation error",
          status: response.status,
          detail: "",
          code: "validation_error",
          errors: body.detail,
        }
      : {
          type: "about:blank",
          title: response.statusText || "Error",
          status: response.status,
          detail: "",
          code: fallbackCode(response.status),
        };
  return new ApiError(problem, parseRetryAfter(response.headers.get("Retry-After")));
}

/** Turns an openapi-fetch result into its data, or throws the ApiError it carries. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw toApiError(result.error, result.response);
  }
  return result.data as T;
}

/** The field a validation error points at: the last named segment of its location. */
export function fieldOf(error: FieldError): string {
  const names = error.loc.filter((part): part is string => typeof part === "string");
  const field = names[names.length - 1];
  return field === undefined || field === "body" ? "" : field;
}

/** Validation messages keyed by field name ("" for errors not tied to a field). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const item of error.problem.errors ?? []) {
    const field = fieldOf(item);
    result[field] = result[field] ? `${result[field]} ${item.msg}` : item.msg;
  }
  return result;
}

/** Problem codes whose message is a fixed translated sentence. */
const MESSAGES: Partial<Record<string, MessageKey>> = {
  "invitation.expired": "problem.invitation_expired",
  "invitation.revoked": "problem.invitation_revoked",
  "invitation.used": "problem.invitation_used",
  "invitation.space_closed": "problem.invitation_space_closed",
  "invitation.already_participant": "problem.invitation_already_participant",
  "invitation.already_pending": "problem.invitation_already_pending",
  "invitation.terms_required": "problem.invitation_terms_required",
  "invitation.pseudonym_required": "problem.invitation_pseudonym_required",
  "invitation.sign_in_required": "problem.invitation_sign_in_required",
  "invitation.other_account": "problem.invitation_other_account",
  "invitation.password_not_accepted": "problem.invitation_password_not_accepted",
  "participant.pseudonym_taken": "problem.participant_pseudonym_taken",
  "participant.suspended": "problem.participant_suspended",
  "segment.exists": "problem.segment_exists",
  "segment.unknown": "problem.segment_unknown",
  "space.invalid_transition": "problem.space_invalid_transition",
  "space.archived": "problem.space_archived",
  "import.invalid_csv": "problem.import_invalid_csv",
  "import.committed": "problem.import_committed",
  "file.invalid_image": "problem.file_invalid_image",
  "auth.link_expired": "problem.auth_link_expired",
  "auth.wrong_password": "problem.auth_wrong_password",
  "auth.current_password_required": "problem.auth_current_password_required",
  "auth.password_changed_meanwhile": "problem.auth_password_changed_meanwhile",
  "auth.email_taken": "problem.auth_email_taken",
  "prompt.answered": "problem.prompt_answered",
  "prompt.referenced": "problem.prompt_referenced",
  "prompt.not_manual": "problem.prompt_not_manual",
  "prompt.not_open": "problem.prompt_not_open",
  "segment.in_use": "problem.segment_in_use",
  "response.exists": "problem.response_exists",
  "response.invalid": "problem.response_invalid",
  "response.edit_window_over": "problem.response_edit_window_over",
  "space.not_open": "problem.space_not_open",
  "service.busy": "problem.service_busy",
  "service.unavailable": "problem.service_unavailable",
  "space.read_only": "problem.space_read_only",
  "probe.answered": "problem.probe_answered",
  "response.branching": "problem.response_branching",
  "script.date_out_of_range": "problem.script_date_out_of_range",
  "script.too_long": "problem.script_too_long",
  "script.invalid_order": "problem.script_invalid_order",
  "script.answered_prompt_removed": "problem.script_answered_prompt_removed",
};

/** Codes whose translated sentence is followed by the server's detail (it names what is wrong). */
const WITH_DETAIL: Partial<Record<string, MessageKey>> = {
  "script.invalid_rule": "problem.script_invalid_rule",
  "script.invalid_document": "problem.script_invalid_document",
};

/** The brand suspended the caller's participation in the space: every path of it answers 403. */
export function isSuspended(error: unknown): boolean {
  return error instanceof ApiError && error.code === "participant.suspended";
}

/** A readable, translated sentence for any error thrown by an API call. */
export function problemMessage(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) {
    return error instanceof TypeError ? t("problem.network") : t("problem.unknown");
  }
  const { problem, retryAfter } = error;
  const known = MESSAGES[problem.code];
  if (known) return t(known);
  const explained = WITH_DETAIL[problem.code];
  if (explained) return problem.detail ? `${t(explained)} ${problem.detail}` : t(explained);
  switch (problem.code) {
    case "auth.invalid_credentials":
      return t("problem.invalid_credentials");
    case "auth.rate_limited":
      return retryAfter === null ? t("problem.rate_limited_later") : t("problem.rate_limited", { count: retryAfter });
    case "auth.not_authenticated":
    case "auth.invalid_token":
      return t("problem.session_expired");
    case "not_found":
      return t("problem.not_found");
    case "forbidden":
      return t("problem.forbidden");
    case "conflict.last_owner":
      return t("problem.last_owner");
    case "conflict.member_exists":
      return t("problem.member_exists");
    case "payload_too_large":
      return t("problem.payload_too_large");
    case "validation_error": {
      const details = (problem.errors ?? []).map((item) => {
        const field = fieldOf(item);
        return field ? `${field}: ${item.msg}` : item.msg;
      });
      return details.length > 0
        ? t("problem.validation_details", { details: details.join("; ") })
        : t("problem.validation");
    }
    case "internal_error":
      return t("problem.internal");
    default:
      return problem.status >= 500 ? t("problem.internal") : problem.detail || problem.title || t("problem.unknown");
  }
}
