import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Card, EmptyState, Group, Select, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconBan, IconPlus, IconSearch, IconTrash } from '@tabler/icons-react';
import { api, type Suppression, type SuppressionReason } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { FormSection } from '../../components/FormSection.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { AUDIENCE_KEYS } from './queries.ts';

const section = sectionAt('/audience/suppression');
const PAGE_SIZE = 50;

const REASONS: Record<SuppressionReason, { label: string; color: string }> = {
  bounce: { label: 'Bounce', color: 'red' },
  complaint: { label: 'Complaint', color: 'orange' },
  unsubscribe: { label: 'Unsubscribe', color: 'yellow' },
  manual: { label: 'Manual', color: 'gray' },
};
const REASON_OPTIONS = (Object.keys(REASONS) as SuppressionReason[]).map((r) => ({ value: r, label: REASONS[r].label }));

export function SuppressionPage() {
  const { canWrite } = useSignedIn();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const [reason, setReason] = useState<SuppressionReason | null>(null);
  const filterKey = JSON.stringify([debounced, reason]);
  const pages = useCursorPages(filterKey);
  const list = useBrandQuery(
    [AUDIENCE_KEYS.suppressions, filterKey, pages.cursor ?? ''],
    () => api.suppressions.list({ search: debounced || undefined, reason: reason ?? undefined, limit: PAGE_SIZE, cursor: pages.cursor }),
    { placeholderData: keepPreviousData },
  );
  const [removing, setRemoving] = useState<Suppression | null>(null);
  const [busy, setBusy] = useState(false);
  const invalidate = useInvalidateBrand();

  async function remove(s: Suppression) {
    setBusy(true);
    try {
      await api.suppressions.remove(s.id);
      await Promise.all([invalidate(AUDIENCE_KEYS.suppressions), invalidate(AUDIENCE_KEYS.contacts)]);
      notifications.show({ color: 'teal', message: `${s.email} can receive marketing email again (if subscribed).` });
      setRemoving(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not removed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="Suppression" description={`${section.summary} Checked before every marketing send.`} />
      {canWrite && <AddSuppression />}
      <Group gap="sm" mt="lg" mb="md">
        <TextInput aria-label="Search addresses" placeholder="Search addresses" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} style={{ flex: 1 }} />
        <Select aria-label="Reason" placeholder="Any reason" data={REASON_OPTIONS} value={reason} onChange={(v) => setReason(v as SuppressionReason | null)} clearable w={180} />
      </Group>
      <QueryState query={list}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconBan size={26} stroke={1.6} />}
                title={debounced || reason ? 'No suppressed address matches' : 'Nobody is suppressed'}
                description="Hard bounces, spam complaints and unsubscribes land here automatically; you can also add addresses by hand."
              />
            </Card>
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={640} type="native">
                  <Table highlightOnHover>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Address</Table.Th>
                        <Table.Th w={140}>Reason</Table.Th>
                        <Table.Th>Source</Table.Th>
                        <Table.Th w={150}>Added</Table.Th>
                        {canWrite && <Table.Th w={60} />}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((s) => (
                        <Table.Tr key={s.id} data-testid={`suppression-${s.email}`}>
                          <Table.Td>
                            <Text size="sm" fw={500}>
                              {s.email}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Badge variant="light" color={REASONS[s.reason].color} radius="sm" tt="none" fw={500}>
                              {REASONS[s.reason].label}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" c={s.source ? undefined : 'dimmed'}>
                              {s.source || '—'}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={formatDateTime(s.createdAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(s.createdAt)}
                              </Text>
                            </Tooltip>
                          </Table.Td>
                          {canWrite && (
                            <Table.Td>
                              <Tooltip label="Remove from the list">
                                <ActionIcon variant="subtle" color="gray" aria-label={`Unsuppress ${s.email}`} onClick={() => setRemoving(s)}>
                                  <IconTrash size={16} />
                                </ActionIcon>
                              </Tooltip>
                            </Table.Td>
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <CursorPager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={nextCursor} busy={list.isPlaceholderData} onPrevious={pages.previous} onNext={pages.next} />
            </>
          )
        }
      </QueryState>
      <ConfirmModal opened={removing !== null} title="Remove from suppression list" confirmLabel="Remove" loading={busy} onClose={() => setRemoving(null)} onConfirm={() => void remove(removing!)}>
        {removing &&
          (removing.reason === 'manual'
            ? `${removing.email} will be emailed again if they are subscribed.`
            : `${removing.email} was suppressed because of a ${REASONS[removing.reason].label.toLowerCase()}. Sending to it again can hurt your sender reputation; remove it only if you are sure the problem is gone.`)}
      </ConfirmModal>
    </>
  );
}

function AddSuppression() {
  const invalidate = useInvalidateBrand();
  const errors = useFormErrors(['email', 'source']);
  const [email, setEmail] = useState('');
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const s = await api.suppressions.add({ email: email.trim(), reason: 'manual', source: source.trim() || undefined });
      await Promise.all([invalidate(AUDIENCE_KEYS.suppressions), invalidate(AUDIENCE_KEYS.contacts)]);
      notifications.show({ color: 'teal', message: `${s.email} will not receive marketing email.` });
      setEmail('');
      setSource('');
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormSection title="Suppress an address" description="The contact (if any) stays in your audience; sends skip the address.">
      <form onSubmit={submit} noValidate>
        {errors.message && !Object.keys(errors.fields).length && (
          <Alert color="red" variant="light" mb="sm">
            {errors.message}
          </Alert>
        )}
        <Group align="flex-start" gap="sm" wrap="nowrap">
          <TextInput
            aria-label="Email to suppress"
            placeholder="someone@example.com"
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              errors.clearField('email');
            }}
            error={errors.fields.email}
            style={{ flex: 2 }}
          />
          <TextInput aria-label="Source" placeholder="Why (optional): asked by phone, …" value={source} onChange={(e) => setSource(e.currentTarget.value)} error={errors.fields.source} style={{ flex: 2 }} />
          <Button type="submit" loading={busy} leftSection={<IconPlus size={16} />}>
            Suppress
          </Button>
        </Group>
      </form>
    </FormSection>
  );
}
