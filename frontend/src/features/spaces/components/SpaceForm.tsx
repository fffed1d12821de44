import { useId, useMemo, useState, type FormEvent } from "react";

import { Button } from "../../../components/Button";
import { SelectField, TextAreaField, TextField } from "../../../components/Field";
import { Alert } from "../../../components/Layout";
import { useToast } from "../../../components/Toast";
import { parseHex } from "../../../lib/contrast";
import { useI18n } from "../../../lib/i18n";
import { fieldErrors, problemMessage } from "../../../lib/problem";
import {
  OBJECTIVES,
  SPACE_LANGUAGES,
  useCreateSpace,
  useUpdateSpace,
  type Space,
  type SpaceCreate,
  type SpaceLanguage,
  type SpaceObjective,
} from "../api";
import { BrandingPreview } from "./BrandingPreview";
import { objectiveLabel } from "./labels";

type Values = Required<SpaceCreate>;

const DEFAULTS: Values = {
  title: "",
  description: "",
  objective: "relationship",
  language: "fr",
  time_zone: "Europe/Paris",
  accent_color: "#3344aa",
  welcome_message: "",
  terms: "",
  invitation_ttl_days: 14,
};

function valuesOf(space: Space | undefined): Values {
  if (!space) return DEFAULTS;
  return {
    title: space.title,
    description: space.description,
    objective: space.objective,
    language: space.language,
    time_zone: space.time_zone,
    accent_color: space.accent_color,
    welcome_message: space.welcome_message,
    terms: space.terms,
    invitation_ttl_days: space.invitation_ttl_days,
  };
}

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["Europe/Paris", "Europe/London", "UTC"];
  }
}

/** "Paris · GMT+1": the city and the offset now, to find a zone by either while typing. */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const city = zone.slice(zone.lastIndexOf("/") + 1).replace(/_/g, " ");
  try {
    const offset = new Intl.DateTimeFormat("en", { timeZone: zone, timeZoneName: "shortOffset" })
      .formatToParts(at)
      .find((part) => part.type === "timeZoneName")?.value;
    return offset ? `${city} · ${offset}` : city;
  } catch {
    return city;
  }
}

/**
 * Creates a space (no `space`) or edits one; read-only for observers and archived spaces.
 * The branding preview follows every keystroke.
 */
export function SpaceForm({
  orgId,
  space,
  readOnly = false,
  onCreated,
}: {
  orgId: string;
  space?: Space;
  readOnly?: boolean;
  onCreated?: (space: Space) => void;
}) {
  const { t } = useI18n();
  const toast = useToast();
  const create = useCreateSpace(orgId);
  const update = useUpdateSpace(space?.id ?? "");
  const mutation = space ? update : create;
  const [values, setValues] = useState<Values>(() => valuesOf(space));
  const [hex, setHex] = useState(values.accent_color);
  const zones = useMemo(timeZones, []);
  const zonesId = useId();
  const zoneLabels = useMemo(() => new Map(zones.map((zone) => [zone, zoneLabel(zone)])), [zones]);
  const errors = fieldErrors(mutation.error);
  const hexError = parseHex(hex) && hex.startsWith("#") ? undefined : t("space.accent_invalid");
  const [zoneChecked, setZoneChecked] = useState(false);
  const zoneError = zoneChecked && !zones.includes(values.time_zone.trim()) ? t("space.time_zone_unknown") : undefined;

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function onHex(value: string) {
    setHex(value);
    if (/^#[0-9a-fA-F]{6}$/.test(value)) set("accent_color", value.toLowerCase());
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setZoneChecked(true);
    if (hexError || !zones.includes(values.time_zone.trim())) return;
    const body = { ...values, title: values.title.trim(), time_zone: values.time_zone.trim() };
    if (space) {
      update.mutate(body, { onSuccess: () => toast.show(t("space.saved")) });
    } else {
      create.mutate(body, {
        onSuccess: (created) => {
          toast.show(t("space.created", { title: created.title }));
          onCreated?.(created);
        },
      });
    }
  }

  return (
    <div className="editor">
      <form className="stack editor__form" onSubmit={onSubmit} aria-label={t("space.settings")}>
        {mutation.isError && <Alert>{problemMessage(mutation.error, t)}</Alert>}
        <fieldset className="fieldset stack" disabled={readOnly}>
          <legend className="visually-hidden">{t("space.settings")}</legend>
          <TextField
            label={t("space.title")}
            required
            maxLength={120}
            value={values.title}
            error={errors.title}
            onChange={(e) => set("title", e.target.value)}
          />
          <TextAreaField
            label={t("space.description")}
            hint={t("space.markdown_hint")}
            rows={4}
            maxLength={10000}
            value={values.description}
            error={errors.description}
            onChange={(e) => set("description", e.target.value)}
          />
          <div className="grid-2">
            <SelectField
              label={t("space.objective")}
              value={values.objective}
              error={errors.objective}
              onChange={(e) => set("objective", e.target.value as SpaceObjective)}
            >
              {OBJECTIVES.map((objective) => (
                <option key={objective} value={objective}>
                  {objectiveLabel(t, objective)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t("space.language")}
              value={values.language}
              error={errors.language}
              onChange={(e) => set("language", e.target.value as SpaceLanguage)}
            >
              {SPACE_LANGUAGES.map((code) => (
                <option key={code} value={code} lang={code}>
                  {code === "fr" ? "Français" : "English"}
                </option>
              ))}
            </SelectField>
            <TextField
              label={t("space.time_zone")}
              hint={t("space.time_zone_hint")}
              list={zonesId}
              required
              maxLength={64}
              autoComplete="off"
              value={values.time_zone}
              error={zoneError ?? errors.time_zone}
              onChange={(e) => set("time_zone", e.target.value)}
              onBlur={() => setZoneChecked(true)}
            />
            <TextField
              label={t("space.invitation_ttl")}
              type="number"
              min={1}
              max={90}
              required
              value={values.invitation_ttl_days}
              error={errors.invitation_ttl_days}
              onChange={(e) => set("invitation_ttl_days", Number(e.target.value))}
            />
          </div>
          <datalist id={zonesId}>
            {zones.map((zone) => (
              <option key={zone} value={zone} label={zoneLabels.get(zone)} />
            ))}
          </datalist>
          <div className="color-field">
            <TextField
              label={t("space.accent_picker")}
              type="color"
              className="color-field__picker"
              value={values.accent_color}
              onChange={(e) => onHex(e.target.value)}
            />
            <TextField
              label={t("space.accent_hex")}
              hint={t("space.accent_hint")}
              maxLength={7}
              spellCheck={false}
              autoComplete="off"
              value={hex}
              error={hexError ?? errors.accent_color}
              onChange={(e) => onHex(e.target.value.trim())}
            />
          </div>
          <TextAreaField
            label={t("space.welcome")}
            hint={t("space.markdown_hint")}
            rows={4}
            maxLength={10000}
            value={values.welcome_message}
            error={errors.welcome_message}
            onChange={(e) => set("welcome_message", e.target.value)}
          />
          <TextAreaField
            label={t("space.terms")}
            hint={t("space.terms_hint")}
            rows={5}
            maxLength={20000}
            value={values.terms}
            error={errors.terms}
            onChange={(e) => set("terms", e.target.value)}
          />
        </fieldset>
        {!readOnly && (
          <div className="actions">
            <Button type="submit" disabled={mutation.isPending}>
              {space ? t("space.save") : t("space.create")}
            </Button>
          </div>
        )}
        <p className="visually-hidden" aria-live="polite">
          {mutation.isPending ? t("app.loading") : ""}
        </p>
      </form>
      <BrandingPreview
        title={values.title}
        accentColor={values.accent_color}
        logoUrl={space?.logo_url ?? null}
        welcome={values.welcome_message}
      />
    </div>
  );
}
