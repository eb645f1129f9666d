import type { ReactNode } from 'react';
import { Card, Stack, Text, Title } from '@mantine/core';

/** A titled card grouping related settings. */
export function FormSection({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <Stack gap={2} mb="md">
        <Title order={2}>{title}</Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      <Stack gap="md">{children}</Stack>
    </Card>
  );
}
