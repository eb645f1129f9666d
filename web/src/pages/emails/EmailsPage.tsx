import { useEffect, useState } from 'react';
import { ActionIcon, Anchor, Badge, Button, Card, EmptyState, Group, Menu, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconCopy, IconDots, IconFileImport, IconFilterOff, IconMail, IconPlus, IconSearch, IconSparkles, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { PreflightBadge } from '../../components/email/PreflightScore.tsx';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { CursorPager } from '../../components/CursorPager.tsx';
import { ApiError } from '../../api.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useCursorPages } from '../../lib/paging.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { emailsApi, type EmailSummary } from './api.ts';
import { GenerateEmailModal } from './GenerateEmailModal.tsx';
import { ImportEmailModal } from './ImportEmailModal.tsx';
import { CATEGORY_INFO, FORMAT_LABELS } from './labels.ts';
import { EMAILS } from './queries.ts';

const section = sectionAt('/emails');
const PAGE_SIZE = 30;

export function EmailsPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [search, setSearch] = useState(query);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== query) setParams(debounced ? { q: debounced } : {}, { replace: true });
  }, [debounced]);

  const pages = useCursorPages(query);
  const list = useBrandQuery([EMAILS, 'list', query, pages.cursor ?? ''], () => emailsApi.list({ search: query, limit: PAGE_SIZE, cursor: pages.cursor }), { placeholderData: keepPreviousData });

  const [dialog, setDialog] = useState<'generate' | 'import' | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<{ email: EmailSummary; busy: boolean } | null>(null);

  async function createBlank() {
    setCreating(true);
    try {
      const email = await emailsApi.create({ name: 'Untitled email' });
      await invalidate(EMAILS, 'list');
      navigate(`/emails/${email.id}`);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not create the email', message: err instanceof Error ? err.message : String(err) });
      setCreating(false);
    }
  }

  async function duplicate(email: EmailSummary) {
    try {
      const copy = await emailsApi.duplicate(email.id);
      await invalidate(EMAILS, 'list');
      notifications.show({ color: 'teal', message: `Duplicated as “${copy.name}”.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not duplicated', message: err instanceof Error ? err.message : String(err) });
    }
  }

  async function remove() {
    if (!deleting) return;
    setDeleting({ ...deleting, busy: true });
    try {
      await emailsApi.remove(deleting.email.id);
      await invalidate(EMAILS, 'list');
      notifications.show({ color: 'teal', message: `“${deleting.email.name}” deleted.` });
      setDeleting(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
      // A refusal (the email was sent) stands however often it is confirmed: close the dialog.
      setDeleting(err instanceof ApiError && err.code === 'conflict' ? null : { ...deleting, busy: false });
    }
  }

  const actions = canWrite && (
    <>
      <Button variant="default" leftSection={<IconFileImport size={16} />} onClick={() => setDialog('import')}>
        Import
      </Button>
      <Button variant="light" leftSection={<IconSparkles size={16} />} onClick={() => setDialog('generate')}>
        Generate from prompt
      </Button>
      <Button leftSection={<IconPlus size={16} />} onClick={() => void createBlank()} loading={creating}>
        New email
      </Button>
    </>
  );

  return (
    <>
      <PageHeader title="Emails" description={section.summary} actions={actions} />
      <TextInput
        aria-label="Search emails"
        placeholder="Search by name or subject"
        leftSection={<IconSearch size={16} />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        mb="md"
        maw={420}
      />
      <QueryState query={list} skeletonRows={6}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            query ? (
              <Card padding={48}>
                <EmptyState icon={<IconFilterOff size={26} stroke={1.6} />} withIndicatorBackground title="No emails match" description={`Nothing is named or titled “${query}”.`}>
                  <EmptyState.Actions>
                    <Button variant="default" onClick={() => setSearch('')}>
                      Clear search
                    </Button>
                  </EmptyState.Actions>
                </EmptyState>
              </Card>
            ) : (
              <Card padding={48}>
                <EmptyState
                  variant="light"
                  icon={<IconMail size={26} stroke={1.6} />}
                  title="No emails yet"
                  description="Describe the email you want and let the composer write it in your brand’s voice, start from a blank layout, or import HTML, MJML or an .eml file you already have."
                >
                  {canWrite && <EmptyState.Actions>{actions}</EmptyState.Actions>}
                </EmptyState>
              </Card>
            )
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={760} type="native">
                  <Table highlightOnHover layout="fixed">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Email</Table.Th>
                        <Table.Th w={130}>Category</Table.Th>
                        <Table.Th w={150}>Preflight</Table.Th>
                        <Table.Th w={140}>Updated</Table.Th>
                        {canWrite && <Table.Th w={52} aria-label="Actions" />}
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((e) => (
                        <Table.Tr key={e.id} onClick={() => navigate(`/emails/${e.id}`)} style={{ cursor: 'pointer' }} data-testid={`email-${e.name}`}>
                          <Table.Td>
                            <Group gap={6} wrap="nowrap">
                              <Anchor component={Link} to={`/emails/${e.id}`} size="sm" fw={500} c="inherit" truncate onClick={(ev) => ev.stopPropagation()}>
                                {e.name}
                              </Anchor>
                              {e.format !== 'blocks' && (
                                <Badge size="xs" variant="default" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
                                  {FORMAT_LABELS[e.format]}
                                </Badge>
                              )}
                            </Group>
                            <Text size="xs" c="dimmed" truncate>
                              {e.subject || 'No subject yet'}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Badge variant="light" color={CATEGORY_INFO[e.category].color} radius="sm" tt="none" fw={500}>
                              {CATEGORY_INFO[e.category].label}
                            </Badge>
                          </Table.Td>
                          <Table.Td>
                            <PreflightBadge summary={e.lastPreflight} checkedLabel={e.lastPreflight ? `checked ${timeAgo(e.lastPreflight.at)}` : undefined} />
                          </Table.Td>
                          <Table.Td>
                            <Tooltip label={formatDateTime(e.updatedAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(e.updatedAt)}
                              </Text>
                            </Tooltip>
                          </Table.Td>
                          {canWrite && (
                            <Table.Td onClick={(ev) => ev.stopPropagation()}>
                              <Menu position="bottom-end" shadow="md">
                                <Menu.Target>
                                  <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${e.name}`}>
                                    <IconDots size={16} />
                                  </ActionIcon>
                                </Menu.Target>
                                <Menu.Dropdown>
                                  <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => void duplicate(e)}>
                                    Duplicate
                                  </Menu.Item>
                                  <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting({ email: e, busy: false })}>
                                    Delete
                                  </Menu.Item>
                                </Menu.Dropdown>
                              </Menu>
                            </Table.Td>
                          )}
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <CursorPager page={pages.page} hasPrevious={pages.hasPrevious} nextCursor={nextCursor} busy={list.isPlaceholderData} onPrevious={pages.previous} onNext={pages.next} />
            </>
          )
        }
      </QueryState>

      <GenerateEmailModal opened={dialog === 'generate'} onClose={() => setDialog(null)} />
      <ImportEmailModal opened={dialog === 'import'} onClose={() => setDialog(null)} />
      <ConfirmModal opened={deleting !== null} title="Delete email" confirmLabel="Delete email" loading={deleting?.busy} onClose={() => setDeleting(null)} onConfirm={() => void remove()}>
        {deleting && `“${deleting.email.name}” and all its versions are deleted. This cannot be undone.`}
      </ConfirmModal>
    </>
  );
}
