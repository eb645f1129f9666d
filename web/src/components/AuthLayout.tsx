import type { ReactNode } from 'react';
import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { Logo } from './Logo.tsx';

interface Props {
  title: string;
  subtitle: ReactNode;
  width?: number;
  children: ReactNode;
}

/** The frame of the screens before sign-in: a centred card on a quiet background. */
export function AuthLayout({ title, subtitle, width = 420, children }: Props) {
  return (
    <Box mih="100vh" bg="var(--mantine-color-gray-0)" py={56} px="md">
      <Center>
        <Stack gap="xl" w="100%" maw={width}>
          <Center>
            <Logo size={32} />
          </Center>
          <Paper withBorder shadow="xs" p={32} radius="lg">
            <Stack gap={6} mb="xl">
              <Title order={1} fz={22}>
                {title}
              </Title>
              <Text size="sm" c="dimmed">
                {subtitle}
              </Text>
            </Stack>
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
