import { useEffect, useState, type ReactNode } from 'react';
import { Loader, Progress, Stack, Text } from '@mantine/core';
import { useInterval } from '@mantine/hooks';

/**
 * Shown while the composer works. It is one request with no progress events, so this says what is
 * being done and how long it has taken so far: a slow model must not look like a hang.
 */
export function ComposerWorking({ title, progressLabel, provider, testId, children }: { title: string; progressLabel: string; provider: string | null; testId?: string; children: ReactNode }) {
  const [seconds, setSeconds] = useState(0);
  const tick = useInterval(() => setSeconds((s) => s + 1), 1000);
  useEffect(() => {
    tick.start();
    return tick.stop;
  }, []);
  return (
    <Stack align="center" gap="md" py="lg" role="status" aria-live="polite" data-testid={testId}>
      <Loader size="md" type="dots" />
      <Text fw={600}>{title}</Text>
      {children}
      <Progress value={100} animated striped w="70%" size="sm" aria-label={progressLabel} />
      <Text size="xs" c="dimmed">
        {seconds}s{provider ? ` · ${provider}` : ''}
      </Text>
    </Stack>
  );
}
