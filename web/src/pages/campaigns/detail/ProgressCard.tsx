import { useEffect } from 'react';
import { Alert, Card, Group, Progress, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlayerPause } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { useBrandQuery, useInvalidateBrand } from '../../../lib/queries.ts';
import { campaignsApi, type Campaign } from '../api.ts';
import { CAMPAIGNS } from '../queries.ts';
import { duration } from '../status.tsx';

/** Live progress while a campaign goes out: polled every 1.5 s, with the rate and an ETA. */
export function ProgressCard({ campaign }: { campaign: Campaign }) {
  const invalidate = useInvalidateBrand();
  const progress = useBrandQuery([CAMPAIGNS, campaign.id, 'progress'], () => campaignsApi.progress(campaign.id), { refetchInterval: 1500 });
  const status = progress.data?.status;

  // The campaign changed state (finished, paused by a guard): reload it, and its results with it.
  useEffect(() => {
    if (status && status !== campaign.status) void invalidate(CAMPAIGNS);
  }, [status, campaign.status]);

  if (progress.isError) return <ErrorAlert error={progress.error} onRetry={() => void progress.refetch()} />;
  if (progress.isPending) return <Skeleton h={150} radius="md" mb="lg" />;
  const p = progress.data;
  const done = p.sent + p.failed;
  const total = Math.max(1, p.recipients);
  const pct = Math.min(100, (done / total) * 100);
  const held = p.status === 'paused' || p.status === 'throttled';

  return (
    <Card mb="lg" data-testid="progress-card">
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap" gap="xs">
        <Stack gap={0}>
          <Title order={2}>{p.status === 'paused' ? 'Paused' : p.status === 'throttled' ? 'Throttled' : 'Sending'}</Title>
          <Text size="sm" c="dimmed" data-testid="progress-count">
            {p.sent.toLocaleString()} of {p.recipients.toLocaleString()} sent{p.failed ? ` · ${p.failed.toLocaleString()} failed` : ''}
          </Text>
        </Stack>
        <Text size="sm" fw={600}>
          {pct.toFixed(pct < 10 ? 1 : 0)} %
        </Text>
      </Group>
      <Progress.Root size="lg" radius="xl" aria-label="Sent so far">
        <Progress.Section value={(p.sent / total) * 100} color={held ? 'orange' : 'brand'} striped={!held} animated={!held} />
        <Progress.Section value={(p.failed / total) * 100} color="red" />
      </Progress.Root>
      {held && (
        <Alert color={p.status === 'paused' ? 'orange' : 'yellow'} variant="light" mt="md" icon={p.status === 'paused' ? <IconPlayerPause size={16} /> : <IconAlertTriangle size={16} />} data-testid="status-reason">
          {p.statusReason ?? (p.status === 'paused' ? 'Paused. Resume to send the rest.' : 'Held back by a rate limit; it continues by itself.')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 5 }} mt="md" spacing="md">
        <Figure label="Rate" value={held ? '—' : `${p.ratePerSec.toFixed(p.ratePerSec < 10 ? 1 : 0)} / s`} />
        <Figure label="Time left" value={held || p.etaSeconds === null ? '—' : `about ${duration(p.etaSeconds)}`} />
        <Figure label="Queued" value={(p.queued + p.sending).toLocaleString()} />
        <Figure label="Failed" value={p.failed.toLocaleString()} />
        <Figure label="Skipped" value={p.skipped.toLocaleString()} />
      </SimpleGrid>
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text size="md" fw={600}>
        {value}
      </Text>
    </Stack>
  );
}
