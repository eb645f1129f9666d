import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Button, Card, Group, Menu, Modal, Stack, Table, Text, TextInput, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconDots, IconEdit, IconInbox, IconPlugConnected, IconPlus, IconSend, IconStar, IconTrash, IconX } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ProviderFormModal } from '../../components/campaign/ProviderFormModal.tsx';
import { PROVIDER_KIND_LABELS } from '../../components/campaign/providerKinds.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { providersApi, type ProviderAccount, type ProviderTestResult } from '../campaigns/api.ts';
import { PROVIDERS, useProviders } from '../campaigns/queries.ts';

const section = sectionAt('/settings/providers');

/** S9.1: the brand's sending accounts, the built-in capture inbox among them, and which one is the default. */
export function ProvidersPage() {
  const { isManager } = useSignedIn();
  const invalidate = useInvalidateBrand();
  const providers = useProviders();
  const [editing, setEditing] = useState<{ account: ProviderAccount | null } | null>(null);
  const [testing, setTesting] = useState<ProviderAccount | null>(null);
  const [deleting, setDeleting] = useState<{ account: ProviderAccount; busy: boolean } | null>(null);

  async function makeDefault(account: ProviderAccount, all: ProviderAccount[]) {
    try {
      if (account.builtIn) {
        // The capture inbox is the default whenever no account is: unset the current one.
        const current = all.find((p) => p.isDefault && !p.builtIn);
        if (current) await providersApi.update(current.id, { isDefault: false });
      } else {
        await providersApi.update(account.id, { isDefault: true });
      }
      await invalidate(PROVIDERS);
      notifications.show({ color: 'teal', message: `Campaigns now send through ${account.name} unless they name another provider.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Default not changed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  async function remove() {
    if (!deleting) return;
    setDeleting({ ...deleting, busy: true });
    try {
      await providersApi.remove(deleting.account.id);
      await invalidate(PROVIDERS);
      notifications.show({ color: 'teal', message: `“${deleting.account.name}” deleted.` });
      setDeleting(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
      setDeleting({ ...deleting, busy: false });
    }
  }

  const addButton = isManager && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing({ account: null })}>
      Add provider
    </Button>
  );

  return (
    <>
      <PageHeader title="Providers" description={section.summary} actions={addButton} />
      <QueryState query={providers}>
        {({ data }) => (
          <Stack gap="lg">
            <Card padding={0}>
              <Table.ScrollContainer minWidth={320} type="native">
                <Table layout="fixed" data-testid="providers">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Account</Table.Th>
                      <Table.Th w={150} visibleFrom="sm">
                        Provider
                      </Table.Th>
                      <Table.Th w={200} visibleFrom="sm">
                        Credentials
                      </Table.Th>
                      <Table.Th w={52} aria-label="Actions" />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((p) => (
                      <Table.Tr key={p.id} data-testid={`provider-${p.name}`}>
                        <Table.Td>
                          <Group gap="sm" wrap="nowrap">
                            <ThemeIcon variant="light" color={p.builtIn ? 'gray' : 'brand'} radius="md" size={32}>
                              {p.builtIn ? <IconInbox size={17} /> : <IconPlugConnected size={17} />}
                            </ThemeIcon>
                            <Stack gap={0} style={{ minWidth: 0 }}>
                              <Group gap={6} wrap="nowrap">
                                <Text size="sm" fw={500} truncate>
                                  {p.name}
                                </Text>
                                {p.isDefault && (
                                  <Badge size="xs" variant="light" color="teal" radius="sm" tt="none" style={{ flexShrink: 0 }} data-testid="default-badge">
                                    Default
                                  </Badge>
                                )}
                              </Group>
                              <Text size="xs" c="dimmed" truncate>
                                <Text span size="xs" hiddenFrom="sm">
                                  {PROVIDER_KIND_LABELS[p.kind] ?? p.kind} ·{' '}
                                </Text>
                                {p.builtIn ? 'Keeps every message on this machine — read them in the Inbox' : p.updatedAt ? `Changed ${formatDateTime(p.updatedAt)}` : ''}
                              </Text>
                            </Stack>
                          </Group>
                        </Table.Td>
                        <Table.Td visibleFrom="sm">
                          <Text size="sm">{PROVIDER_KIND_LABELS[p.kind] ?? p.kind}</Text>
                        </Table.Td>
                        <Table.Td visibleFrom="sm">
                          <Credentials account={p} />
                        </Table.Td>
                        <Table.Td>
                          <Menu position="bottom-end" shadow="md">
                            <Menu.Target>
                              <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${p.name}`}>
                                <IconDots size={16} />
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              {p.builtIn && (
                                <Menu.Item leftSection={<IconInbox size={14} />} component={Link} to="/inbox">
                                  Open the Inbox
                                </Menu.Item>
                              )}
                              {isManager && (
                                <Menu.Item leftSection={<IconSend size={14} />} onClick={() => setTesting(p)}>
                                  Send a test
                                </Menu.Item>
                              )}
                              {isManager && !p.isDefault && (
                                <Menu.Item leftSection={<IconStar size={14} />} onClick={() => void makeDefault(p, data)}>
                                  Make default
                                </Menu.Item>
                              )}
                              {isManager && !p.builtIn && (
                                <>
                                  <Menu.Item leftSection={<IconEdit size={14} />} onClick={() => setEditing({ account: p })}>
                                    Edit
                                  </Menu.Item>
                                  <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setDeleting({ account: p, busy: false })}>
                                    Delete
                                  </Menu.Item>
                                </>
                              )}
                              {!isManager && !p.builtIn && <Menu.Label>Only managers change providers</Menu.Label>}
                            </Menu.Dropdown>
                          </Menu>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
            {data.every((p) => p.builtIn) && (
              <Alert variant="light" color="blue" icon={<IconInbox size={18} />} title="Nothing leaves this machine yet">
                Every campaign goes to the built-in capture inbox, where you can read it as recipients would. Add SMTP, Amazon SES, Resend, SendGrid, Mailgun or Postmark to deliver to real mailboxes — then set up a sending domain so they trust your mail.
                {addButton && (
                  <Group mt="sm" gap="sm">
                    {addButton}
                    <Button variant="default" component={Link} to="/settings/domains">
                      Sending domains
                    </Button>
                  </Group>
                )}
              </Alert>
            )}
          </Stack>
        )}
      </QueryState>

      <ProviderFormModal
        opened={editing !== null}
        account={editing?.account ?? null}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          void invalidate(PROVIDERS);
          notifications.show({ color: 'teal', message: editing?.account ? `“${saved.name}” saved.` : `“${saved.name}” added. Send a test to check the credentials.` });
          setEditing(null);
        }}
      />
      <TestModal account={testing} onClose={() => setTesting(null)} />
      <ConfirmModal opened={deleting !== null} title="Delete provider account" confirmLabel="Delete account" loading={deleting?.busy} onClose={() => setDeleting(null)} onConfirm={() => void remove()}>
        {deleting && `“${deleting.account.name}” and its stored credentials are deleted. Campaigns that named it fall back to the brand default.`}
      </ConfirmModal>
    </>
  );
}

/** Which secrets are stored (never what they are). */
function Credentials({ account }: { account: ProviderAccount }) {
  if (account.builtIn)
    return (
      <Text size="xs" c="dimmed">
        None needed
      </Text>
    );
  const secrets = Object.entries(account.secrets).filter(([, set]) => set);
  const webhook = Object.values(account.webhookSecrets).some(Boolean) || account.webhook !== null;
  return (
    <Group gap={4}>
      <Badge size="sm" variant="light" color={secrets.length ? 'teal' : 'gray'} radius="sm" tt="none" fw={500}>
        {secrets.length ? 'Key stored' : 'No secret'}
      </Badge>
      {account.webhookUrl !== null && (
        <Badge size="sm" variant={webhook ? 'light' : 'outline'} color={webhook ? 'teal' : 'orange'} radius="sm" tt="none" fw={500}>
          {webhook ? 'Webhook verified' : 'No webhook'}
        </Badge>
      )}
    </Group>
  );
}

function TestModal({ account, onClose }: { account: ProviderAccount | null; onClose(): void }) {
  const { user } = useSignedIn();
  const [to, setTo] = useState(user.email);
  const [result, setResult] = useState<ProviderTestResult | null>(null);
  const [sending, setSending] = useState(false);
  const errors = useFormErrors(['to']);

  function close() {
    setResult(null);
    errors.clear();
    onClose();
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!account) return;
    errors.clear();
    setResult(null);
    setSending(true);
    try {
      setResult(await providersApi.test(account.id, to.trim()));
    } catch (err) {
      errors.show(err);
    } finally {
      setSending(false);
    }
  }

  const outcome = result?.outcome;
  return (
    <Modal opened={account !== null} onClose={close} title={<Text fw={600}>Send a test through {account?.name}</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput label="Send to" type="email" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.fields.to} required data-autofocus />
          {outcome?.status === 'accepted' && (
            <Alert color="teal" variant="light" icon={<IconCheck size={16} />} title="Accepted" data-testid="provider-test-result">
              The provider took the message (id <code>{outcome.providerMessageId}</code>).
              {account?.builtIn && (
                <>
                  {' '}
                  <Anchor component={Link} to="/inbox" size="sm">
                    Read it in the Inbox
                  </Anchor>
                  .
                </>
              )}
            </Alert>
          )}
          {outcome && outcome.status !== 'accepted' && (
            <Alert color="red" variant="light" icon={<IconX size={16} />} title={outcome.status === 'retry' ? 'Temporarily refused' : 'Refused'} data-testid="provider-test-result">
              {outcome.error.message}
              {outcome.error.httpStatus ? ` (HTTP ${outcome.error.httpStatus})` : ''}
            </Alert>
          )}
          {errors.message && (
            <Alert color="red" variant="light" p="xs">
              {errors.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {result ? 'Done' : 'Cancel'}
            </Button>
            <Button type="submit" loading={sending} leftSection={<IconSend size={16} />}>
              Send test
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
