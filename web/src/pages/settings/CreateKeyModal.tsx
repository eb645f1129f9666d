import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Checkbox, Code, CopyButton, Group, Modal, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';
import { api, type Scope } from '../../api.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useInvalidateBrand } from '../../lib/queries.ts';
import { ALL_SCOPES, READ_ONLY_SCOPES, SCOPE_GROUPS, SCOPE_INFO } from './scopes.ts';

/**
 * Two steps in one dialog: choose a name and scopes, then see the secret — once. The secret lives
 * only in this component's state and is dropped when the dialog closes.
 */
export function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const [secret, setSecret] = useState<string | null>(null);

  function close() {
    setSecret(null);
    onClose();
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={<Text fw={600}>{secret ? 'Your new API key' : 'Create API key'}</Text>}
      size="lg"
      centered
      closeOnClickOutside={!secret}
    >
      {secret ? <ShowSecretOnce secret={secret} onDone={close} /> : <KeyForm onCreated={setSecret} onCancel={close} />}
    </Modal>
  );
}

function KeyForm({ onCreated, onCancel }: { onCreated(secret: string): void; onCancel(): void }) {
  const invalidate = useInvalidateBrand();
  const errors = useFormErrors(['name', 'scopes']);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(READ_ONLY_SCOPES);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      const { secret } = await api.createKey(name.trim(), scopes);
      await invalidate('keys');
      onCreated(secret);
    } catch (err) {
      errors.show(err);
      setBusy(false);
    }
  }

  const toggle = (s: Scope, on: boolean) => {
    setScopes((cur) => (on ? [...cur, s] : cur.filter((x) => x !== s)));
    errors.clearField('scopes');
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        {errors.message && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
            {errors.message}
          </Alert>
        )}
        <TextInput
          label="Name"
          description="Where the key is used, so you know what breaks if you revoke it."
          placeholder="Nightly CRM sync"
          value={name}
          onChange={(e) => {
            setName(e.currentTarget.value);
            errors.clearField('name');
          }}
          error={errors.fields.name}
          data-autofocus
        />
        <div>
          <Group justify="space-between" mb={6}>
            <Text size="sm" fw={500}>
              Scopes
            </Text>
            <Group gap={4}>
              <Button size="compact-xs" variant="subtle" onClick={() => setScopes(READ_ONLY_SCOPES)}>
                Read only
              </Button>
              <Button size="compact-xs" variant="subtle" onClick={() => setScopes(ALL_SCOPES)}>
                All
              </Button>
              <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setScopes([])}>
                None
              </Button>
            </Group>
          </Group>
          <Box style={{ border: `1px solid ${errors.fields.scopes ? 'var(--mantine-color-error)' : 'var(--mantine-color-gray-3)'}`, borderRadius: 'var(--mantine-radius-md)' }}>
            {SCOPE_GROUPS.map(({ group, summary, scopes: inGroup }, i) => (
              <Group key={group} px="md" py={10} gap="md" wrap="nowrap" style={i > 0 ? { borderTop: '1px solid var(--mantine-color-gray-2)' } : undefined}>
                <Box w={190} style={{ flexShrink: 0 }}>
                  <Text size="sm" fw={500}>
                    {group}
                  </Text>
                  <Text size="xs" c="dimmed" lh={1.3}>
                    {summary}
                  </Text>
                </Box>
                <Group gap="md">
                  {inGroup.map((s) => (
                    <Tooltip key={s} label={SCOPE_INFO[s].description}>
                      <Checkbox size="sm" label={SCOPE_INFO[s].label} aria-label={s} checked={scopes.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />
                    </Tooltip>
                  ))}
                </Group>
              </Group>
            ))}
          </Box>
          {errors.fields.scopes && (
            <Text size="xs" c="red" mt={6}>
              {errors.fields.scopes}
            </Text>
          )}
        </div>
        <Group justify="flex-end" gap="sm" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ShowSecretOnce({ secret, onDone }: { secret: string; onDone(): void }) {
  return (
    <Stack gap="md">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy this key now">
        This is the only time the secret is shown. Tidings stores only a hash of it; if you lose it, revoke the key and create a new one.
      </Alert>
      <Group gap="sm" wrap="nowrap" align="stretch">
        <Code block data-testid="api-key-secret" style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 13, display: 'flex', alignItems: 'center' }}>
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button onClick={copy} variant={copied ? 'light' : 'filled'} color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />} w={110} h="auto">
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Text size="xs" c="dimmed">
        Send it in the <Code>Authorization: Bearer {secret.slice(0, 10)}…</Code> header of requests to <Code>/api/v1</Code>.
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>I have copied it</Button>
      </Group>
    </Stack>
  );
}
