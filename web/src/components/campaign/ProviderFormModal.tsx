import { useEffect, useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Button, Checkbox, Code, CopyButton, Divider, Group, Modal, NumberInput, PasswordInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useFormErrors } from '../../lib/forms.ts';
import { providersApi, type ProviderAccount } from '../../pages/campaigns/api.ts';
import { EDITABLE_KINDS, fieldValue, formToObject, KIND_FIELDS, PROVIDER_KIND_LABELS, WEBHOOK_FIELDS, type EditableKind, type KindField } from './providerKinds.ts';

interface Props {
  opened: boolean;
  /** The account to edit; null to add one. */
  account: ProviderAccount | null;
  onClose(): void;
  onSaved(account: ProviderAccount): void;
}

type Values = Record<string, string>;

function initialValues(kind: EditableKind, account: ProviderAccount | null): { settings: Values; webhook: Values } {
  const from = (fields: KindField[], stored: Record<string, unknown> | null) => Object.fromEntries(fields.map((f) => [f.name, stored ? fieldValue(stored, f.name) : (f.defaultValue ?? '')]));
  return { settings: from(KIND_FIELDS[kind], account?.settings ?? null), webhook: from(WEBHOOK_FIELDS[kind], account?.webhook ?? null) };
}

/** Add or edit a provider account with the fields of its kind. Secrets are write-only: leave one empty to keep it. */
export function ProviderFormModal({ opened, account, onClose, onSaved }: Props) {
  const editing = account !== null;
  const [kind, setKind] = useState<EditableKind>('smtp');
  const [name, setName] = useState('');
  const [values, setValues] = useState(() => initialValues('smtp', null));
  const [isDefault, setIsDefault] = useState(false);
  const errors = useFormErrors((f) => f === 'name' || f.startsWith('settings.') || f.startsWith('webhook.'));
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened) return;
    const k = (account?.kind as EditableKind | undefined) ?? 'smtp';
    setKind(k);
    setName(account?.name ?? '');
    setValues(initialValues(k, account));
    setIsDefault(account?.isDefault ?? false);
    errors.clear();
  }, [opened, account?.id]);

  function changeKind(k: EditableKind) {
    setKind(k);
    setValues(initialValues(k, null));
    errors.clear();
  }

  const set = (group: 'settings' | 'webhook', field: string, value: string) => {
    setValues((v) => ({ ...v, [group]: { ...v[group], [field]: value } }));
    errors.clearField(`${group}.${field}`);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    errors.clear();
    setSaving(true);
    try {
      const settings = { kind, ...formToObject(KIND_FIELDS[kind], values.settings, account?.settings ?? null) };
      const webhook = formToObject(WEBHOOK_FIELDS[kind], values.webhook, account?.webhook ?? null);
      const hasWebhook = Object.keys(webhook).length > 0;
      const saved = editing
        ? await providersApi.update(account.id, { name: name.trim(), settings, ...(hasWebhook ? { webhook } : {}), ...(isDefault !== account.isDefault ? { isDefault } : {}) })
        : await providersApi.create({ name: name.trim(), settings, ...(hasWebhook ? { webhook } : {}), isDefault });
      onSaved(saved);
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  const field = (group: 'settings' | 'webhook', f: KindField) => {
    const key = `${group}.${f.name}`;
    const secretSet = group === 'settings' ? account?.secrets[f.name] : account?.webhookSecrets[f.name];
    const common = {
      label: f.label,
      description: f.description,
      placeholder: f.type === 'secret' && secretSet ? 'Saved — leave empty to keep' : f.placeholder,
      required: f.required && !(f.type === 'secret' && secretSet),
      error: errors.fields[key],
      value: values[group][f.name] ?? '',
    };
    switch (f.type) {
      case 'secret':
        return <PasswordInput key={key} {...common} autoComplete="new-password" onChange={(e) => set(group, f.name, e.currentTarget.value)} />;
      case 'number':
        return <NumberInput key={key} {...common} value={common.value === '' ? '' : Number(common.value)} onChange={(v) => set(group, f.name, v === '' ? '' : String(v))} allowDecimal={false} min={0} />;
      case 'select':
        return <Select key={key} {...common} data={f.options ?? []} onChange={(v) => set(group, f.name, v ?? '')} allowDeselect={false} />;
      case 'lines':
        return <Textarea key={key} {...common} autosize minRows={2} onChange={(e) => set(group, f.name, e.currentTarget.value)} />;
      default:
        return <TextInput key={key} {...common} onChange={(e) => set(group, f.name, e.currentTarget.value)} />;
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{editing ? `Edit ${account.name}` : 'Add a provider'}</Text>} size="lg" centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              placeholder="Production SES"
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                errors.clearField('name');
              }}
              error={errors.fields.name}
              required
              data-autofocus
            />
            <Select
              label="Provider"
              data={EDITABLE_KINDS.map((k) => ({ value: k, label: PROVIDER_KIND_LABELS[k] }))}
              value={kind}
              onChange={(v) => v && changeKind(v as EditableKind)}
              allowDeselect={false}
              disabled={editing}
              description={editing ? 'Add a new account to use another provider' : undefined}
            />
          </SimpleGrid>
          {/* Inputs line up along their bottom edge even where one field has a description and its neighbour has none. */}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" style={{ alignItems: 'end' }}>
            {KIND_FIELDS[kind].map((f) => field('settings', f))}
          </SimpleGrid>
          {WEBHOOK_FIELDS[kind].length > 0 && (
            <>
              <Divider label="Event webhook (deliveries, bounces, complaints)" labelPosition="left" mt="xs" />
              {account?.webhookUrl ? (
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                    Point it to
                  </Text>
                  <Code style={{ overflowWrap: 'anywhere', minWidth: 0 }}>{account.webhookUrl}</Code>
                  <CopyButton value={account.webhookUrl}>
                    {({ copied, copy }) => (
                      <Tooltip label={copied ? 'Copied' : 'Copy'}>
                        <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label="Copy webhook URL">
                          {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </CopyButton>
                </Group>
              ) : (
                <Text size="xs" c="dimmed">
                  The webhook URL to give {PROVIDER_KIND_LABELS[kind]} is shown once the account is saved.
                </Text>
              )}
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" style={{ alignItems: 'end' }}>
                {WEBHOOK_FIELDS[kind].map((f) => field('webhook', f))}
              </SimpleGrid>
            </>
          )}
          <Checkbox label="Use for campaigns unless one names another provider (brand default)" checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
          {errors.message && (
            <Alert color="red" variant="light" p="xs">
              {errors.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              {editing ? 'Save changes' : 'Add provider'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
