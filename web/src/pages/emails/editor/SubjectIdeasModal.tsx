import { useEffect, useState } from 'react';
import { Button, Group, Modal, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconBulb, IconRefresh } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { emailsApi } from '../api.ts';

type Idea = { subject: string; preheader: string };

/** Subject and preheader pairs from the composer, written for the saved email; one click puts a pair in the draft. */
export function SubjectIdeasModal({ emailId, opened, onClose, onPick }: { emailId: string; opened: boolean; onClose(): void; onPick(idea: Idea): void }) {
  const [ideas, setIdeas] = useState<Idea[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!opened) return;
    let cancelled = false;
    setIdeas(null);
    setError(null);
    emailsApi.subjects(emailId, 5).then(
      (r) => !cancelled && setIdeas(r.subjects),
      (err) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [opened, emailId, round]);

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="lg"
      title={
        <Group gap="xs">
          <IconBulb size={18} />
          <Text fw={600}>Subject ideas</Text>
        </Group>
      }
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Written from the saved content of this email. Picking one replaces the subject and preheader in your draft; save to keep it.
        </Text>
        {error !== null ? (
          <ErrorAlert error={error} onRetry={() => setRound((r) => r + 1)} />
        ) : ideas === null ? (
          [0, 1, 2, 3, 4].map((i) => <Skeleton key={i} h={58} radius="md" />)
        ) : (
          ideas.map((idea) => (
            <Paper key={idea.subject} withBorder radius="md" p="sm">
              <Group justify="space-between" wrap="nowrap" gap="md">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {idea.subject}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {idea.preheader}
                  </Text>
                </div>
                <Button
                  size="xs"
                  variant="light"
                  style={{ flexShrink: 0 }}
                  onClick={() => {
                    onPick(idea);
                    onClose();
                  }}
                >
                  Use this
                </Button>
              </Group>
            </Paper>
          ))
        )}
        <Group justify="flex-end">
          <Button variant="subtle" size="xs" leftSection={<IconRefresh size={14} />} onClick={() => setRound((r) => r + 1)} disabled={ideas === null && error === null}>
            More ideas
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
