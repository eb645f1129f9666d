import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Avatar, Badge, Button, Card, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { api, type Member, type Role } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { FormSection } from '../../components/FormSection.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDate, initials } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';

const section = sectionAt('/settings/members');

export const ROLE_INFO: Record<Role, { label: string; can: string }> = {
  manager: { label: 'Manager', can: 'Everything, including brand settings, members and API keys' },
  editor: { label: 'Editor', can: 'Create and edit emails, campaigns and series, and send them' },
  commenter: { label: 'Commenter', can: 'Read everything and leave comments' },
  viewer: { label: 'Viewer', can: 'Read everything' },
};
const ROLE_OPTIONS = (Object.keys(ROLE_INFO) as Role[]).map((r) => ({ value: r, label: ROLE_INFO[r].label }));

export function MembersPage() {
  const { isManager, membership } = useSignedIn();
  const members = useBrandQuery(['members'], api.members);
  return (
    <>
      <PageHeader title="Members" description={section.summary} />
      <Stack gap="lg">
        {isManager && <AddMember />}
        <QueryState query={members}>{({ data }) => <MemberTable members={data} editable={isManager} />}</QueryState>
        <RoleLegend highlight={membership?.role} />
      </Stack>
    </>
  );
}

function AddMember() {
  const invalidate = useInvalidateBrand();
  const errors = useFormErrors(['email', 'role']);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      await api.setMember(email.trim(), role);
      await invalidate('members');
      notifications.show({ color: 'teal', title: 'Member added', message: `${email.trim()} is now ${ROLE_INFO[role].label.toLowerCase()} of this brand.` });
      setEmail('');
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormSection
      title="Add a member"
      description={
        <>
          They need a Tidings account first; an administrator creates it with <Code>tidings users create</Code>.
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {errors.message && !errors.fields.email && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md">
            {errors.message}
          </Alert>
        )}
        <Group align="flex-start" gap="sm" wrap="nowrap">
          <TextInput
            aria-label="Email"
            placeholder="teammate@company.com"
            type="email"
            value={email}
            onChange={(e) => {
              setEmail(e.currentTarget.value);
              errors.clearField('email');
            }}
            error={errors.fields.email}
            style={{ flex: 1 }}
          />
          <Select aria-label="Role" data={ROLE_OPTIONS} value={role} onChange={(v) => v && setRole(v as Role)} allowDeselect={false} w={150} error={errors.fields.role} />
          <Button type="submit" loading={busy} leftSection={<IconUserPlus size={16} />}>
            Add member
          </Button>
        </Group>
      </form>
    </FormSection>
  );
}

function MemberTable({ members, editable }: { members: Member[]; editable: boolean }) {
  const { user, refresh } = useSignedIn();
  const invalidate = useInvalidateBrand();
  const [removing, setRemoving] = useState<Member | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(what: () => Promise<unknown>, done: string, affectsMe: boolean) {
    setBusy(true);
    try {
      await what();
      await invalidate('members');
      if (affectsMe) await refresh();
      notifications.show({ color: 'teal', message: done });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not changed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  const changeRole = (m: Member, role: Role) => act(() => api.setMember(m.email, role), `${m.name} is now ${ROLE_INFO[role].label.toLowerCase()}.`, m.userId === user.id);

  return (
    <Card padding={0}>
      <Table.ScrollContainer minWidth={560} type="native">
        <Table highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Member</Table.Th>
              <Table.Th w={180}>Role</Table.Th>
              <Table.Th w={140}>Since</Table.Th>
              {editable && <Table.Th w={60} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => (
              <Table.Tr key={m.userId} data-testid={`member-${m.email}`}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar size={32} radius="xl" color="brand" variant="light">
                      {initials(m.name)}
                    </Avatar>
                    <div>
                      <Text size="sm" fw={500}>
                        {m.name}{' '}
                        {m.userId === user.id && (
                          <Text span size="xs" c="dimmed">
                            (you)
                          </Text>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {m.email}
                      </Text>
                    </div>
                  </Group>
                </Table.Td>
                <Table.Td>
                  {editable ? (
                    <Select
                      aria-label={`Role of ${m.email}`}
                      size="xs"
                      data={ROLE_OPTIONS}
                      value={m.role}
                      onChange={(v) => v && v !== m.role && void changeRole(m, v as Role)}
                      allowDeselect={false}
                      disabled={busy}
                      w={140}
                    />
                  ) : (
                    <Badge variant="light" radius="sm" color={m.role === 'manager' ? 'brand' : 'gray'}>
                      {ROLE_INFO[m.role].label}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {formatDate(m.since)}
                  </Text>
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Tooltip label="Remove from brand">
                      <ActionIcon variant="subtle" color="gray" aria-label={`Remove ${m.email}`} onClick={() => setRemoving(m)}>
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={removing !== null}
        title="Remove member"
        confirmLabel="Remove"
        loading={busy}
        onClose={() => setRemoving(null)}
        onConfirm={() => {
          const m = removing!;
          void act(() => api.removeMember(m.userId), `${m.name} was removed from the brand.`, m.userId === user.id).then(() => setRemoving(null));
        }}
      >
        {removing && `${removing.name} (${removing.email}) will lose access to this brand. Their account and their past work stay.`}
      </ConfirmModal>
    </Card>
  );
}

function RoleLegend({ highlight }: { highlight?: Role }) {
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
      {(Object.keys(ROLE_INFO) as Role[]).map((r) => (
        <Card key={r} padding="sm" bg={r === highlight ? 'var(--mantine-primary-color-light)' : undefined}>
          <Text size="sm" fw={600}>
            {ROLE_INFO[r].label}
            {r === highlight && (
              <Text span size="xs" c="dimmed" fw={400}>
                {' '}
                · your role
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed" mt={2}>
            {ROLE_INFO[r].can}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
