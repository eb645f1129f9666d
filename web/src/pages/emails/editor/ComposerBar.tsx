import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Anchor, Button, Checkbox, Group, Paper, ScrollArea, Stack, Text, Textarea, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconArrowBackUp, IconArrowUp, IconCircleCheck, IconSparkles } from '@tabler/icons-react';
import { emailsApi, type Email } from '../api.ts';

const SUGGESTIONS = ['Make it shorter', 'Add a testimonial', 'Stronger call to action', 'Warmer, more personal tone', 'Add a P.S. with the offer'];

interface Props {
  email: Email;
  /** The block selected in the editor: an instruction can be limited to it. */
  selectedBlock: { id: string; label: string } | null;
  /** Saves pending changes first (the composer edits the saved email); false when saving failed. */
  prepare(): Promise<boolean>;
  onEdited(email: Email): Promise<void>;
  onCompare(version: number): void;
  /** Restores the version before the composer's edit; resolves to whether it worked. */
  onUndo(version: number): Promise<boolean>;
}

/** "Ask the composer": an instruction becomes a new version of the email, which can be compared or undone. */
export function ComposerBar({ email, selectedBlock, prepare, onEdited, onCompare, onUndo }: Props) {
  const [instruction, setInstruction] = useState('');
  const [onlyBlock, setOnlyBlock] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<{ version: number; instruction: string } | null>(null);
  const [undoing, setUndoing] = useState(false);

  async function run(text: string) {
    const wanted = text.trim();
    if (!wanted || busy) return;
    setError(null);
    setBusy(wanted);
    try {
      if (!(await prepare())) {
        setError('Fix the problems in your unsaved changes first: the composer works on the saved email.');
        return;
      }
      const edited = await emailsApi.edit(email.id, wanted, onlyBlock && selectedBlock ? selectedBlock.id : undefined);
      await onEdited(edited);
      setLast({ version: edited.version, instruction: wanted });
      setInstruction('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
    }
  }

  async function undo() {
    if (!last) return;
    setUndoing(true);
    if (await onUndo(last.version - 1)) setLast(null);
    setUndoing(false);
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(instruction);
  };

  return (
    <Paper p="sm" m="sm" mt={0} radius="lg" withBorder shadow="sm" component="form" onSubmit={submit} aria-label="Ask the composer">
      <Stack gap={8}>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs" withCloseButton onClose={() => setError(null)}>
            {error}
          </Alert>
        )}
        {last && !busy && (
          <Group gap={6} wrap="nowrap" data-testid="composer-result">
            <IconCircleCheck size={16} color="var(--mantine-color-teal-6)" style={{ flexShrink: 0 }} />
            <Text size="xs" truncate>
              Version {last.version}: “{last.instruction}”
            </Text>
            <Anchor size="xs" component="button" type="button" onClick={() => onCompare(last.version)}>
              See changes
            </Anchor>
            <Button size="compact-xs" variant="subtle" color="gray" leftSection={<IconArrowBackUp size={12} />} loading={undoing} onClick={() => void undo()}>
              Undo
            </Button>
          </Group>
        )}
        <ScrollArea type="never" offsetScrollbars={false}>
          <Group gap={6} wrap="nowrap">
            {SUGGESTIONS.map((s) => (
              <Button key={s} size="compact-xs" variant="light" radius="xl" disabled={busy !== null} onClick={() => void run(s)} style={{ flexShrink: 0 }}>
                {s}
              </Button>
            ))}
          </Group>
        </ScrollArea>
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <IconSparkles size={18} color="var(--mantine-primary-color-filled)" style={{ flexShrink: 0, marginBottom: 8 }} />
          <Textarea
            aria-label="Instruction for the composer"
            placeholder={busy ? `Working on “${busy}”…` : 'Ask the composer: make it shorter, add a testimonial…'}
            autosize
            minRows={1}
            maxRows={4}
            variant="unstyled"
            value={instruction}
            disabled={busy !== null}
            onChange={(e) => setInstruction(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter sends, Shift+Enter starts a new line, as in chat boxes.
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                void run(instruction);
              }
            }}
            style={{ flex: 1 }}
          />
          {selectedBlock && (
            <Tooltip label={`Apply the instruction to the selected ${selectedBlock.label.toLowerCase()} only`}>
              <Checkbox size="xs" label="Selected block only" checked={onlyBlock} onChange={(e) => setOnlyBlock(e.currentTarget.checked)} mb={8} styles={{ label: { whiteSpace: 'nowrap' } }} />
            </Tooltip>
          )}
          <ActionIcon type="submit" size="lg" radius="xl" loading={busy !== null} disabled={!instruction.trim()} aria-label="Send instruction">
            <IconArrowUp size={18} />
          </ActionIcon>
        </Group>
      </Stack>
    </Paper>
  );
}
