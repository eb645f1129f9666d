import { useEffect, useState } from 'react';
import { Alert, Button, Card, Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconCircleCheck, IconDownload, IconPlayerStop, IconUpload, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { api, type Import } from '../../../api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useInvalidateBrand } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { AUDIENCE_KEYS, useRefreshAudience } from '../queries.ts';
import { isActive } from './importStatus.tsx';

const COUNTS = [
  { key: 'rowsImported', label: 'Imported', color: 'teal' },
  { key: 'rowsUpdated', label: 'Updated', color: 'blue' },
  { key: 'rowsSkipped', label: 'Skipped', color: 'gray' },
  { key: 'rowsFailed', label: 'Failed', color: 'red' },
] as const;

/** A started import: live progress while it runs, then the outcome with the per-row results file. */
export function ImportProgress({ imp }: { imp: Import }) {
  const { canWrite } = useSignedIn();
  const invalidate = useInvalidateBrand();
  const refreshAudience = useRefreshAudience();
  const [cancelling, setCancelling] = useState(false);
  const active = isActive(imp.status);
  const finished = imp.status === 'done';

  // Once the import stops, the contact lists, counts and tags it touched are stale.
  useEffect(() => {
    if (!active) void refreshAudience();
  }, [active]);

  async function cancel() {
    setCancelling(true);
    try {
      await api.imports.cancel(imp.id);
      await Promise.all([invalidate(AUDIENCE_KEYS.imports), refreshAudience()]);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not cancelled', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setCancelling(false);
    }
  }

  async function results() {
    try {
      await api.imports.results(imp.id);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Download failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <Stack gap="lg">
      <Card>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{active ? (imp.status === 'queued' ? 'Waiting for a worker…' : 'Importing…') : finished ? 'Import finished' : imp.status === 'failed' ? 'Import failed' : 'Import cancelled'}</Text>
          <Text size="sm" c="dimmed" data-testid="import-progress">
            {Math.round(imp.progress * 100)}% · {imp.rowsTotal.toLocaleString()} rows read
          </Text>
        </Group>
        <Progress value={imp.progress * 100} size="lg" radius="xl" animated={active} striped={active} color={imp.status === 'failed' ? 'red' : finished ? 'teal' : undefined} />
        <SimpleGrid cols={{ base: 2, sm: 4 }} mt="lg">
          {COUNTS.map((c) => (
            <div key={c.key} data-testid={`import-${c.label.toLowerCase()}`}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.5}>
                {c.label}
              </Text>
              <Text fz={26} fw={700} c={imp[c.key] > 0 ? c.color : 'dimmed'}>
                {imp[c.key].toLocaleString()}
              </Text>
            </div>
          ))}
        </SimpleGrid>
        <Text size="xs" c="dimmed" mt="md">
          {imp.startedAt ? `Started ${formatDateTime(imp.startedAt)}` : `Uploaded ${formatDateTime(imp.createdAt)}`}
          {imp.finishedAt ? ` · finished ${formatDateTime(imp.finishedAt)}` : ''}
        </Text>
      </Card>

      {imp.status === 'failed' && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="The import stopped">
          {imp.error ?? 'No reason was recorded.'} Rows written before the failure stay; the results file lists every row that was read.
        </Alert>
      )}
      {finished && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
          Every row has an outcome. {imp.rowsFailed > 0 ? 'Download the results to see why some rows failed, fix them and import that file again.' : ''}
        </Alert>
      )}

      <Group>
        {active && canWrite && (
          <Button variant="default" color="red" leftSection={<IconPlayerStop size={16} />} onClick={() => void cancel()} loading={cancelling}>
            Stop import
          </Button>
        )}
        {!active && (
          <>
            <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => void results()}>
              Download row results (CSV)
            </Button>
            <Button component={Link} to="/audience/contacts" variant="default" leftSection={<IconUsers size={16} />}>
              View contacts
            </Button>
            {canWrite && (
              <Button component={Link} to="/audience/import" leftSection={<IconUpload size={16} />}>
                Import another file
              </Button>
            )}
          </>
        )}
      </Group>
    </Stack>
  );
}
