import { useState, type FormEvent } from 'react';
import { Alert, Button, Collapse, Group, Modal, Select, SegmentedControl, SimpleGrid, Stack, Text, TextInput, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconChevronDown, IconChevronRight, IconSparkles } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { ApiError } from '../../api.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { PromptField } from '../../components/PromptField.tsx';
import { useInvalidateBrand } from '../../lib/queries.ts';
import { emailsApi, type Brief, type Tone } from './api.ts';
import { ComposerWorking } from '../../components/ComposerWorking.tsx';
import { EMAILS, useComposerInfo, useComposerLabel } from './queries.ts';

const EXAMPLES = [
  'Spring sale: 20% off every single-origin coffee this weekend only',
  'Welcome new subscribers and point them to our three best sellers',
  'Monthly newsletter: a new roast, a brewing tip and an event invite',
];

/** The composer's tones; `satisfies` makes the compiler flag a tone the model adds or drops. */
const TONES = { friendly: 'Friendly', professional: 'Professional', playful: 'Playful', urgent: 'Urgent', calm: 'Calm', formal: 'Formal', casual: 'Casual' } satisfies Record<Tone, string>;
const TONE_OPTIONS = Object.entries(TONES).map(([value, label]) => ({ value, label }));
const PURPOSE_LABELS: Record<string, string> = { 'product-update': 'Product update', 're-engagement': 'Re-engagement' };
const purposeLabel = (p: string) => PURPOSE_LABELS[p] ?? p[0].toUpperCase() + p.slice(1);
const ADVANCED = ['goal', 'audience', 'offer', 'tone', 'language', 'purpose', 'ctaUrl'] as const;
type AdvancedField = (typeof ADVANCED)[number];
const NO_ADVANCED = Object.fromEntries(ADVANCED.map((f) => [f, ''])) as Record<AdvancedField, string>;

const onForm = (field: string) => field === 'name' || field.startsWith('brief.');

export function GenerateEmailModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const composer = useComposerInfo(opened);
  const providerLabel = useComposerLabel(opened);
  const errors = useFormErrors(onForm);
  const [prompt, setPrompt] = useState('');
  const [name, setName] = useState('');
  const [advanced, setAdvanced] = useState<Record<AdvancedField, string>>(NO_ADVANCED);
  const [length, setLength] = useState<NonNullable<Brief['length']>>('medium');
  const [showAdvanced, setShowAdvanced] = useState(false);
  const [busy, setBusy] = useState(false);

  function reset() {
    setPrompt('');
    setName('');
    setAdvanced(NO_ADVANCED);
    setLength('medium');
    errors.clear();
  }

  async function generate(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const brief: Record<string, string> = { length };
    if (prompt.trim()) brief.prompt = prompt.trim();
    for (const field of ADVANCED) if (advanced[field].trim()) brief[field] = advanced[field].trim();
    try {
      // The server validates the enums (tone, purpose) and says which field is wrong.
      const email = await emailsApi.generate(brief as Brief, name.trim() || undefined);
      await invalidate(EMAILS, 'list');
      reset();
      onClose();
      navigate(`/emails/${email.id}`);
    } catch (err) {
      errors.show(err);
      // Problems with the advanced fields must not hide behind the collapse.
      if (err instanceof ApiError && err.issues.some((i) => i.field === 'name' || ADVANCED.some((a) => i.field === `brief.${a}`))) setShowAdvanced(true);
    } finally {
      setBusy(false);
    }
  }

  const set = (field: AdvancedField) => (value: string) => {
    setAdvanced((a) => ({ ...a, [field]: value }));
    errors.clearField(`brief.${field}`);
  };

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
          <Text fw={600}>Generate an email</Text>
        </Group>
      }
    >
      {busy ? (
        <Generating provider={providerLabel} />
      ) : (
        <form onSubmit={generate} noValidate>
          <Stack gap="md">
            {errors.message && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="The composer could not write this email">
                {errors.message}
              </Alert>
            )}
            <PromptField
              label="What should the email say?"
              description="A sentence or two is enough. The composer adds your brand kit: colours, fonts, voice, address."
              examples={EXAMPLES}
              value={prompt}
              onChange={(value) => {
                setPrompt(value);
                errors.clearField('brief.prompt');
              }}
              error={errors.fields['brief.prompt'] ?? errors.fields.brief}
            />
            <div>
              <Text size="sm" fw={500} mb={6}>
                Length
              </Text>
              <SegmentedControl
                aria-label="Length"
                value={length}
                onChange={(v) => setLength(v as NonNullable<Brief['length']>)}
                data={[
                  { value: 'short', label: 'Short' },
                  { value: 'medium', label: 'Medium' },
                  { value: 'long', label: 'Long' },
                ]}
              />
            </div>
            <UnstyledButton onClick={() => setShowAdvanced((s) => !s)} aria-expanded={showAdvanced}>
              <Group gap={4}>
                {showAdvanced ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
                <Text size="sm" fw={500}>
                  Advanced
                </Text>
                <Text size="sm" c="dimmed">
                  — goal, audience, offer, tone, language, purpose, link, name
                </Text>
              </Group>
            </UnstyledButton>
            <Collapse expanded={showAdvanced}>
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <TextInput label="Goal" placeholder="Drive orders of the spring roast" value={advanced.goal} onChange={(e) => set('goal')(e.currentTarget.value)} error={errors.fields['brief.goal']} />
                <TextInput label="Audience" placeholder="Subscribers who bought in the last year" value={advanced.audience} onChange={(e) => set('audience')(e.currentTarget.value)} error={errors.fields['brief.audience']} />
                <TextInput label="Offer" placeholder="20% off with code SPRING20" value={advanced.offer} onChange={(e) => set('offer')(e.currentTarget.value)} error={errors.fields['brief.offer']} />
                <Select label="Tone" placeholder="Your brand voice" data={TONE_OPTIONS} value={advanced.tone || null} onChange={(v) => set('tone')(v ?? '')} clearable error={errors.fields['brief.tone']} />
                <TextInput label="Language" placeholder="Brand default, e.g. en or de-AT" value={advanced.language} onChange={(e) => set('language')(e.currentTarget.value)} error={errors.fields['brief.language']} />
                <Select
                  label="Purpose"
                  placeholder="Let the composer decide"
                  data={(composer.data?.purposes ?? []).map((p) => ({ value: p, label: purposeLabel(p) }))}
                  value={advanced.purpose || null}
                  onChange={(v) => set('purpose')(v ?? '')}
                  clearable
                  error={errors.fields['brief.purpose']}
                />
                <TextInput label="Button link" placeholder="https://shop.example.com/spring" value={advanced.ctaUrl} onChange={(e) => set('ctaUrl')(e.currentTarget.value)} error={errors.fields['brief.ctaUrl']} />
                <TextInput
                  label="Email name"
                  placeholder="Made from the brief if empty"
                  value={name}
                  onChange={(e) => {
                    setName(e.currentTarget.value);
                    errors.clearField('name');
                  }}
                  error={errors.fields.name}
                />
              </SimpleGrid>
            </Collapse>
            <Group justify="space-between" mt="xs">
              <Text size="xs" c="dimmed">
                {providerLabel ? `Writes with: ${providerLabel}` : ' '}
              </Text>
              <Group gap="sm">
                <Button variant="default" onClick={onClose}>
                  Cancel
                </Button>
                <Button type="submit" leftSection={<IconSparkles size={16} />}>
                  Generate email
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** What the composer does for one email, while it does it. */
function Generating({ provider }: { provider: string | null }) {
  return (
    <ComposerWorking title="Writing your email" progressLabel="Generating" provider={provider}>
      <Text size="sm" c="dimmed" ta="center">
        The composer is writing the subject, preheader and every block from your brief and brand kit.
      </Text>
    </ComposerWorking>
  );
}
