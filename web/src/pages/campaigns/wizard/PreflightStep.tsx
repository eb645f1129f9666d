import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Checkbox, Grid, Group, Loader, Paper, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconAlertOctagon, IconExternalLink, IconRefresh, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { FindingsList } from '../../../components/campaign/FindingsList.tsx';
import { ScoreRing, SeverityCounts } from '../../../components/email/PreflightScore.tsx';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { emailsApi } from '../../emails/api.ts';
import { EMAILS, useLatestPreflight, usePreflightCache } from '../../emails/queries.ts';
import type { Campaign } from '../api.ts';
import { WizardFooter } from './WizardFooter.tsx';

interface Props {
  campaign: Campaign;
  override: boolean;
  onOverride(value: boolean): void;
  onBack(): void;
  onNext(): void;
}

/**
 * Step 5: preflight on the email's current version. Critical findings block sending; a manager may
 * override them (the send records the override in the audit log).
 */
export function PreflightStep({ campaign, override, onOverride, onBack, onNext }: Props) {
  const emailId = campaign.emailId ?? '';
  const { isManager } = useSignedIn();
  const email = useBrandQuery([EMAILS, emailId], () => emailsApi.get(emailId), { enabled: Boolean(emailId) });
  const latest = useLatestPreflight(emailId);
  const cache = usePreflightCache(emailId);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run() {
    setError(null);
    setRunning(true);
    try {
      cache.set(await emailsApi.preflight(emailId));
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  }

  const report = latest.data ?? null;
  const stale = Boolean(report && email.data && report.version !== email.data.version);
  // Check the version that will be sent: run at once when there is no report for it yet.
  useEffect(() => {
    if (latest.isSuccess && email.isSuccess && (!report || stale) && !running && !error) void run();
  }, [latest.isSuccess, email.isSuccess, report?.version, email.data?.version]);

  const critical = report && !stale ? report.counts.critical : 0;
  const blocked = critical > 0 && !override;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (report && !stale && !blocked) onNext();
  }

  return (
    <form onSubmit={submit} noValidate>
      {error ? <ErrorAlert error={error} onRetry={() => void run()} /> : null}
      {latest.isError && <ErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />}
      {!report || stale || latest.isPending ? (
        <Card padding={48}>
          <Stack align="center" gap="xs" role="status">
            <Loader size="sm" />
            <Text size="sm" fw={500}>
              Running preflight…
            </Text>
            <Text size="xs" c="dimmed" ta="center" maw={420}>
              Rendering the final message for full, missing and hostile sample data, then checking size, links, images, accessibility, headers, unsubscribe and spam score.
            </Text>
          </Stack>
        </Card>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 4 }}>
            <Card>
              <Stack align="center" gap="sm">
                <ScoreRing counts={{ score: report.score, ...report.counts }} />
                <SeverityCounts counts={report.counts} />
                <Tooltip label={formatDateTime(report.ranAt)}>
                  <Text size="xs" c="dimmed">
                    Version {report.version} · checked {timeAgo(report.ranAt)}
                  </Text>
                </Tooltip>
                <Group gap="xs" grow w="100%">
                  <Button variant="default" size="xs" leftSection={<IconRefresh size={14} />} loading={running} onClick={() => void run()}>
                    Run again
                  </Button>
                  <Button variant="default" size="xs" component={Link} to={`/emails/${emailId}`} leftSection={<IconExternalLink size={14} />}>
                    Fix in editor
                  </Button>
                </Group>
              </Stack>
            </Card>
            {critical > 0 && (
              <Card mt="lg" bg="var(--mantine-color-red-0)" style={{ borderColor: 'var(--mantine-color-red-3)' }}>
                <Group gap="xs" mb="xs" wrap="nowrap">
                  <IconAlertOctagon size={18} color="var(--mantine-color-red-7)" />
                  <Text size="sm" fw={600} c="red.8">
                    {critical === 1 ? 'A critical finding blocks sending' : `${critical} critical findings block sending`}
                  </Text>
                </Group>
                {isManager ? (
                  <Checkbox
                    label="Send anyway — I have reviewed the critical findings"
                    description="As a manager you may override; the override is recorded in the audit log."
                    checked={override}
                    onChange={(e) => onOverride(e.currentTarget.checked)}
                    color="red"
                  />
                ) : (
                  <Text size="sm">Fix them in the editor and run preflight again, or ask a manager of this brand to review and override.</Text>
                )}
              </Card>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 8 }}>
            {report.findings.length === 0 ? (
              <Paper p="lg" radius="md" bg="var(--mantine-color-teal-0)">
                <Group gap="sm" wrap="nowrap">
                  <ThemeIcon color="teal" radius="xl" variant="light">
                    <IconShieldCheck size={16} />
                  </ThemeIcon>
                  <Text size="sm">No findings. This email is ready to send.</Text>
                </Group>
              </Paper>
            ) : (
              <Card>
                <Title order={2} mb="md">
                  Findings
                </Title>
                <FindingsList findings={report.findings} />
              </Card>
            )}
          </Grid.Col>
        </Grid>
      )}
      {blocked && !isManager && (
        <Alert color="red" variant="light" mt="lg">
          Sending is blocked until the critical findings are fixed or a manager overrides them.
        </Alert>
      )}
      <WizardFooter onBack={onBack} nextDisabled={!report || stale || blocked} />
    </form>
  );
}
