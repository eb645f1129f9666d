import type { ReactNode } from 'react';
import { Card, Group, Text, Tooltip } from '@mantine/core';

interface Props {
  label: string;
  value: ReactNode;
  /** A second line: a rate, a breakdown. */
  detail?: ReactNode;
  hint?: string;
  color?: string;
  testId?: string;
}

/** One headline figure of a campaign's results. */
export function StatCard({ label, value, detail, hint, color, testId }: Props) {
  const body = (
    <Card padding="md" data-testid={testId} h="100%">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Group gap={6} align="baseline" mt={4} wrap="nowrap">
        <Text fz={26} fw={700} lh={1.1} c={color} data-testid={testId ? `${testId}-value` : undefined}>
          {value}
        </Text>
      </Group>
      {detail && (
        <Text size="xs" c="dimmed" mt={4} lh={1.4}>
          {detail}
        </Text>
      )}
    </Card>
  );
  return hint ? (
    <Tooltip label={hint} multiline maw={280}>
      {body}
    </Tooltip>
  ) : (
    body
  );
}
