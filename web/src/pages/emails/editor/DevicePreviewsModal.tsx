import { useEffect, useState } from 'react';
import { Alert, Badge, Group, Image, Loader, Modal, Paper, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconDeviceDesktop, IconDeviceMobile, IconInfoCircle, IconMoon, IconSun } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { emailsApi, type DevicePreview } from '../api.ts';

type Shot = DevicePreview & { src: string };
const SCHEME_ORDER = { light: 0, dark: 1 } as const;

/** S4.2: screenshots at 600 and 375 px, light and dark, from headless Chromium — and said to be just that. */
export function DevicePreviewsModal({ emailId, opened, onClose }: { emailId: string; opened: boolean; onClose(): void }) {
  const [state, setState] = useState<{ status: 'idle' | 'loading' } | { status: 'done'; shots: Shot[]; note: string } | { status: 'error'; error: unknown }>({ status: 'idle' });

  useEffect(() => {
    if (!opened) return;
    let cancelled = false;
    const urls: string[] = [];
    setState({ status: 'loading' });
    (async () => {
      try {
        const { previews, note } = await emailsApi.previews(emailId);
        const shots = await Promise.all(previews.map(async (p) => ({ ...p, src: await emailsApi.previewImage(p.url) })));
        urls.push(...shots.map((s) => s.src));
        if (!cancelled) setState({ status: 'done', shots, note });
      } catch (error) {
        if (!cancelled) setState({ status: 'error', error });
      }
    })();
    return () => {
      cancelled = true;
      urls.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [opened, emailId]);

  return (
    <Modal opened={opened} onClose={onClose} size={1000} title={<Text fw={600}>Device previews</Text>}>
      {state.status === 'error' ? (
        <ErrorAlert error={state.error} />
      ) : state.status !== 'done' ? (
        <Stack gap="md">
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Taking screenshots in headless Chromium…
            </Text>
          </Group>
          <SimpleGrid cols={4}>
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} h={360} radius="md" />
            ))}
          </SimpleGrid>
        </Stack>
      ) : (
        <Stack gap="md">
          <Alert variant="light" color="blue" icon={<IconInfoCircle size={16} />} p="xs">
            {state.note} Client support comes from the compatibility checks in the preflight report.
          </Alert>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="md">
            {state.shots
              .slice()
              .sort((a, b) => b.width - a.width || SCHEME_ORDER[a.scheme] - SCHEME_ORDER[b.scheme])
              .map((s) => (
                <Paper key={s.url} withBorder radius="md" p="xs" bg={s.scheme === 'dark' ? 'dark.7' : 'gray.0'}>
                  <Group gap={6} mb={6} justify="space-between">
                    <Group gap={4}>
                      {s.width === 600 ? <IconDeviceDesktop size={14} color={s.scheme === 'dark' ? 'white' : undefined} /> : <IconDeviceMobile size={14} color={s.scheme === 'dark' ? 'white' : undefined} />}
                      <Text size="xs" fw={600} c={s.scheme === 'dark' ? 'white' : undefined}>
                        {s.width === 600 ? 'Desktop' : 'Mobile'} · {s.width}px
                      </Text>
                    </Group>
                    <Badge size="xs" variant="light" tt="none" fw={500} color={s.scheme === 'dark' ? 'gray' : 'yellow'} leftSection={s.scheme === 'dark' ? <IconMoon size={10} /> : <IconSun size={10} />}>
                      {s.scheme}
                    </Badge>
                  </Group>
                  <div style={{ maxHeight: 520, overflowY: 'auto', borderRadius: 6 }}>
                    <Image src={s.src} alt={`${s.width}px ${s.scheme} preview`} />
                  </div>
                </Paper>
              ))}
          </SimpleGrid>
        </Stack>
      )}
    </Modal>
  );
}
