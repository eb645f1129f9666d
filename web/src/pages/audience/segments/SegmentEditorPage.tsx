import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Box, Breadcrumbs, Button, Card, Divider, Grid, Group, Loader, SimpleGrid, Stack, Text, TextInput, Textarea, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconDownload, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type ContactStatus, type Group as Filter, type Segment } from '../../../api.ts';
import { STATUS_INFO } from '../../../components/AudienceBadges.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { FormSection } from '../../../components/FormSection.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useFormErrors } from '../../../lib/forms.ts';
import { brandKey, useBrandQuery, useInvalidateBrand } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { AUDIENCE_KEYS, useFields, useTags } from '../queries.ts';
import { contactName } from '../contacts/contactName.ts';
import { FilterBuilder } from './FilterBuilder.tsx';
import { completePart, countIncomplete } from './filterModel.ts';

const PREVIEW_SIZE = 8;

export function NewSegmentPage() {
  return <SegmentEditor segment={null} />;
}

export function SegmentPage() {
  const { segmentId = '' } = useParams();
  const segment = useBrandQuery([AUDIENCE_KEYS.segments, 'one', segmentId], () => api.segments.get(segmentId));
  return <QueryState query={segment}>{(s) => <SegmentEditor key={s.id} segment={s} />}</QueryState>;
}

const isSegmentField = (f: string) => f === 'name' || f === 'description' || f === 'filter' || f.startsWith('filter.');

function SegmentEditor({ segment }: { segment: Segment | null }) {
  const { canWrite, brandId } = useSignedIn();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateBrand();
  const fields = useFields();
  const tags = useTags();
  const errors = useFormErrors(isSegmentField);
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [filter, setFilter] = useState<Filter>(segment?.filter ?? { op: 'and', rules: [] });
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState<'ask' | 'busy' | null>(null);

  const dirty = !segment || name !== segment.name || description !== segment.description || JSON.stringify(filter) !== JSON.stringify(segment.filter);

  function changeFilter(next: Filter) {
    setFilter(next);
    // Rule positions shift as rules come and go, so old filter problems no longer point at the right row.
    for (const field of Object.keys(errors.fields)) if (field.startsWith('filter')) errors.clearField(field);
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    errors.clear();
    try {
      const input = { name: name.trim(), description, filter };
      const saved = segment ? await api.segments.update(segment.id, input) : await api.segments.create(input);
      queryClient.setQueryData(brandKey(brandId, AUDIENCE_KEYS.segments, 'one', saved.id), saved);
      await invalidate(AUDIENCE_KEYS.segments);
      notifications.show({ color: 'teal', message: segment ? 'Segment saved.' : `Segment “${saved.name}” created.` });
      if (!segment) navigate(`/audience/segments/${saved.id}`, { replace: true });
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  async function remove() {
    if (!segment) return;
    setDeleting('busy');
    try {
      await api.segments.remove(segment.id);
      await invalidate(AUDIENCE_KEYS.segments);
      notifications.show({ color: 'teal', message: `Segment “${segment.name}” deleted.` });
      navigate('/audience/segments');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
      setDeleting(null);
    }
  }

  return (
    <form onSubmit={save} noValidate>
      <Breadcrumbs mb="sm" fz="sm">
        <Anchor component={Link} to="/audience/segments" c="dimmed">
          Segments
        </Anchor>
        <Text size="sm">{segment?.name ?? 'New segment'}</Text>
      </Breadcrumbs>
      <PageHeader
        title={segment?.name ?? 'New segment'}
        description="A saved filter: it always selects the contacts matching it now."
        actions={
          canWrite && (
            <>
              {segment && (
                <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting('ask')}>
                  Delete
                </Button>
              )}
              <Button type="submit" loading={saving} disabled={!dirty}>
                {segment ? 'Save segment' : 'Create segment'}
              </Button>
            </>
          )
        }
      />
      {errors.message && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="lg">
          {errors.message}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            <FormSection title="Details">
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Name"
                placeholder="Engaged customers in Germany"
                value={name}
                onChange={(e) => {
                  setName(e.currentTarget.value);
                  errors.clearField('name');
                }}
                error={errors.fields.name}
                disabled={!canWrite}
              />
              <Textarea label="Description" placeholder="Optional: who this is for" autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.fields.description} disabled={!canWrite} />
              </SimpleGrid>
            </FormSection>
            <Card>
              <FilterBuilder filter={filter} onChange={changeFilter} custom={fields.data?.data ?? []} tags={tags.data?.data ?? []} issues={errors.fields} disabled={!canWrite} />
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Box pos="sticky" top={24}>
            <LiveResult filter={filter} segmentId={segment && !dirty ? segment.id : null} />
          </Box>
        </Grid.Col>
      </Grid>
      <ConfirmModal opened={deleting !== null} title="Delete segment" confirmLabel="Delete segment" loading={deleting === 'busy'} onClose={() => setDeleting(null)} onConfirm={() => void remove()}>
        {segment && `“${segment.name}” is deleted. Contacts are not affected; campaigns and series that target this segment will need another audience.`}
      </ConfirmModal>
    </form>
  );
}

/** The live count and first matches of the filter as it is being edited (complete conditions only). */
function LiveResult({ filter, segmentId }: { filter: Filter; segmentId: string | null }) {
  const [debounced] = useDebouncedValue(filter, 400);
  const counted = completePart(debounced);
  const key = JSON.stringify(counted);
  const incomplete = countIncomplete(filter);
  const count = useBrandQuery([AUDIENCE_KEYS.segments, 'live-count', key], () => api.segments.count(counted), { placeholderData: keepPreviousData });
  const preview = useBrandQuery([AUDIENCE_KEYS.segments, 'live-preview', key], () => api.segments.preview(counted, PREVIEW_SIZE), { placeholderData: keepPreviousData });
  const [exporting, setExporting] = useState(false);

  async function exportCsv() {
    if (!segmentId) return;
    setExporting(true);
    try {
      await api.contacts.exportCsv({ segmentId });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Export failed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setExporting(false);
    }
  }

  return (
    <Card>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6}>
        Matching now
      </Text>
      <Group gap="xs" align="baseline" mt={4}>
        {count.isPending ? (
          <Loader size="sm" />
        ) : count.isError ? (
          <Text c="red" size="sm">
            {count.error instanceof Error ? count.error.message : 'Cannot count'}
          </Text>
        ) : (
          <>
            <Text fz={34} fw={700} lh={1} data-testid="segment-count" style={{ opacity: count.isPlaceholderData ? 0.5 : 1 }}>
              {count.data.count.toLocaleString()}
            </Text>
            <Text size="sm" c="dimmed">
              {count.data.count === 1 ? 'contact' : 'contacts'}
            </Text>
          </>
        )}
      </Group>
      {incomplete > 0 && (
        <Text size="xs" c="orange" mt="xs">
          {incomplete === 1 ? '1 incomplete condition is' : `${incomplete} incomplete conditions are`} left out of the count.
        </Text>
      )}
      <Divider my="md" />
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6} mb="xs">
        First matches
      </Text>
      {preview.isSuccess && preview.data.data.length === 0 && (
        <Text size="sm" c="dimmed">
          Nobody matches yet.
        </Text>
      )}
      <Stack gap={8}>
        {preview.data?.data.map((c) => (
          <Group key={c.id} justify="space-between" wrap="nowrap" gap="xs">
            <div style={{ minWidth: 0 }}>
              <Anchor component={Link} to={`/audience/contacts/${c.id}`} size="sm" c="inherit" truncate display="block">
                {contactName(c) ?? c.email}
              </Anchor>
              {contactName(c) && (
                <Text size="xs" c="dimmed" truncate>
                  {c.email}
                </Text>
              )}
            </div>
            <Tooltip label={STATUS_INFO[c.status as ContactStatus]?.label ?? c.status}>
              <Box w={8} h={8} style={{ flexShrink: 0, borderRadius: 99, background: `var(--mantine-color-${STATUS_INFO[c.status as ContactStatus]?.color ?? 'gray'}-6)` }} aria-label={c.status} />
            </Tooltip>
          </Group>
        ))}
      </Stack>
      {segmentId && (
        <Button variant="default" fullWidth mt="lg" leftSection={<IconDownload size={16} />} loading={exporting} onClick={() => void exportCsv()}>
          Export CSV
        </Button>
      )}
    </Card>
  );
}
