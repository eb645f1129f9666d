import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, List, Modal, Select, Stack, TagsInput, Text, ThemeIcon } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertCircle, IconCheck, IconSend } from '@tabler/icons-react';
import { api } from '../../../api.ts';
import { useFormErrors } from '../../../lib/forms.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { contactName } from '../../audience/contacts/contactName.ts';
import { emailsApi, type Email } from '../api.ts';

const MAX_ADDRESSES = 10;

interface Props {
  email: Email;
  opened: boolean;
  onClose(): void;
  /** Saves pending changes first: the test send sends the saved email. */
  prepare(): Promise<boolean>;
}

/** S3.4: the email to up to ten addresses, merge tags filled from a chosen contact (or sample data). */
export function SendTestModal({ email, opened, onClose, prepare }: Props) {
  const { user } = useSignedIn();
  const [to, setTo] = useState<string[]>([user.email]);
  const [contactId, setContactId] = useState<string | null>(null);
  const [chosenLabel, setChosenLabel] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const contacts = useBrandQuery(['contacts', 'list', 'test-send-picker', debounced], () => api.contacts.list({ search: debounced, limit: 20 }), { enabled: opened });
  const errors = useFormErrors(['to', 'contactId']);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<{ to: string; messageId: string }[] | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setSending(true);
    try {
      if (!(await prepare())) {
        errors.show(new Error('Your unsaved changes have problems; fix them first — the test sends the saved email.'));
        return;
      }
      const result = await emailsApi.testSend(email.id, { to, ...(contactId ? { contactId } : {}) });
      setSent(result.sent);
    } catch (err) {
      errors.show(err);
    } finally {
      setSending(false);
    }
  }

  function close() {
    setSent(null);
    errors.clear();
    onClose();
  }

  const options = (contacts.data?.data ?? []).map((c) => ({ value: c.id, label: contactName(c) ? `${contactName(c)} <${c.email}>` : c.email }));
  // Keep the chosen contact among the options while the search shows others.
  const chosen = contactId && chosenLabel && !options.some((o) => o.value === contactId) ? [{ value: contactId, label: chosenLabel }] : [];

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Send a test</Text>} size="md">
      {sent ? (
        <Stack gap="md">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon color="teal" radius="xl" variant="light">
              <IconCheck size={16} />
            </ThemeIcon>
            <Text size="sm" fw={500}>
              Test sent to {sent.length} {sent.length === 1 ? 'address' : 'addresses'}
            </Text>
          </Group>
          <List size="sm" spacing={4}>
            {sent.map((s) => (
              <List.Item key={s.messageId}>
                {s.to}{' '}
                <Text span size="xs" c="dimmed" ff="monospace">
                  {s.messageId}
                </Text>
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed">
            The subject starts with “[Test]” so it is easy to tell apart.
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {errors.message && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs">
                {errors.message}
              </Alert>
            )}
            <TagsInput
              label="Send to"
              description={`Up to ${MAX_ADDRESSES} addresses; press Enter after each`}
              value={to}
              onChange={setTo}
              maxTags={MAX_ADDRESSES}
              splitChars={[',', ' ', ';']}
              clearable
              error={errors.fields.to ?? Object.entries(errors.fields).find(([k]) => k.startsWith('to.'))?.[1]}
              data-autofocus
            />
            <Select
              label="Fill merge tags from"
              description="A contact’s real data; without one, sample data is used"
              placeholder="Sample data"
              searchable
              clearable
              data={[...chosen, ...options]}
              value={contactId}
              onChange={(value, option) => {
                setContactId(value);
                setChosenLabel(option?.label ?? null);
              }}
              searchValue={search}
              onSearchChange={setSearch}
              nothingFoundMessage={contacts.isFetching ? 'Searching…' : 'No contact matches'}
              filter={({ options: o }) => o}
              error={errors.fields.contactId}
            />
            <Text size="xs" c="dimmed">
              Sends version {email.version}
              {email.subject ? ` — “${email.subject}”` : ''}.
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" leftSection={<IconSend size={16} />} loading={sending} disabled={to.length === 0}>
                Send test
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
