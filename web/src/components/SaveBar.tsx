import { Button, Group, Paper, Text, Transition } from '@mantine/core';
import { IconPointFilled } from '@tabler/icons-react';

interface Props {
  dirty: boolean;
  saving: boolean;
  onDiscard(): void;
  saveLabel?: string;
}

/**
 * Floats at the bottom of a long settings form while it has unsaved changes, so Save is always in
 * reach without scrolling back to the top. Place it inside the <form>; its Save button submits.
 */
export function SaveBar({ dirty, saving, onDiscard, saveLabel = 'Save changes' }: Props) {
  return (
    <Transition mounted={dirty || saving} transition="slide-up" duration={150}>
      {(style) => (
        <Paper
          style={{ ...style, position: 'sticky', bottom: 20, zIndex: 5 }}
          shadow="lg"
          withBorder
          radius="lg"
          px="lg"
          py="sm"
          mt="xl"
          maw={560}
          mx="auto"
          role="region"
          aria-label="Unsaved changes"
        >
          <Group justify="space-between" wrap="nowrap">
            <Group gap={6} wrap="nowrap">
              <IconPointFilled size={14} color="var(--mantine-color-orange-6)" />
              <Text size="sm" fw={500}>
                Unsaved changes
              </Text>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <Button variant="default" size="sm" onClick={onDiscard} disabled={saving}>
                Discard
              </Button>
              <Button type="submit" size="sm" loading={saving}>
                {saveLabel}
              </Button>
            </Group>
          </Group>
        </Paper>
      )}
    </Transition>
  );
}
