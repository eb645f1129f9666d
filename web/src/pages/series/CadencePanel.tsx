import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Code, Grid, Group, NumberInput, Radio, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { api, ApiError } from '../../api.ts';
import { FormSection } from '../../components/FormSection.tsx';
import { SaveBar } from '../../components/SaveBar.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { AUDIENCE_KEYS, useTags } from '../audience/queries.ts';
import { timeZones } from '../settings/brandKit.ts';
import { seriesApi, type Reentry, type Series, type SeriesPatch, type SeriesTrigger, type TriggerType } from './api.ts';
import { emailLabel, hourLabel, stepSubject } from './labels.tsx';
import { useSeriesUpdated } from './queries.ts';

interface Draft {
  offsets: Record<string, number | ''>;
  sendHour: string;
  /** '' = each contact's own time zone (the brand's default when they have none). */
  timeZone: string;
  triggerType: TriggerType;
  segmentId: string | null;
  tagId: string | null;
  eventName: string;
  exitEvent: string;
  exitTagId: string | null;
  reentry: Reentry;
  utmCampaign: string;
}

function draftOf(s: Series): Draft {
  return {
    offsets: Object.fromEntries(s.steps.map((step) => [step.id, step.offsetDays])),
    sendHour: String(s.sendHour),
    timeZone: s.timeZone ?? '',
    triggerType: s.trigger.type,
    segmentId: s.trigger.type === 'segment' ? s.trigger.segmentId : null,
    tagId: s.trigger.type === 'tag' ? s.trigger.tagId : null,
    eventName: s.trigger.type === 'event' ? s.trigger.name : '',
    exitEvent: s.exit.event ?? '',
    exitTagId: s.exit.tagId,
    reentry: s.reentry,
    utmCampaign: s.utmCampaign ?? '',
  };
}

function triggerOf(d: Draft): SeriesTrigger {
  switch (d.triggerType) {
    case 'segment':
      return { type: 'segment', segmentId: d.segmentId ?? '' };
    case 'tag':
      return { type: 'tag', tagId: d.tagId ?? '' };
    case 'event':
      return { type: 'event', name: d.eventName.trim() };
    default:
      return { type: d.triggerType };
  }
}

/** Only what changed goes to the server, so saving the timing never rewrites the trigger. */
function patchOf(s: Series, d: Draft): SeriesPatch {
  const before = draftOf(s);
  const patch: SeriesPatch = {};
  if (d.sendHour !== before.sendHour) patch.sendHour = Number(d.sendHour);
  if (d.timeZone !== before.timeZone) patch.timeZone = d.timeZone || null;
  if (JSON.stringify(triggerOf(d)) !== JSON.stringify(triggerOf(before))) patch.trigger = triggerOf(d);
  if (d.exitEvent.trim() !== before.exitEvent || d.exitTagId !== before.exitTagId) patch.exit = { event: d.exitEvent.trim() || null, tagId: d.exitTagId };
  if (d.reentry !== before.reentry) patch.reentry = d.reentry;
  if (d.utmCampaign.trim() !== before.utmCampaign) patch.utmCampaign = d.utmCampaign.trim() || null;
  return patch;
}

/**
 * Offsets are saved one step at a time and must never go backwards in between: raise offsets from
 * the last step to the first, then lower them from the first to the last. Every intermediate
 * arrangement is then as ordered as the target one.
 */
function offsetChanges(s: Series, d: Draft): { stepId: string; offsetDays: number }[] {
  const changed = s.steps.filter((step) => d.offsets[step.id] !== '' && d.offsets[step.id] !== step.offsetDays).map((step) => ({ step, to: d.offsets[step.id] as number }));
  const raised = changed.filter((c) => c.to > c.step.offsetDays).sort((a, b) => b.step.position - a.step.position);
  const lowered = changed.filter((c) => c.to < c.step.offsetDays).sort((a, b) => a.step.position - b.step.position);
  return [...raised, ...lowered].map((c) => ({ stepId: c.step.id, offsetDays: c.to }));
}

const TRIGGERS: { value: TriggerType; label: string; description: string }[] = [
  { value: 'manual', label: 'An audience, once', description: 'You start it for segments or tags; everyone in them is enrolled at that moment.' },
  { value: 'segment', label: 'Entering a segment', description: 'Contacts are enrolled as they come to match the segment.' },
  { value: 'tag', label: 'Getting a tag', description: 'Contacts are enrolled when the tag is added to them.' },
  { value: 'api', label: 'Through the API', description: 'Your app enrols contacts, e.g. right after sign-up.' },
  { value: 'event', label: 'A named event', description: 'Contacts with a matching event after the series started are enrolled.' },
];

const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: hourLabel(h) }));
const OWN_ZONE = { value: '', label: 'Each contact’s own time zone' };

const offsetField = (position: number) => `steps[${position}].offsetDays`;
const onForm = (field: string) =>
  ['sendHour', 'timeZone', 'reentry', 'utmCampaign'].includes(field) || field.startsWith('trigger') || field.startsWith('exit') || /^steps\[\d+\]\.offsetDays$/.test(field);

/** The cadence editor: when each email goes out, what enrols contacts, what makes them leave. */
export function CadencePanel({ series, editable }: { series: Series; editable: boolean }) {
  const updated = useSeriesUpdated();
  const segments = useBrandQuery([AUDIENCE_KEYS.segments, 'list', 'picker'], () => api.segments.list({ limit: 100 }));
  const tags = useTags();
  const errors = useFormErrors(onForm);
  const [draft, setDraft] = useState<Draft>(() => draftOf(series));
  const [saving, setSaving] = useState(false);
  const base = draftOf(series);

  // The series can change under the form (refine box, another tab): follow it while nothing is edited here.
  const dirty = JSON.stringify(draft) !== JSON.stringify(base);
  const baseKey = JSON.stringify(base);
  const previousBase = useRef(base);
  useEffect(() => {
    const previous = previousBase.current;
    previousBase.current = base;
    if (!saving) setDraft((d) => rebased(d, previous, base));
  }, [baseKey]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
  };

  async function save(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setSaving(true);
    let current = series;
    try {
      const patch = patchOf(series, draft);
      if (Object.keys(patch).length > 0) current = await seriesApi.update(series.id, patch);
      for (const change of offsetChanges(series, draft)) {
        try {
          current = await seriesApi.setOffset(series.id, change.stepId, change.offsetDays);
        } catch (err) {
          // The cadence check names `steps[i].offsetDays`, the step's own validation `offsetDays`: both belong on that step's field.
          const field = offsetField(series.steps.find((s) => s.id === change.stepId)?.position ?? 0);
          throw err instanceof ApiError
            ? new ApiError(
                err.status,
                err.code,
                err.message,
                err.issues.map((i) => (i.field === 'offsetDays' ? { ...i, field } : i)),
              )
            : err;
        }
      }
      await updated(current);
      setDraft(draftOf(current));
      notifications.show({ color: 'teal', message: 'Cadence saved.' });
    } catch (err) {
      if (current !== series) await updated(current);
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  const segmentName = (id: string | null) => segments.data?.data.find((s) => s.id === id)?.name;
  const trigger = TRIGGERS.find((t) => t.value === draft.triggerType);

  return (
    <form onSubmit={save} noValidate data-testid="cadence">
      {errors.message && (
        <Alert color="red" variant="light" mb="lg" icon={<IconAlertCircle size={18} />} title="Not saved">
          {errors.message}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <FormSection title="Timing" description="Each email goes out the given number of days after the contact enrols, at the send hour. Day 0 goes out right away.">
            <Table withRowBorders verticalSpacing={6} horizontalSpacing="xs" data-testid="offsets">
              <Table.Tbody>
                {series.steps.map((step) => {
                  const error = errors.fields[offsetField(step.position)];
                  const errorId = `offset-error-${step.id}`;
                  return (
                    <Table.Tr key={step.id}>
                      <Table.Td w={70} style={{ verticalAlign: 'top' }}>
                        <Text size="sm" fw={600} mt={4}>
                          {emailLabel(step.position)}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ verticalAlign: 'top' }}>
                        <Text size="sm" truncate maw={260}>
                          {stepSubject(step)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {step.role}
                        </Text>
                        {/* The reason can be long: it gets the row's width, not the narrow input's. */}
                        {error && (
                          <Text size="xs" c="red.7" mt={4} id={errorId}>
                            {error}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td w={130} style={{ verticalAlign: 'top' }}>
                        <NumberInput
                          aria-label={`Day of ${emailLabel(step.position).toLowerCase()}`}
                          aria-describedby={error ? errorId : undefined}
                          leftSection={
                            <Text size="xs" c="dimmed">
                              Day
                            </Text>
                          }
                          leftSectionWidth={40}
                          min={0}
                          allowDecimal={false}
                          allowNegative={false}
                          value={draft.offsets[step.id] ?? ''}
                          onChange={(v) => {
                            set('offsets', { ...draft.offsets, [step.id]: typeof v === 'number' ? v : '' });
                            errors.clearField(offsetField(step.position));
                          }}
                          error={Boolean(error)}
                          disabled={!editable}
                          size="xs"
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Group align="flex-start" wrap="nowrap">
              <Select
                w={120}
                label="Send hour"
                data={HOURS}
                value={draft.sendHour}
                onChange={(v) => v && set('sendHour', v)}
                allowDeselect={false}
                error={errors.fields.sendHour}
                disabled={!editable}
              />
              <Select
                style={{ flex: 1 }}
                label="Time zone"
                data={[OWN_ZONE, ...timeZones(draft.timeZone || 'UTC').map((z) => ({ value: z, label: z }))]}
                value={draft.timeZone}
                onChange={(v) => set('timeZone', v ?? '')}
                searchable
                allowDeselect={false}
                limit={200}
                error={errors.fields.timeZone}
                disabled={!editable}
              />
            </Group>
            <Text size="xs" c="dimmed" mt={-6}>
              {draft.timeZone
                ? `Everyone gets each email at ${hourLabel(Number(draft.sendHour))} in ${draft.timeZone}.`
                : `Each contact gets it at ${hourLabel(Number(draft.sendHour))} where they are; contacts without a time zone use the brand’s.`}
            </Text>
            <TextInput
              label="utm_campaign"
              description="One campaign name for every link of the series, so analytics see one journey"
              placeholder="welcome-flow"
              value={draft.utmCampaign}
              onChange={(e) => set('utmCampaign', e.currentTarget.value)}
              error={errors.fields.utmCampaign}
              disabled={!editable}
            />
          </FormSection>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <FormSection title="Who enters" description={trigger?.description}>
              <Select
                label="Trigger"
                data={TRIGGERS.map(({ value, label }) => ({ value, label }))}
                value={draft.triggerType}
                onChange={(v) => v && set('triggerType', v as TriggerType)}
                allowDeselect={false}
                error={errors.fields.trigger ?? errors.fields['trigger.type']}
                disabled={!editable}
              />
              {draft.triggerType === 'segment' && (
                <Select
                  label="Segment"
                  placeholder={segments.data?.data.length === 0 ? 'No segments yet' : 'Pick a segment'}
                  data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                  value={draft.segmentId}
                  onChange={(v) => set('segmentId', v)}
                  searchable
                  error={errors.fields['trigger.segmentId']}
                  disabled={!editable}
                />
              )}
              {draft.triggerType === 'tag' && (
                <Select
                  label="Tag"
                  placeholder={tags.data?.data.length === 0 ? 'No tags yet' : 'Pick a tag'}
                  data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                  value={draft.tagId}
                  onChange={(v) => set('tagId', v)}
                  searchable
                  error={errors.fields['trigger.tagId']}
                  disabled={!editable}
                />
              )}
              {draft.triggerType === 'event' && (
                <TextInput
                  label="Event name"
                  placeholder="order.placed"
                  value={draft.eventName}
                  onChange={(e) => set('eventName', e.currentTarget.value)}
                  error={errors.fields['trigger.name']}
                  disabled={!editable}
                />
              )}
              {draft.triggerType === 'api' && (
                <Alert variant="light" color="blue" icon={<IconInfoCircle size={16} />} p="xs">
                  <Text size="xs">
                    Enrol a contact with <Code>POST /api/v1/series/{series.id}/enrolments</Code> and <Code>{'{"email": "…"}'}</Code> or <Code>{'{"contactId": "…"}'}</Code>.
                  </Text>
                </Alert>
              )}
              {draft.triggerType === 'segment' && draft.segmentId && (
                <Text size="xs" c="dimmed">
                  Checked at every scheduler tick: contacts who newly match {segmentName(draft.segmentId) ?? 'the segment'} are enrolled.
                </Text>
              )}
            </FormSection>
            <FormSection title="Who leaves" description="Contacts always leave when they unsubscribe, bounce or complain, or when you remove them. Add goals that end the series early.">
              <TextInput
                label="Goal event"
                description="Leave when an event of this name is recorded after enrolling"
                placeholder="order.placed"
                value={draft.exitEvent}
                onChange={(e) => set('exitEvent', e.currentTarget.value)}
                error={errors.fields['exit.event'] ?? errors.fields.exit}
                disabled={!editable}
              />
              <Select
                label="Goal tag"
                description="Leave when the contact has this tag"
                placeholder={tags.data?.data.length === 0 ? 'No tags yet' : 'No goal tag'}
                data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                value={draft.exitTagId}
                onChange={(v) => set('exitTagId', v)}
                searchable
                clearable
                error={errors.fields['exit.tagId']}
                disabled={!editable}
              />
              <Radio.Group label="Re-entry" value={draft.reentry} onChange={(v) => set('reentry', v as Reentry)} error={errors.fields.reentry}>
                <Stack gap="xs" mt={6}>
                  <Radio value="never" label="Never" description="A contact goes through the series once." disabled={!editable} />
                  <Radio value="after-exit" label="After they leave" description="A contact can be enrolled again once their previous enrolment has ended." disabled={!editable} />
                </Stack>
              </Radio.Group>
            </FormSection>
          </Stack>
        </Grid.Col>
      </Grid>
      {editable && (
        <SaveBar
          dirty={dirty}
          saving={saving}
          onDiscard={() => {
            setDraft(draftOf(series));
            errors.clear();
          }}
          saveLabel="Save cadence"
        />
      )}
    </form>
  );
}

/**
 * The series changed on the server (refine box, another tab): fields the user has not touched take
 * the server's new values, edited ones keep the edit; steps added or removed come and go.
 */
function rebased(d: Draft, previous: Draft, next: Draft): Draft {
  const pick = <T,>(mine: T, was: T, now: T) => (JSON.stringify(mine) === JSON.stringify(was) ? now : mine);
  const offsets = Object.fromEntries(Object.keys(next.offsets).map((id) => [id, id in d.offsets ? pick(d.offsets[id], previous.offsets[id], next.offsets[id]) : next.offsets[id]]));
  const out = { ...d, offsets } as Draft;
  for (const key of Object.keys(next) as (keyof Draft)[]) {
    if (key !== 'offsets') (out as unknown as Record<string, unknown>)[key] = pick(d[key], previous[key], next[key]);
  }
  return out;
}
