import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, List, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput, ThemeIcon } from '@mantine/core';
import { IconAlertCircle, IconListNumbers, IconPencil, IconSparkles } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useFormErrors } from '../../lib/forms.ts';
import { PromptField } from '../../components/PromptField.tsx';
import { useInvalidateBrand } from '../../lib/queries.ts';
import { ComposerWorking } from '../../components/ComposerWorking.tsx';
import { useComposerLabel } from '../emails/queries.ts';
import { seriesApi, type SeriesBrief, type SeriesKind } from './api.ts';
import { KIND_OPTIONS } from './labels.tsx';
import { SERIES } from './queries.ts';

const EXAMPLES = [
  'A 4-email welcome flow for new subscribers of a coffee subscription',
  'Onboarding for new customers: brewing basics, the app, then a first reorder',
  'A 3-email winback for customers who have not ordered in six months',
];

const onForm = (field: string) => field === 'name' || field === 'brief' || field.startsWith('brief.');

/** The brief box: one prompt (and optionally how many emails and what kind) becomes a planned, written series. */
export function GenerateSeriesModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const providerLabel = useComposerLabel(opened);
  const errors = useFormErrors(onForm);
  const [prompt, setPrompt] = useState('');
  const [count, setCount] = useState<number | ''>('');
  const [kind, setKind] = useState<SeriesKind | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  function reset() {
    setPrompt('');
    setCount('');
    setKind(null);
    setName('');
    errors.clear();
  }

  async function generate(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const brief: SeriesBrief = { prompt: prompt.trim() };
    if (count !== '') brief.count = count;
    if (kind) brief.kind = kind;
    try {
      const series = await seriesApi.generate(brief, name.trim() || undefined);
      await invalidate(SERIES, 'list');
      reset();
      onClose();
      navigate(`/series/${series.id}`);
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      opened={opened}
      onClose={busy ? () => undefined : onClose}
      closeOnClickOutside={!busy}
      withCloseButton={!busy}
      size="lg"
      title={
        <Group gap="xs">
          <ThemeIcon variant="light" radius="xl" size="md">
            <IconSparkles size={16} />
          </ThemeIcon>
          <Text fw={600}>New series</Text>
        </Group>
      }
    >
      {busy ? (
        <Writing count={count === '' ? null : count} provider={providerLabel} />
      ) : (
        <form onSubmit={generate} noValidate>
          <Stack gap="md">
            {errors.message && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="The series was not written">
                {errors.message}
              </Alert>
            )}
            <PromptField
              label="Describe the journey"
              description="The goal, who it is for and roughly how many emails. The composer plans the arc — each email’s role, order, hand-off and day — then writes them all in your brand’s voice."
              examples={EXAMPLES}
              value={prompt}
              onChange={(value) => {
                setPrompt(value);
                errors.clearField('brief.prompt');
              }}
              error={errors.fields['brief.prompt'] ?? errors.fields.brief}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NumberInput
                label="How many emails"
                placeholder="From the brief"
                description="1 to 12"
                min={1}
                allowDecimal={false}
                allowNegative={false}
                clampBehavior="none"
                value={count}
                onChange={(v) => {
                  setCount(typeof v === 'number' ? v : '');
                  errors.clearField('brief.count');
                }}
                error={errors.fields['brief.count']}
              />
              <Select
                label="Kind"
                placeholder="From the brief"
                description="The arc to follow"
                data={KIND_OPTIONS}
                value={kind}
                onChange={(v) => {
                  setKind(v as SeriesKind | null);
                  errors.clearField('brief.kind');
                }}
                clearable
                error={errors.fields['brief.kind']}
              />
              <TextInput
                label="Name"
                placeholder="From the brief"
                description="Shown in the list"
                value={name}
                onChange={(e) => {
                  setName(e.currentTarget.value);
                  errors.clearField('name');
                }}
                error={errors.fields.name}
              />
            </SimpleGrid>
            <Group justify="space-between" mt="xs">
              <Text size="xs" c="dimmed">
                {providerLabel ? `Writes with: ${providerLabel}` : ' '}
              </Text>
              <Group gap="sm">
                <Button variant="default" onClick={onClose}>
                  Cancel
                </Button>
                <Button type="submit" leftSection={<IconSparkles size={16} />}>
                  Plan and write
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** What the composer does for a series, while it does it. */
function Writing({ count, provider }: { count: number | null; provider: string | null }) {
  return (
    <ComposerWorking title="Writing your series" progressLabel="Writing the series" provider={provider} testId="series-generating">
      <List spacing={8} size="sm" c="dimmed" maw={420}>
        <List.Item
          icon={
            <ThemeIcon size={22} radius="xl" variant="light">
              <IconListNumbers size={13} />
            </ThemeIcon>
          }
        >
          Planning the arc: each email’s role, beats, order, hand-off and send day
        </List.Item>
        <List.Item
          icon={
            <ThemeIcon size={22} radius="xl" variant="light">
              <IconPencil size={13} />
            </ThemeIcon>
          }
        >
          Writing {count ? `all ${count} emails` : 'every email'} in parallel, so they read as one story with no repeated subject
        </List.Item>
      </List>
    </ComposerWorking>
  );
}
