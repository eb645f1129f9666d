import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Card, Checkbox, Group, Loader, Modal, MultiSelect, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconAlertOctagon, IconPlayerPlay, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/QueryState.tsx';
import { useFormErrors } from '../../lib/forms.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { AUDIENCE_KEYS, useTags } from '../audience/queries.ts';
import { useLatestPreflight } from '../emails/queries.ts';
import { seriesApi, type Audience, type Series, type SeriesStep } from './api.ts';
import { emailLabel, stepSubject, triggerLabel } from './labels.tsx';
import { criticalCount, useSeriesPreflight, type PreflightRun } from './preflight.ts';
import { useSeriesUpdated } from './queries.ts';

const onForm = (field: string) => field.startsWith('audience');

type Mode = 'start' | 'enrol' | 'resume';
const MODES: Record<Mode, { title: string; button: string; done(name: string): string }> = {
  start: { title: 'Start the series', button: 'Start series', done: (name) => `“${name}” is running.` },
  enrol: { title: 'Enrol an audience', button: 'Enrol', done: () => 'Audience enrolled.' },
  resume: { title: 'Resume the series', button: 'Resume', done: (name) => `“${name}” is running again.` },
};

/**
 * Start a draft series, enrol one more audience into a running one, or resume a paused one.
 * Preflight runs first (emails may have changed): critical findings block, and a manager may
 * override them (the API audits it).
 */
export function StartModal({ series, opened, onClose }: { series: Series; opened: boolean; onClose(): void }) {
  const { isManager } = useSignedIn();
  const updated = useSeriesUpdated();
  const preflight = useSeriesPreflight(series.id);
  const segments = useBrandQuery([AUDIENCE_KEYS.segments, 'list', 'picker'], () => api.segments.list({ limit: 100 }), { enabled: opened });
  const tags = useTags();
  const errors = useFormErrors(onForm);
  const [audience, setAudience] = useState<Audience>({ segmentIds: [], tagIds: [] });
  const [override, setOverride] = useState(false);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);
  const [run, setRun] = useState<PreflightRun | null>(null);
  const [busy, setBusy] = useState(false);
  const mode: Mode = series.status === 'draft' ? 'start' : series.status === 'paused' ? 'resume' : 'enrol';
  const manual = series.trigger.type === 'manual' || mode === 'enrol';
  const gated = mode !== 'enrol';

  async function check() {
    setChecking(true);
    setCheckError(null);
    try {
      setRun(await preflight.run());
    } catch (err) {
      setCheckError(err);
    } finally {
      setChecking(false);
    }
  }

  // Check the emails as they are now, every time the dialog opens.
  useEffect(() => {
    if (!opened) return;
    setAudience({ segmentIds: [], tagIds: [] });
    setOverride(false);
    setRun(null);
    errors.clear();
    // Enrolling more contacts into a running series sends what was already checked: no gate then.
    if (gated) void check();
  }, [opened]);

  const critical = run ? criticalCount(run.report) : 0;
  const chosen = audience.segmentIds.length + audience.tagIds.length > 0;
  const blocked = critical > 0 && !override;
  const ready = (!gated || (run !== null && !blocked)) && (chosen || !manual || mode === 'resume');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!ready) return;
    errors.clear();
    setBusy(true);
    try {
      const after =
        mode === 'resume' ? await seriesApi.resume(series.id, critical > 0) : await seriesApi.start(series.id, { ...(chosen ? { audience } : {}), ...(critical > 0 ? { override: true } : {}) });
      await updated(after);
      notifications.show({ color: 'teal', message: MODES[mode].done(series.name) });
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={busy ? () => undefined : onClose} title={<Text fw={600}>{MODES[mode].title}</Text>} size="lg" closeOnClickOutside={!busy}>
      <form onSubmit={submit} noValidate data-testid="start-dialog">
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title={mode === 'resume' ? 'Not resumed' : 'Not started'}>
              {errors.message}
            </Alert>
          )}
          <Text size="sm" c="dimmed">
            {mode === 'resume'
              ? 'The emails are checked again, as they may have changed while the series was paused. Steps that fell due meanwhile go out at the next ticks, one at a time for each contact.'
              : manual
                ? 'Everyone in these segments and tags who can receive marketing email is enrolled now, once. Email 1 goes out right away if it is on day 0; the others follow on their days.'
                : `Starting turns on the trigger — ${triggerLabel(series.trigger, { segment: (id) => segments.data?.data.find((s) => s.id === id)?.name, tag: (id) => tags.data?.data.find((t) => t.id === id)?.name }).toLowerCase()}. You can also enrol an audience now.`}
          </Text>
          {mode !== 'resume' && (
            <Group grow align="flex-start">
              <MultiSelect
                label="Segments"
                placeholder={segments.data?.data.length === 0 ? 'No segments yet' : 'Pick segments'}
                data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                value={audience.segmentIds}
                onChange={(segmentIds) => setAudience((a) => ({ ...a, segmentIds }))}
                searchable
                clearable
                error={errors.fields['audience.segmentIds'] ?? errors.fields.audience}
                disabled={segments.isPending}
                comboboxProps={{ withinPortal: true }}
              />
              <MultiSelect
                label="Tags"
                placeholder={tags.data?.data.length === 0 ? 'No tags yet' : 'Pick tags'}
                data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                value={audience.tagIds}
                onChange={(tagIds) => setAudience((a) => ({ ...a, tagIds }))}
                searchable
                clearable
                error={errors.fields['audience.tagIds']}
                disabled={tags.isPending}
              />
            </Group>
          )}
          {gated && (
            <PreflightGate
              series={series}
              run={run}
              checking={checking}
              error={checkError}
              critical={critical}
              isManager={isManager}
              override={override}
              onOverride={setOverride}
              onRetry={() => void check()}
            />
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={busy} disabled={!ready}>
              {MODES[mode].button}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface GateProps {
  series: Series;
  run: PreflightRun | null;
  checking: boolean;
  error: unknown;
  critical: number;
  isManager: boolean;
  override: boolean;
  onOverride(value: boolean): void;
  onRetry(): void;
}

function PreflightGate({ series, run, checking, error, critical, isManager, override, onOverride, onRetry }: GateProps) {
  if (error) return <ErrorAlert error={error} onRetry={onRetry} />;
  if (!run || checking)
    return (
      <Paper p="sm" bg="var(--mantine-color-gray-0)" role="status">
        <Group gap="xs">
          <Loader size={14} />
          <Text size="sm">Running preflight on every email and on the series…</Text>
        </Group>
      </Paper>
    );
  if (critical === 0)
    return (
      <Paper p="sm" bg="var(--mantine-color-teal-0)">
        <Group gap="xs" wrap="nowrap">
          <IconShieldCheck size={18} color="var(--mantine-color-teal-7)" />
          <Text size="sm">Preflight found nothing that blocks the start.</Text>
        </Group>
      </Paper>
    );
  const { report } = run;
  const steps = report.steps.filter((s) => s.counts.critical > 0);
  const seriesCritical = report.series.filter((f) => f.severity === 'critical');
  return (
    <Card bg="var(--mantine-color-red-0)" style={{ borderColor: 'var(--mantine-color-red-3)' }} data-testid="start-blocked">
      <Group gap="xs" mb="xs" wrap="nowrap">
        <IconAlertOctagon size={18} color="var(--mantine-color-red-7)" />
        <Text size="sm" fw={600} c="red.8">
          {critical === 1 ? 'A critical finding blocks the start' : `${critical} critical findings block the start`}
        </Text>
      </Group>
      <Stack gap={6} mb="sm">
        {seriesCritical.map((f, i) => (
          <Text key={`${f.id}-${i}`} size="sm">
            <b>Series:</b> {f.message}
          </Text>
        ))}
        {steps.map((s) => {
          const step = series.steps.find((one) => one.id === s.stepId);
          return step?.emailId ? <StepCriticals key={s.stepId} position={s.position} step={step} emailId={step.emailId} /> : null;
        })}
      </Stack>
      {isManager ? (
        <Checkbox
          label="Start anyway — I have reviewed the critical findings"
          description="As a manager you may override; the override is recorded in the audit log."
          checked={override}
          onChange={(e) => onOverride(e.currentTarget.checked)}
          color="red"
        />
      ) : (
        <Text size="sm">Fix them in the editor and check again, or ask a manager of this brand to review and override.</Text>
      )}
    </Card>
  );
}

/** The critical findings of one email, from the report the series preflight just wrote. */
function StepCriticals({ position, step, emailId }: { position: number; step: SeriesStep; emailId: string }) {
  const latest = useLatestPreflight(emailId);
  const findings = (latest.data?.findings ?? []).filter((f) => f.severity === 'critical');
  return (
    <div>
      <Text size="sm">
        <b>{emailLabel(position)}</b>
        {' · '}
        <Anchor component={Link} to={`/emails/${emailId}`} size="sm">
          {stepSubject(step)}
        </Anchor>
      </Text>
      {findings.map((f, i) => (
        <Text key={`${f.id}-${i}`} size="xs" c="red.9" pl="sm">
          • {f.message}
        </Text>
      ))}
    </div>
  );
}
