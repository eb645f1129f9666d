import { useState } from 'react';
import { Alert, Button, Group, Modal, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { api, type BulkAction, type BulkTarget, type ContactStatus } from '../../../api.ts';
import { STATUS_OPTIONS } from '../../../components/AudienceBadges.tsx';
import { useRefreshAudience, useTags } from '../queries.ts';

export type BulkKind = BulkAction['action'];

const TITLES: Record<BulkKind, string> = { tag: 'Add tags', untag: 'Remove tags', set_status: 'Change status', delete: 'Delete contacts' };

interface Props {
  kind: BulkKind;
  count: number;
  target: BulkTarget;
  onClose(): void;
  onDone(): void;
}

/** One action on many contacts: the selected ones, or every contact matching the filter. */
export function BulkActionModal({ kind, count, target, onClose, onDone }: Props) {
  const tags = useTags();
  const refresh = useRefreshAudience();
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [status, setStatus] = useState<ContactStatus>('unsubscribed');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const people = `${count.toLocaleString()} ${count === 1 ? 'contact' : 'contacts'}`;

  const action = (): BulkAction => {
    if (kind === 'tag' || kind === 'untag') return { action: kind, tagIds };
    if (kind === 'set_status') return { action: kind, status };
    return { action: 'delete' };
  };

  async function run() {
    setBusy(true);
    setError(null);
    try {
      const { affected } = await api.contacts.bulk(action(), target);
      await refresh();
      notifications.show({ color: 'teal', title: TITLES[kind], message: `${affected.toLocaleString()} ${affected === 1 ? 'contact' : 'contacts'} changed.` });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const needsTags = kind === 'tag' || kind === 'untag';
  return (
    <Modal opened onClose={onClose} title={<Text fw={600}>{TITLES[kind]}</Text>} centered>
      <Stack gap="md">
        {error && (
          <Alert color="red" variant="light">
            {error}
          </Alert>
        )}
        {needsTags && (
          <MultiSelect
            label={kind === 'tag' ? `Tags to add to ${people}` : `Tags to remove from ${people}`}
            data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
            value={tagIds}
            onChange={setTagIds}
            searchable
            data-autofocus
            nothingFoundMessage="No such tag — create it under Tags"
          />
        )}
        {kind === 'set_status' && <Select label={`New status for ${people}`} data={STATUS_OPTIONS} value={status} onChange={(v) => v && setStatus(v as ContactStatus)} allowDeselect={false} />}
        {kind === 'delete' && (
          <Text size="sm" c="dimmed">
            {people} will be deleted with their tags, topic choices and activity. This cannot be undone. To keep someone from being emailed again, suppress or unsubscribe them instead.
          </Text>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={kind === 'delete' ? 'red' : undefined} onClick={() => void run()} loading={busy} disabled={needsTags && tagIds.length === 0}>
            {kind === 'delete' ? `Delete ${people}` : 'Apply'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
