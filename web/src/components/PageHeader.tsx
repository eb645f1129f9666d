import type { ReactNode } from 'react';
import { Badge, Flex, Group, Stack, Text, Title } from '@mantine/core';

interface Props {
  title: string;
  description?: ReactNode;
  /** Buttons shown on the right of the title. */
  actions?: ReactNode;
  badge?: ReactNode;
}

export function PageHeader({ title, description, actions, badge }: Props) {
  return (
    <Flex direction={{ base: 'column', sm: 'row' }} justify="space-between" align={{ base: 'stretch', sm: 'flex-start' }} mb="xl" gap="md">
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1}>{title}</Title>
          {typeof badge === 'string' ? (
            <Badge variant="light" radius="sm" size="sm">
              {badge}
            </Badge>
          ) : (
            badge
          )}
        </Group>
        {description && (
          <Text c="dimmed" size="sm" maw={640}>
            {description}
          </Text>
        )}
      </Stack>
      {actions && (
        <Group gap="sm" wrap="nowrap">
          {actions}
        </Group>
      )}
    </Flex>
  );
}
