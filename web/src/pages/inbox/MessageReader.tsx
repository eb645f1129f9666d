import { useState } from 'react';
import { ActionIcon, Button, Card, Center, Code, DataList, Group, Loader, ScrollArea, Skeleton, Stack, Table, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowLeft, IconDownload, IconTrash } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { INBOX, inboxApi, type InboxMessage } from './api.ts';

type View = 'html' | 'text' | 'headers' | 'raw';

/** One captured message: the HTML in a frame that runs nothing, the text part, the headers and the raw source. */
export function MessageReader({ messageId, onBack }: { messageId: string; onBack?: () => void }) {
  const message = useBrandQuery([INBOX, 'message', messageId], () => inboxApi.get(messageId));
  if (message.isError)
    return (
      <Stack>
        {onBack && <BackButton onBack={onBack} />}
        <ErrorAlert error={message.error} onRetry={() => void message.refetch()} />
      </Stack>
    );
  if (message.isPending) return <Skeleton h={480} radius="md" />;
  return <Reader message={message.data} onBack={onBack} />;
}

function BackButton({ onBack }: { onBack(): void }) {
  return (
    <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={14} />} onClick={onBack} w="fit-content">
      Back to inbox
    </Button>
  );
}

function Reader({ message: m, onBack }: { message: InboxMessage; onBack?: () => void }) {
  const { canWrite } = useSignedIn();
  const invalidate = useInvalidateBrand();
  const navigate = useNavigate();
  const [view, setView] = useState<View>(m.html ? 'html' : 'text');
  const [deleting, setDeleting] = useState(false);

  async function remove() {
    setDeleting(true);
    try {
      await inboxApi.remove(m.id);
      await invalidate(INBOX);
      navigate('/inbox');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
      setDeleting(false);
    }
  }

  async function download() {
    const raw = await inboxApi.raw(m.id);
    const url = URL.createObjectURL(new Blob([raw], { type: 'message/rfc822' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: `${m.id}.eml` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <Card padding={0} data-testid="message-reader">
      <Stack gap="xs" p="md" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        {onBack && <BackButton onBack={onBack} />}
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
          <Title order={2} style={{ overflowWrap: 'anywhere' }} data-testid="message-subject">
            {m.subject || '(no subject)'}
          </Title>
          <Group gap={4} wrap="nowrap">
            <Tooltip label="Download .eml">
              <ActionIcon variant="subtle" color="gray" onClick={() => void download()} aria-label="Download .eml">
                <IconDownload size={16} />
              </ActionIcon>
            </Tooltip>
            {canWrite && (
              <Tooltip label="Delete message">
                <ActionIcon variant="subtle" color="red" onClick={() => void remove()} loading={deleting} aria-label="Delete message">
                  <IconTrash size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Group>
        <DataList size="sm" labelWidth={56} gap={2}>
          {[
            ['From', m.from],
            ['To', m.to.join(', ')],
            ['Date', `${formatDateTime(m.receivedAt)} · ${(m.size / 1024).toFixed(1)} KB`],
          ].map(([label, value]) => (
            <DataList.Item key={label}>
              <DataList.ItemLabel>
                <Text size="sm" c="dimmed">
                  {label}
                </Text>
              </DataList.ItemLabel>
              <DataList.ItemValue style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                <Text size="sm">{value}</Text>
              </DataList.ItemValue>
            </DataList.Item>
          ))}
        </DataList>
      </Stack>
      <Tabs value={view} onChange={(v) => setView((v as View) ?? 'html')} keepMounted={false}>
        <Tabs.List px="md">
          <Tabs.Tab value="html" disabled={!m.html}>
            HTML
          </Tabs.Tab>
          <Tabs.Tab value="text" disabled={!m.text}>
            Text
          </Tabs.Tab>
          <Tabs.Tab value="headers">Headers</Tabs.Tab>
          <Tabs.Tab value="raw">Raw</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="html">
          {/* An empty sandbox: the email's scripts, forms and plugins never run, and it cannot reach the app. */}
          <iframe title="Message HTML" sandbox="" srcDoc={m.html ?? ''} data-testid="inbox-html" style={{ display: 'block', border: 0, width: '100%', height: 640, background: 'white' }} />
        </Tabs.Panel>
        <Tabs.Panel value="text">
          <Source text={m.text ?? ''} testId="inbox-text" />
        </Tabs.Panel>
        <Tabs.Panel value="headers">
          <Table.ScrollContainer minWidth={420} type="native">
            <Table fz="xs" verticalSpacing={6} data-testid="inbox-headers">
              <Table.Tbody>
                {m.headers.map((h, i) => (
                  <Table.Tr key={`${h.name}-${i}`}>
                    <Table.Td w={170} fw={600} style={{ verticalAlign: 'top', fontFamily: 'var(--mantine-font-family-monospace)' }}>
                      {h.name}
                    </Table.Td>
                    <Table.Td style={{ fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' }}>{h.value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Tabs.Panel>
        <Tabs.Panel value="raw">
          <Raw messageId={m.id} />
        </Tabs.Panel>
      </Tabs>
    </Card>
  );
}

function Source({ text, testId }: { text: string; testId: string }) {
  return (
    <ScrollArea.Autosize mah={640} type="auto">
      <Code block fz={12} p="md" bg="transparent" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid={testId}>
        {text}
      </Code>
    </ScrollArea.Autosize>
  );
}

function Raw({ messageId }: { messageId: string }) {
  const raw = useBrandQuery([INBOX, 'message', messageId, 'raw'], () => inboxApi.raw(messageId), { staleTime: Infinity });
  if (raw.isError)
    return (
      <Center p="md">
        <ErrorAlert error={raw.error} onRetry={() => void raw.refetch()} />
      </Center>
    );
  if (raw.isPending)
    return (
      <Center p="xl">
        <Loader size="sm" />
      </Center>
    );
  return <Source text={raw.data} testId="inbox-raw" />;
}
