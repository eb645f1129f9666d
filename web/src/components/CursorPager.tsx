import type { ReactNode } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';

interface Props {
  page: number;
  hasPrevious: boolean;
  nextCursor: string | null;
  /** True while the next page is loading: the buttons wait for it. */
  busy?: boolean;
  onPrevious(): void;
  onNext(cursor: string): void;
  previousLabel?: string;
  nextLabel?: string;
  summary?: ReactNode;
}

export function CursorPager({ page, hasPrevious, nextCursor, busy, onPrevious, onNext, previousLabel = 'Previous', nextLabel = 'Next', summary }: Props) {
  if (page === 1 && !nextCursor) return summary ? <Text size="sm" c="dimmed" mt="md">{summary}</Text> : null;
  return (
    <Group justify="space-between" mt="md">
      <Text size="sm" c="dimmed">
        {summary ?? `Page ${page}`}
      </Text>
      <Group gap="xs">
        <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} />} disabled={!hasPrevious || busy} onClick={onPrevious}>
          {previousLabel}
        </Button>
        <Button variant="default" size="xs" rightSection={<IconChevronRight size={14} />} disabled={!nextCursor || busy} onClick={() => nextCursor && onNext(nextCursor)}>
          {nextLabel}
        </Button>
      </Group>
    </Group>
  );
}
