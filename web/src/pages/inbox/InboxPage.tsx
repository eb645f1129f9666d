import { useEffect, useState } from 'react';
import { Button, Card, EmptyState, Grid, Group, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconFilterOff, IconInbox, IconSearch, IconSend, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { ErrorAlert } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { INBOX, inboxApi, type InboxMessageSummary } from './api.ts';
import { MessageReader } from './MessageReader.tsx';

const section = sectionAt('/inbox');
const PAGE_SIZE = 40;

/** The capture inbox, like Mailpit: the list on the left, the selected message on the right. */
export function InboxPage() {
  const { messageId } = useParams();
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const narrow = useMediaQuery('(max-width: 62em)');
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [search, setSearch] = useState(query);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== query) setParams(debounced ? { q: debounced } : {}, { replace: true });
  }, [debounced]);

  const pages = useCursorPages(query);
  // New messages arrive while a campaign sends: keep the list current.
  const list = useBrandQuery([INBOX, 'list', query, pages.cursor ?? ''], () => inboxApi.list({ search: query, limit: PAGE_SIZE, cursor: pages.cursor }), { placeholderData: keepPreviousData, refetchInterval: 5000 });
  const [clearing, setClearing] = useState<{ busy: boolean } | null>(null);

  async function clear() {
    setClearing({ busy: true });
    try {
      const { deleted } = await inboxApi.clear();
      await invalidate(INBOX);
      notifications.show({ color: 'teal', message: `${deleted.toLocaleString()} ${deleted === 1 ? 'message' : 'messages'} deleted.` });
      navigate('/inbox');
      setClearing(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Inbox not cleared', message: err instanceof Error ? err.message : String(err) });
      setClearing({ busy: false });
    }
  }

  const messages = list.data?.data ?? [];
  const open = (m: InboxMessageSummary) => navigate({ pathname: `/inbox/${m.id}`, search: params.toString() });
  const showList = !narrow || !messageId;
  const showReader = !narrow || Boolean(messageId);

  return (
    <>
      <PageHeader
        title="Inbox"
        description={section.summary}
        actions={
          canWrite &&
          messages.length > 0 && (
            <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={() => setClearing({ busy: false })}>
              Clear inbox
            </Button>
          )
        }
      />
      {list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isSuccess && messages.length === 0 && !query && !pages.hasPrevious ? (
        <Card padding={48}>
          <EmptyState
            variant="light"
            icon={<IconInbox size={26} stroke={1.6} />}
            title="No messages captured yet"
            description="Until you add a provider, campaigns and test sends go to this built-in capture inbox instead of real mailboxes. Send a campaign or a test, and read it here exactly as recipients would — HTML, text, headers and raw source."
          >
            <EmptyState.Actions>
              {canWrite && (
                <Button component={Link} to="/campaigns/new" leftSection={<IconSend size={16} />}>
                  New campaign
                </Button>
              )}
              <Button component={Link} to="/settings/providers" variant="default">
                Providers
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      ) : (
        <Grid gap="lg" align="flex-start">
          {showList && (
            <Grid.Col span={{ base: 12, md: 5 }}>
              <TextInput aria-label="Search the inbox" placeholder="Search subject, from or to" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} mb="sm" />
              {list.isPending ? (
                <Stack gap="xs">
                  {[0, 1, 2, 3].map((i) => (
                    <Skeleton key={i} h={64} radius="md" />
                  ))}
                </Stack>
              ) : messages.length === 0 ? (
                <Card padding="xl">
                  <EmptyState icon={<IconFilterOff size={24} stroke={1.6} />} withIndicatorBackground title="No messages match" description={`Nothing has “${query}” in its subject, sender or recipients.`}>
                    <EmptyState.Actions>
                      <Button variant="default" onClick={() => setSearch('')}>
                        Clear search
                      </Button>
                    </EmptyState.Actions>
                  </EmptyState>
                </Card>
              ) : (
                <>
                  <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }} role="list" aria-label="Captured messages">
                    {messages.map((m, i) => (
                      <MessageRow key={m.id} message={m} selected={m.id === messageId} first={i === 0} onOpen={() => open(m)} />
                    ))}
                  </Card>
                  <CursorPager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={list.data?.nextCursor ?? null} busy={list.isPlaceholderData} onPrevious={pages.previous} onNext={pages.next} />
                </>
              )}
            </Grid.Col>
          )}
          {showReader && (
            <Grid.Col span={{ base: 12, md: 7 }}>
              {messageId ? (
                <MessageReader key={messageId} messageId={messageId} onBack={narrow ? () => navigate({ pathname: '/inbox', search: params.toString() }) : undefined} />
              ) : (
                <Card padding="xl" h={360}>
                  <Stack align="center" justify="center" h="100%" gap={6}>
                    <IconInbox size={28} stroke={1.4} color="var(--mantine-color-gray-5)" />
                    <Text size="sm" c="dimmed">
                      Select a message to read it.
                    </Text>
                  </Stack>
                </Card>
              )}
            </Grid.Col>
          )}
        </Grid>
      )}
      <ConfirmModal opened={clearing !== null} title="Clear the inbox?" confirmLabel="Delete all messages" loading={clearing?.busy} onClose={() => setClearing(null)} onConfirm={() => void clear()}>
        Every captured message of this brand is deleted. Campaign results are not affected.
      </ConfirmModal>
    </>
  );
}

function MessageRow({ message: m, selected, first, onOpen }: { message: InboxMessageSummary; selected: boolean; first: boolean; onOpen(): void }) {
  return (
    <UnstyledButton
      onClick={onOpen}
      role="listitem"
      aria-current={selected || undefined}
      data-testid="inbox-message"
      px="md"
      py="sm"
      display="block"
      w="100%"
      style={{
        borderTop: first ? undefined : '1px solid var(--mantine-color-gray-2)',
        background: selected ? 'var(--mantine-color-brand-0)' : undefined,
        boxShadow: selected ? 'inset 3px 0 0 var(--mantine-color-brand-6)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm" fw={600} truncate title={m.from}>
          {displayName(m.from)}
        </Text>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} title={formatDateTime(m.receivedAt)}>
          {timeAgo(m.receivedAt)}
        </Text>
      </Group>
      <Text size="sm" truncate>
        {m.subject || '(no subject)'}
      </Text>
      <Text size="xs" c="dimmed" truncate>
        To {m.to.join(', ')}
      </Text>
    </UnstyledButton>
  );
}

/** `"Acme Coffee" <hello@acme.test>` → `Acme Coffee`; a bare address stays as it is. */
function displayName(from: string): string {
  const named = /^\s*"?([^"<]*?)"?\s*<[^>]+>\s*$/.exec(from);
  return named?.[1]?.trim() || from;
}
