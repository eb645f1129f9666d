import { Fragment, useState } from 'react';
import { Anchor, Badge, Button, Card, Center, Group, Paper, Skeleton, Stack, Table, Text, ThemeIcon, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconExternalLink, IconRefresh, IconShieldCheck, IconShieldSearch } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { FindingsList } from '../../components/campaign/FindingsList.tsx';
import { PreflightBadge, scoreColor, SeverityCounts } from '../../components/email/PreflightScore.tsx';
import { ErrorAlert } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useLatestPreflight } from '../emails/queries.ts';
import type { Series, SeriesPreflight } from './api.ts';
import { emailLabel, stepSubject } from './labels.tsx';
import { criticalCount, type PreflightRun } from './preflight.ts';

interface Props {
  series: Series;
  last: PreflightRun | null;
  running: boolean;
  error: unknown;
  onRun(): void;
}

/** S4.4: every email's own checks plus the checks of the series as a whole, with their findings. */
export function PreflightPanel({ series, last, running, error, onRun }: Props) {
  return (
    <Stack gap="lg" data-testid="series-preflight">
      {error ? <ErrorAlert error={error} onRetry={onRun} /> : null}
      {!last ? (
        <Card padding={48}>
          <Stack align="center" gap="sm" role="status">
            <ThemeIcon size={44} radius="xl" variant="light">
              <IconShieldSearch size={24} />
            </ThemeIcon>
            <Text fw={600}>{running ? 'Checking every email and the series…' : 'Check the series before you start it'}</Text>
            <Text size="sm" c="dimmed" ta="center" maw={520}>
              Each email is rendered and checked on its own — links, images, size, accessibility, unsubscribe, spam score — and the series is checked as a whole: one sender, unique subjects, at least
              a day between emails, an unsubscribe link and postal address in each, one utm_campaign.
            </Text>
            <Button leftSection={<IconShieldSearch size={16} />} loading={running} onClick={onRun}>
              Run preflight
            </Button>
          </Stack>
        </Card>
      ) : (
        <Report series={series} run={last} running={running} onRun={onRun} />
      )}
    </Stack>
  );
}

function Report({ series, run, running, onRun }: { series: Series; run: PreflightRun; running: boolean; onRun(): void }) {
  const { report } = run;
  const critical = criticalCount(report);
  return (
    <>
      <Card style={{ opacity: running ? 0.6 : 1 }}>
        <Group justify="space-between" wrap="wrap" gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={40} radius="xl" variant="light" color={report.ok ? 'teal' : critical > 0 ? 'red' : 'orange'}>
              <IconShieldCheck size={22} />
            </ThemeIcon>
            <div>
              <Text fw={600} data-testid="preflight-verdict">
                {critical > 0 ? `${critical} critical ${critical === 1 ? 'finding blocks' : 'findings block'} the start` : report.ok ? 'Ready to start' : 'No blockers; some findings are worth a look'}
              </Text>
              <Tooltip label={formatDateTime(run.ranAt)}>
                <Text size="xs" c="dimmed">
                  {report.steps.length} emails and {report.series.length} series {report.series.length === 1 ? 'finding' : 'findings'} · checked {timeAgo(run.ranAt)}
                </Text>
              </Tooltip>
            </div>
          </Group>
          <Button variant="default" leftSection={<IconRefresh size={16} />} loading={running} onClick={onRun}>
            Run again
          </Button>
        </Group>
      </Card>
      <Card>
        <Title order={2} mb="md">
          The series as a whole
        </Title>
        {report.series.length === 0 ? (
          <Paper p="md" bg="var(--mantine-color-teal-0)">
            <Text size="sm">Same sender everywhere, no repeated subject, at least a day between emails, unsubscribe and address in each, one utm_campaign: all good.</Text>
          </Paper>
        ) : (
          <FindingsList findings={report.series} />
        )}
      </Card>
      <Card padding={0}>
        <Title order={2} px="lg" pt="lg" pb="sm">
          Each email
        </Title>
        <StepTable series={series} report={report} />
      </Card>
    </>
  );
}

function StepTable({ series, report }: { series: Series; report: SeriesPreflight }) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Table.ScrollContainer minWidth={640} type="native">
      <Table layout="fixed" data-testid="preflight-steps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th w={100}>Score</Table.Th>
            <Table.Th w={300}>Findings</Table.Th>
            <Table.Th w={150} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.steps.map((r) => {
            const step = series.steps.find((s) => s.id === r.stepId);
            const expanded = open === r.stepId;
            return (
              <Fragment key={r.stepId}>
                <Table.Tr data-testid={`preflight-step-${r.position + 1}`}>
                  <Table.Td>
                    <UnstyledButton onClick={() => setOpen(expanded ? null : r.stepId)} aria-expanded={expanded} w="100%">
                      <Group gap={6} wrap="nowrap">
                        {expanded ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
                        <div style={{ minWidth: 0 }}>
                          <Text size="sm" fw={600}>
                            {emailLabel(r.position)}
                          </Text>
                          <Text size="xs" c="dimmed" truncate>
                            {step ? stepSubject(step) : 'Removed since this check'}
                          </Text>
                        </div>
                      </Group>
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    {r.score === null ? (
                      <PreflightBadge summary={null} />
                    ) : (
                      <Badge variant="light" color={scoreColor({ score: r.score, critical: r.counts.critical })} radius="sm" fw={700} data-testid="step-score">
                        {r.score}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <SeverityCounts counts={r.counts} />
                  </Table.Td>
                  <Table.Td>
                    {step?.emailId && (
                      <Anchor component={Link} to={`/emails/${step.emailId}`} size="sm" style={{ whiteSpace: 'nowrap' }}>
                        <Group gap={4} wrap="nowrap">
                          Fix in editor <IconExternalLink size={13} />
                        </Group>
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
                {expanded && step?.emailId && (
                  <Table.Tr>
                    <Table.Td colSpan={4} bg="var(--mantine-color-gray-0)">
                      <StepFindings emailId={step.emailId} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The findings of one email, from its latest report (the series run just wrote it). */
export function StepFindings({ emailId }: { emailId: string }) {
  const latest = useLatestPreflight(emailId);
  if (latest.isPending) return <Skeleton h={60} />;
  if (latest.isError) return <ErrorAlert error={latest.error} onRetry={() => void latest.refetch()} />;
  if (!latest.data || latest.data.findings.length === 0)
    return (
      <Center py="sm">
        <Text size="sm" c="dimmed">
          No findings for this email.
        </Text>
      </Center>
    );
  return <FindingsList findings={latest.data.findings} />;
}
