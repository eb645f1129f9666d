import { Button, ColorInput, Divider, Group, NumberInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconBulb } from '@tabler/icons-react';
import type { EmailCategory, EmailSettingsInput, Theme } from '../api.ts';

interface Props {
  settings: EmailSettingsInput;
  theme: Theme | null;
  issues: Record<string, string>;
  readOnly: boolean;
  onChange(patch: Partial<EmailSettingsInput>): void;
  onThemeChange(theme: Theme): void;
  onSubjectIdeas(): void;
}

const SUBJECT_AIM = 50;

/** The envelope of the email (name, subject, preheader, sender, category, language) and, for block emails, its theme. */
export function EmailSettings({ settings: s, theme, issues, readOnly, onChange, onThemeChange, onSubjectIdeas }: Props) {
  const subjectLength = s.subject.length;
  return (
    <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <Stack gap="md" p="md">
        <TextInput label="Name" description="Only your team sees it" value={s.name} onChange={(e) => onChange({ name: e.currentTarget.value })} error={issues.name} />
        <div>
          <Textarea
            label="Subject"
            autosize
            minRows={1}
            value={s.subject}
            onChange={(e) => onChange({ subject: e.currentTarget.value })}
            error={issues.subject}
            description={
              <Text span size="xs" c={subjectLength > SUBJECT_AIM ? 'orange' : 'dimmed'}>
                {subjectLength} characters{subjectLength > SUBJECT_AIM ? ` — phones cut subjects after about ${SUBJECT_AIM}` : ''}
              </Text>
            }
            inputWrapperOrder={['label', 'input', 'description', 'error']}
          />
          {!readOnly && (
            <Button variant="subtle" size="compact-sm" leftSection={<IconBulb size={14} />} mt={6} onClick={onSubjectIdeas}>
              Subject ideas
            </Button>
          )}
        </div>
        <Textarea
          label="Preheader"
          description="The preview line shown after the subject in most inboxes"
          autosize
          minRows={1}
          value={s.preheader}
          onChange={(e) => onChange({ preheader: e.currentTarget.value })}
          error={issues.preheader}
        />
        <Divider label="Sender" labelPosition="left" />
        <SimpleGrid cols={2} spacing="sm">
          <TextInput label="From name" value={s.fromName} onChange={(e) => onChange({ fromName: e.currentTarget.value })} error={issues.fromName} />
          <TextInput label="From email" value={s.fromEmail} onChange={(e) => onChange({ fromEmail: e.currentTarget.value })} error={issues.fromEmail} />
        </SimpleGrid>
        <TextInput label="Reply-To" placeholder="Replies go to the From address" value={s.replyTo ?? ''} onChange={(e) => onChange({ replyTo: e.currentTarget.value.trim() ? e.currentTarget.value : null })} error={issues.replyTo} />
        <div>
          <Text size="sm" fw={500} mb={4}>
            Category
          </Text>
          <SegmentedControl
            fullWidth
            aria-label="Category"
            value={s.category}
            onChange={(v) => onChange({ category: v as EmailCategory })}
            data={[
              { value: 'marketing', label: 'Marketing' },
              { value: 'transactional', label: 'Transactional' },
            ]}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {s.category === 'marketing' ? 'Gets the unsubscribe link, the List-Unsubscribe headers and your postal address.' : 'Receipts and account messages: no unsubscribe link or marketing headers.'}
          </Text>
          {issues.category && (
            <Text size="xs" c="red" mt={4}>
              {issues.category}
            </Text>
          )}
        </div>
        <TextInput label="Language" description="BCP 47, e.g. en, de-AT, pt-BR" value={s.language} onChange={(e) => onChange({ language: e.currentTarget.value })} error={issues.language} w={200} />
        {theme && <ThemeFields theme={theme} issues={issues} onChange={onThemeChange} />}
      </Stack>
    </fieldset>
  );
}

function ThemeFields({ theme, issues, onChange }: { theme: Theme; issues: Record<string, string>; onChange(theme: Theme): void }) {
  const set = (patch: Partial<Theme>) => onChange({ ...theme, ...patch });
  const color = (key: 'primary' | 'text' | 'background' | 'contentBackground', label: string) => (
    <ColorInput label={label} value={theme[key]} onChange={(v) => set({ [key]: v })} error={issues[`theme.${key}`]} format="hex" />
  );
  return (
    <>
      <Divider label="Design" labelPosition="left" mt="xs" />
      <SimpleGrid cols={2} spacing="sm">
        {color('primary', 'Primary')}
        {color('text', 'Text')}
        {color('background', 'Background')}
        {color('contentBackground', 'Content')}
      </SimpleGrid>
      <TextInput label="Heading font" value={theme.headingFont} onChange={(e) => set({ headingFont: e.currentTarget.value })} error={issues['theme.headingFont']} />
      <TextInput label="Body font" value={theme.bodyFont} onChange={(e) => set({ bodyFont: e.currentTarget.value })} error={issues['theme.bodyFont']} />
      <Group>
        <NumberInput label="Content width (px)" min={480} max={720} step={10} value={theme.width} onChange={(v) => set({ width: typeof v === 'number' ? v : 600 })} error={issues['theme.width']} w={160} />
      </Group>
    </>
  );
}
