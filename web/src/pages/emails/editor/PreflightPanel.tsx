import { useState } from 'react';
import { Alert, Badge, Button, Card, Code, EmptyState, Group, Loader, Paper, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconAlertOctagon, IconAlertTriangle, IconBulb, IconCurrentLocation, IconDeviceDesktop, IconRefresh, IconShieldCheck, IconWand } from '@tabler/icons-react';
import { ScoreRing, SEVERITY_COLORS, SeverityCounts } from '../../../components/email/PreflightScore.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { emailsApi, type Email, type Finding, type PreflightReport, type Severity } from '../api.ts';
import { useLatestPreflight, usePreflightCache } from '../queries.ts';
import { DevicePreviewsModal } from './DevicePreviewsModal.tsx';
import { PERSONA_OPTIONS } from './PreviewPane.tsx';

const SEVERITY_INFO: Record<Severity, { title: string; icon: typeof IconAlertOctagon; hint: string }> = {
  critical: { title: 'Critical', icon: IconAlertOctagon, hint: 'Blocks sending until fixed or overridden' },
  important: { title: 'Important', icon: IconAlertTriangle, hint: 'Likely to hurt delivery or reading' },
  suggested: { title: 'Suggested', icon: IconBulb, hint: 'Worth a look' },
};

interface Props {
  email: Email;
  readOnly: boolean;
  /** Saves pending changes first (preflight checks the saved email); false when saving failed. */
  prepare(): Promise<boolean>;
  onEmailChanged(email: Email): Promise<void>;
  onLocate(finding: Finding): void;
}

/** S4: run every check on the final message, read the score and findings, locate and fix them. */
export function PreflightPanel({ email, readOnly, prepare, onEmailChanged, onLocate }: Props) {
  const latest = useLatestPreflight(email.id);
  const cache = usePreflightCache(email.id);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fixing, setFixing] = useState<string | null>(null);
  const [previews, setPreviews] = useState(false);

  async function run() {
    setError(null);
    setRunning(true);
    try {
      if (!(await prepare())) {
        setError('Your unsaved changes have problems: fix them first, preflight checks the saved email.');
        return;
      }
      cache.set(await emailsApi.preflight(email.id));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  }

  async function applyFix(finding: Finding) {
    if (!finding.autofix) return;
    setFixing(finding.autofix.id);
    try {
      if (!(await prepare())) return;
      const { email: fixed, report } = await emailsApi.applyFix(email.id, finding.autofix.id);
      cache.set(report);
      await onEmailChanged(fixed);
      notifications.show({ color: 'teal', message: `${finding.autofix.label}: done, saved as version ${fixed.version}.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'The fix did not apply', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setFixing(null);
    }
  }

  const report = latest.data ?? null;

  return (
    <Stack gap="md" p="md">
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} title="Preflight did not run">
          {error}
        </Alert>
      )}
      {latest.isPending ? (
        <Group justify="center" py="xl">
          <Loader size="sm" />
        </Group>
      ) : latest.isError ? (
        <Alert color="red" variant="light">
          {latest.error.message}
        </Alert>
      ) : running && !report ? (
        <Running />
      ) : !report ? (
        <EmptyState
          icon={<IconShieldCheck size={26} stroke={1.6} />}
          variant="light"
          title="Check before you send"
          description="Preflight renders the final message for three sample contacts and checks size and clipping, links, images, accessibility, headers, unsubscribe, merge tags and spam score."
        >
          <EmptyState.Actions>
            <Button leftSection={<IconShieldCheck size={16} />} onClick={() => void run()}>
              Run preflight
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      ) : (
        <>
          <Summary report={report} email={email} running={running} onRun={() => void run()} onPreviews={() => setPreviews(true)} />
          <Findings report={report} readOnly={readOnly} fixing={fixing} onLocate={onLocate} onFix={(f) => void applyFix(f)} />
        </>
      )}
      <DevicePreviewsModal emailId={email.id} opened={previews} onClose={() => setPreviews(false)} />
    </Stack>
  );
}

function Running() {
  return (
    <Stack align="center" gap="xs" py="xl" role="status">
      <Loader size="sm" />
      <Text size="sm" fw={500}>
        Running preflight…
      </Text>
      <Text size="xs" c="dimmed" ta="center">
        Rendering for full, missing and hostile sample data, then checking the final messages.
      </Text>
    </Stack>
  );
}

function Summary({ report, email, running, onRun, onPreviews }: { report: PreflightReport; email: Email; running: boolean; onRun(): void; onPreviews(): void }) {
  const stale = report.version !== email.version;
  const { spam } = report;
  return (
    <Card padding="md">
      <Group gap="md" wrap="nowrap" align="center">
        <ScoreRing counts={{ score: report.score, ...report.counts }} size={104} />
        <Stack gap={6} style={{ minWidth: 0 }}>
          <SeverityCounts counts={report.counts} />
          <Tooltip label={formatDateTime(report.ranAt)}>
            <Text size="xs" c="dimmed">
              Version {report.version} · checked {timeAgo(report.ranAt)}
            </Text>
          </Tooltip>
          <Text size="xs" data-testid="spam-engine">
            {spam.engine === 'spamassassin' ? (
              <>
                SpamAssassin · score <b>{spam.score.toFixed(1)}</b> / {spam.threshold}
              </>
            ) : (
              <>
                Heuristic spam score <b>{spam.score.toFixed(1)}</b> / {spam.threshold}{' '}
                <Text span c="dimmed" size="xs">
                  (SpamAssassin not installed)
                </Text>
              </>
            )}
          </Text>
        </Stack>
      </Group>
      {spam.note && (
        <Text size="xs" c="dimmed" mt="xs">
          {spam.note}
        </Text>
      )}
      {stale && (
        <Alert color="yellow" variant="light" p="xs" mt="sm" icon={<IconAlertTriangle size={16} />}>
          The email changed since (now version {email.version}). Run preflight again before sending.
        </Alert>
      )}
      <Group gap="xs" mt="md" grow>
        <Button variant={stale ? 'filled' : 'default'} size="xs" leftSection={<IconRefresh size={14} />} loading={running} onClick={onRun}>
          Run again
        </Button>
        <Button variant="default" size="xs" leftSection={<IconDeviceDesktop size={14} />} onClick={onPreviews}>
          Device previews
        </Button>
      </Group>
    </Card>
  );
}

function Findings({ report, readOnly, fixing, onLocate, onFix }: { report: PreflightReport; readOnly: boolean; fixing: string | null; onLocate(f: Finding): void; onFix(f: Finding): void }) {
  if (report.findings.length === 0) {
    return (
      <Paper p="md" radius="md" bg="var(--mantine-color-teal-0)">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon color="teal" radius="xl" variant="light">
            <IconShieldCheck size={16} />
          </ThemeIcon>
          <Text size="sm">No findings. This email is ready to send.</Text>
        </Group>
      </Paper>
    );
  }
  return (
    <Stack gap="lg">
      {(['critical', 'important', 'suggested'] as const).map((severity) => {
        const list = report.findings.filter((f) => f.severity === severity);
        if (list.length === 0) return null;
        const { title, icon: Icon, hint } = SEVERITY_INFO[severity];
        return (
          <Stack key={severity} gap="xs" data-testid={`findings-${severity}`}>
            <Group gap={6}>
              <Icon size={16} color={`var(--mantine-color-${SEVERITY_COLORS[severity]}-6)`} />
              <Title order={3} fz="sm">
                {title}
              </Title>
              <Badge size="xs" variant="light" color={SEVERITY_COLORS[severity]} circle>
                {list.length}
              </Badge>
              <Text size="xs" c="dimmed">
                {hint}
              </Text>
            </Group>
            {list.map((f, i) => (
              <FindingCard key={`${f.id}-${i}`} finding={f} readOnly={readOnly} fixing={fixing === f.autofix?.id} onLocate={() => onLocate(f)} onFix={() => onFix(f)} />
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}

function FindingCard({ finding: f, readOnly, fixing, onLocate, onFix }: { finding: Finding; readOnly: boolean; fixing: boolean; onLocate(): void; onFix(): void }) {
  // Header findings carry an excerpt but no element: only block or element findings can be shown in the email.
  const canLocate = Boolean(f.location.blockId || (f.location.selector && f.location.excerpt));
  const persona = f.location.persona ? PERSONA_OPTIONS.find((p) => p.value === f.location.persona) : null;
  return (
    <Paper withBorder radius="md" p="sm" style={{ borderLeft: `3px solid var(--mantine-color-${SEVERITY_COLORS[f.severity]}-5)` }} data-testid="finding">
      <Text size="sm" fw={500} lh={1.4}>
        {f.message}
      </Text>
      {f.fix && (
        <Text size="xs" c="dimmed" mt={4} lh={1.45}>
          {f.fix}
        </Text>
      )}
      {f.location.excerpt && !f.location.blockId && (
        <Code block mt={6} fz={11} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {f.location.excerpt}
        </Code>
      )}
      <Group justify="space-between" mt={8} gap={6}>
        <Group gap={4}>
          <Code fz={10}>{f.id}</Code>
          {persona && (
            <Tooltip label={persona.hint}>
              <Badge size="xs" variant="outline" color="gray" radius="sm" tt="none">
                {persona.label}
              </Badge>
            </Tooltip>
          )}
        </Group>
        <Group gap={4}>
          {canLocate && (
            <Button size="compact-xs" variant="subtle" leftSection={<IconCurrentLocation size={12} />} onClick={onLocate}>
              Locate
            </Button>
          )}
          {f.autofix && !readOnly && (
            <Button size="compact-xs" variant="light" leftSection={<IconWand size={12} />} loading={fixing} onClick={onFix}>
              {f.autofix.label}
            </Button>
          )}
        </Group>
      </Group>
    </Paper>
  );
}
