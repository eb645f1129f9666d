import { useMemo, useState } from 'react';
import { Alert, Button, Card, Grid, Group, List, MultiSelect, SegmentedControl, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconAlertTriangle, IconPlayerPlay } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { api, type ContactStatus, type FieldType, type Import, type OnConflict } from '../../../api.ts';
import { STATUS_OPTIONS } from '../../../components/AudienceBadges.tsx';
import { FormSection } from '../../../components/FormSection.tsx';
import { brandKey, useInvalidateBrand } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { FIELD_TYPE_LABELS } from '../contacts/CustomFieldsModal.tsx';
import { AUDIENCE_KEYS, useFields, useTags } from '../queries.ts';

/** A column left out of the mapping becomes a new custom field named after it (the server derives the key). */
const NEW_FIELD = '__new_field__';

const CONTACT_TARGETS = [
  ['email', 'Email'],
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['phone', 'Phone'],
  ['country', 'Country'],
  ['language', 'Language'],
  ['timeZone', 'Time zone'],
  ['status', 'Status'],
  ['consentSource', 'Consent source'],
  ['consentAt', 'Consent time'],
] as const;

export function ImportMapping({ imp }: { imp: Import }) {
  const { brandId, canWrite } = useSignedIn();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateBrand();
  const fields = useFields();
  const tags = useTags();
  const { columns, warnings, rowsSampled } = imp.preview;

  const [mapping, setMapping] = useState<Record<string, string>>(() => Object.fromEntries(columns.map((c) => [c.name, c.suggested ?? NEW_FIELD])));
  const [types, setTypes] = useState<Record<string, FieldType>>({});
  const [onConflict, setOnConflict] = useState<OnConflict>('skip');
  const [defaultStatus, setDefaultStatus] = useState<ContactStatus>('subscribed');
  const [tagIds, setTagIds] = useState<string[]>([]);
  const [busy, setBusy] = useState<'start' | 'cancel' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const targetOptions = useMemo(
    () => [
      { group: 'Contact', items: CONTACT_TARGETS.map(([value, label]) => ({ value, label })) },
      { group: 'Tags', items: [{ value: 'tags', label: 'Tags (comma-separated names)' }] },
      {
        group: 'Custom fields',
        items: [{ value: NEW_FIELD, label: 'New custom field' }, ...(fields.data?.data ?? []).map((f) => ({ value: `field:${f.key}`, label: `${f.label} (${FIELD_TYPE_LABELS[f.type].toLowerCase()})` }))],
      },
      { group: 'Skip', items: [{ value: 'ignore', label: 'Don’t import' }] },
    ],
    [fields.data],
  );

  const emailColumns = Object.values(mapping).filter((t) => t === 'email').length;
  const taken = (target: string) => CONTACT_TARGETS.some(([t]) => t === target) || target === 'tags';
  const duplicates = new Set(Object.values(mapping).filter((t, i, all) => taken(t) && all.indexOf(t) !== i));

  async function start() {
    setBusy('start');
    setError(null);
    try {
      const started = await api.imports.start(imp.id, {
        mapping: Object.fromEntries(Object.entries(mapping).filter(([, t]) => t !== NEW_FIELD)),
        newFieldType: Object.fromEntries(Object.entries(types).filter(([col]) => mapping[col] === NEW_FIELD)),
        onConflict,
        defaultStatus,
        tagIds,
      });
      queryClient.setQueryData(brandKey(brandId, AUDIENCE_KEYS.imports, 'one', imp.id), started);
      await invalidate(AUDIENCE_KEYS.imports);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  async function cancel() {
    setBusy('cancel');
    try {
      await api.imports.cancel(imp.id);
      await invalidate(AUDIENCE_KEYS.imports);
      navigate('/audience/import');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not cancelled', message: err instanceof Error ? err.message : String(err) });
      setBusy(null);
    }
  }

  return (
    <Stack gap="lg">
      {warnings.length > 0 && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Worth a second look">
          <List size="sm" spacing={2}>
            {warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card padding={0}>
            <Group px="lg" py="md" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
              <div>
                <Text fw={600}>Map the columns</Text>
                <Text size="xs" c="dimmed">
                  {columns.length} columns; samples from the first {rowSummaryOf(rowsSampled)}.
                </Text>
              </div>
            </Group>
            <Table.ScrollContainer minWidth={560} type="native">
              <Table verticalSpacing="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Column</Table.Th>
                    <Table.Th>Sample values</Table.Th>
                    <Table.Th w={260}>Import as</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {columns.map((c) => (
                    <Table.Tr key={c.name}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          {c.name}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={260}>
                        <Text size="xs" c="dimmed" lineClamp={2} ff="monospace">
                          {c.sample.length ? c.sample.join(' · ') : 'empty'}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={6}>
                          <Select
                            aria-label={`Import ${c.name} as`}
                            size="xs"
                            data={targetOptions}
                            value={mapping[c.name]}
                            onChange={(v) => v && setMapping((m) => ({ ...m, [c.name]: v }))}
                            allowDeselect={false}
                            error={duplicates.has(mapping[c.name]) ? 'Mapped twice' : undefined}
                            disabled={!canWrite}
                          />
                          {mapping[c.name] === NEW_FIELD && (
                            <Select
                              aria-label={`Type of ${c.name}`}
                              size="xs"
                              data={(Object.keys(FIELD_TYPE_LABELS) as FieldType[]).map((t) => ({ value: t, label: `${FIELD_TYPE_LABELS[t]} field` }))}
                              value={types[c.name] ?? 'string'}
                              onChange={(v) => v && setTypes((t) => ({ ...t, [c.name]: v as FieldType }))}
                              allowDeselect={false}
                              disabled={!canWrite}
                            />
                          )}
                        </Stack>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="lg" pos="sticky" top={24}>
            <FormSection title="Options">
              <div>
                <Text size="sm" fw={500} mb={6}>
                  Contacts already in your audience
                </Text>
                <SegmentedControl
                  fullWidth
                  size="xs"
                  value={onConflict}
                  onChange={(v) => setOnConflict(v as OnConflict)}
                  data={[
                    { value: 'skip', label: 'Skip them' },
                    { value: 'upsert', label: 'Update them' },
                  ]}
                  disabled={!canWrite}
                />
              </div>
              <Select label="Status of new contacts" description="When their row has no status." data={STATUS_OPTIONS} value={defaultStatus} onChange={(v) => v && setDefaultStatus(v as ContactStatus)} allowDeselect={false} disabled={!canWrite} />
              <MultiSelect label="Tag everyone in this import" placeholder={tagIds.length ? undefined : 'Optional'} data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))} value={tagIds} onChange={setTagIds} searchable disabled={!canWrite} />
            </FormSection>
            {error && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
                {error}
              </Alert>
            )}
            {emailColumns !== 1 && (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
                {emailColumns === 0 ? 'Map one column to Email: it identifies each contact.' : 'Only one column can be Email.'}
              </Alert>
            )}
            {canWrite && (
              <Group grow>
                <Button variant="default" onClick={() => void cancel()} loading={busy === 'cancel'} disabled={busy === 'start'}>
                  Discard
                </Button>
                <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => void start()} loading={busy === 'start'} disabled={emailColumns !== 1 || duplicates.size > 0 || busy === 'cancel'}>
                  Start import
                </Button>
              </Group>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

const rowSummaryOf = (n: number) => (n === 1 ? '1 row' : `${n.toLocaleString()} rows`);
