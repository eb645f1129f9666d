import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Grid, Group, Menu, MultiSelect, Select, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertCircle, IconBan, IconChevronDown, IconDownload, IconEraser, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, type ContactDetail, type ContactInput, type ContactStatus, type CustomFieldDef, type FieldValue } from '../../../api.ts';
import { STATUS_OPTIONS, StatusBadge, ValidationMark } from '../../../components/AudienceBadges.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { FormSection } from '../../../components/FormSection.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { SaveBar } from '../../../components/SaveBar.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useFormErrors } from '../../../lib/forms.ts';
import { brandKey, useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { AUDIENCE_KEYS, useFields, useRefreshAudience, useTags, useTopics } from '../queries.ts';
import { CustomFieldInput } from './CustomFieldInput.tsx';
import { ContactTimeline } from './ContactTimeline.tsx';
import { contactName } from './contactName.ts';

export function ContactDetailPage() {
  const { contactId = '' } = useParams();
  const contact = useBrandQuery([AUDIENCE_KEYS.contacts, 'one', contactId], () => api.contacts.get(contactId));
  return (
    <QueryState query={contact} skeletonRows={6}>
      {(c) => <ContactView key={c.id} contact={c} />}
    </QueryState>
  );
}

/** The editable profile: built-in columns as strings, custom fields by key. */
interface Profile {
  email: string;
  firstName: string;
  lastName: string;
  phone: string;
  country: string;
  language: string;
  timeZone: string;
  status: ContactStatus;
  consentSource: string;
  fields: Record<string, FieldValue>;
}
const TEXT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'country', 'language', 'timeZone', 'consentSource'] as const;

const profileOf = (c: ContactDetail): Profile => ({
  email: c.email,
  firstName: c.firstName ?? '',
  lastName: c.lastName ?? '',
  phone: c.phone ?? '',
  country: c.country ?? '',
  language: c.language ?? '',
  timeZone: c.timeZone ?? '',
  status: c.status,
  consentSource: c.consentSource ?? '',
  fields: { ...c.fields },
});

/** Only what changed goes to the server (PATCH), so a concurrent edit of another field is not overwritten. */
function changesOf(before: Profile, after: Profile): Partial<ContactInput> {
  const out: Partial<ContactInput> = {};
  if (after.email !== before.email) out.email = after.email;
  for (const k of TEXT_FIELDS) if (k !== 'email' && after[k] !== before[k]) out[k] = after[k].trim() === '' ? null : after[k];
  if (after.status !== before.status) out.status = after.status;
  const fields = Object.fromEntries(Object.entries(after.fields).filter(([k, v]) => v !== (before.fields[k] ?? null)));
  if (Object.keys(fields).length > 0) out.fields = fields;
  return out;
}

function ContactView({ contact }: { contact: ContactDetail }) {
  const { canWrite, brandId } = useSignedIn();
  const queryClient = useQueryClient();
  const refresh = useRefreshAudience();
  const fieldDefs = useFields();
  const errors = useFormErrors([...TEXT_FIELDS, 'status', ...Object.keys(contact.fields).map((k) => `fields.${k}`), ...(fieldDefs.data?.data ?? []).map((f) => `fields.${f.key}`)]);
  const [saved, setSaved] = useState(() => profileOf(contact));
  const [draft, setDraft] = useState(saved);
  const [saving, setSaving] = useState(false);
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  useEffect(() => {
    const fresh = profileOf(contact);
    setSaved(fresh);
    if (!dirty) setDraft(fresh);
  }, [contact]);

  /** Every write returns the whole contact: put it in the cache, and refresh the lists around it. */
  async function adopt(updated: ContactDetail) {
    queryClient.setQueryData(brandKey(brandId, AUDIENCE_KEYS.contacts, 'one', updated.id), updated);
    await refresh();
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    errors.clear();
    try {
      const updated = await api.contacts.update(contact.id, changesOf(saved, draft));
      setSaved(profileOf(updated));
      setDraft(profileOf(updated));
      await adopt(updated);
      notifications.show({ color: 'teal', message: 'Contact saved.' });
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  function setField(key: string, value: FieldValue) {
    setDraft((d) => ({ ...d, fields: { ...d.fields, [key]: value } }));
    errors.clearField(`fields.${key}`);
  }

  const text = (k: (typeof TEXT_FIELDS)[number]) => ({
    value: draft[k],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [k]: value }));
      errors.clearField(k);
    },
    error: errors.fields[k],
    disabled: !canWrite,
  });

  const name = contactName(contact);
  return (
    <form onSubmit={save} noValidate>
      <Breadcrumbs mb="sm" fz="sm">
        <Anchor component={Link} to="/audience/contacts" c="dimmed">
          Contacts
        </Anchor>
        <Text size="sm">{contact.email}</Text>
      </Breadcrumbs>
      <PageHeader
        title={name ?? contact.email}
        badge={
          <Group gap={6}>
            <StatusBadge status={contact.status} />
            <ValidationMark validation={contact.validation} reason={contact.validationReason} />
          </Group>
        }
        description={name ? contact.email : `Added ${formatDateTime(contact.createdAt)}`}
        actions={<ContactActions contact={contact} canWrite={canWrite} />}
      />
      {contact.suppression && (
        <Alert color="orange" variant="light" icon={<IconBan size={18} />} mb="lg" title="This address is suppressed">
          Marketing sends skip {contact.email} ({contact.suppression.reason}, {formatDateTime(contact.suppression.createdAt)}
          {contact.suppression.source ? `, ${contact.suppression.source}` : ''}). Manage it under <Anchor component={Link} to="/audience/suppression">Suppression</Anchor>.
        </Alert>
      )}
      {errors.message && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="lg">
          {errors.message}
        </Alert>
      )}
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <FormSection title="Profile">
              <TextInput label="Email" type="email" {...text('email')} />
              <SimpleGrid cols={{ base: 1, xs: 2 }}>
                <TextInput label="First name" {...text('firstName')} />
                <TextInput label="Last name" {...text('lastName')} />
                <TextInput label="Phone" {...text('phone')} />
                <TextInput label="Country" description="ISO 3166-1 code, e.g. DE" {...text('country')} />
                <TextInput label="Language" description="BCP 47 tag, e.g. pt-BR" {...text('language')} />
                <TextInput label="Time zone" description="IANA zone, e.g. Europe/Berlin" {...text('timeZone')} />
              </SimpleGrid>
            </FormSection>
            <FormSection title="Subscription" description="Who may receive marketing email, and the consent on record.">
              <SimpleGrid cols={{ base: 1, xs: 2 }}>
                <Select
                  label="Status"
                  data={STATUS_OPTIONS}
                  value={draft.status}
                  onChange={(v) => v && setDraft((d) => ({ ...d, status: v as ContactStatus }))}
                  allowDeselect={false}
                  error={errors.fields.status}
                  disabled={!canWrite}
                />
                <TextInput label="Consent source" placeholder="signup form, import, …" {...text('consentSource')} />
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                {contact.consentAt ? `Consent recorded ${formatDateTime(contact.consentAt)}${contact.consentSource ? ` from ${contact.consentSource}` : ''}.` : 'No consent on record.'}
              </Text>
            </FormSection>
            <CustomFields defs={fieldDefs.data?.data ?? []} values={draft.fields} errors={errors.fields} disabled={!canWrite} onChange={setField} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <TagsCard contact={contact} canWrite={canWrite} onUpdated={adopt} />
            <TopicsCard contact={contact} canWrite={canWrite} onUpdated={adopt} />
            <FormSection title="Activity">
              <ContactTimeline contactId={contact.id} />
            </FormSection>
          </Stack>
        </Grid.Col>
      </Grid>
      {canWrite && <SaveBar dirty={dirty} saving={saving} onDiscard={() => setDraft(saved)} />}
    </form>
  );
}

function CustomFields(props: { defs: CustomFieldDef[]; values: Record<string, FieldValue>; errors: Record<string, string>; disabled: boolean; onChange(key: string, value: FieldValue): void }) {
  return (
    <FormSection
      title="Custom fields"
      description={
        props.defs.length === 0 ? (
          <>
            None defined yet. Define them from <Anchor component={Link} to="/audience/contacts" size="sm">Contacts → Custom fields</Anchor>, or let an import create them.
          </>
        ) : undefined
      }
    >
      {props.defs.length > 0 && (
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          {props.defs.map((def) => (
            <CustomFieldInput key={def.id} def={def} value={props.values[def.key] ?? null} error={props.errors[`fields.${def.key}`]} disabled={props.disabled} onChange={(v) => props.onChange(def.key, v)} />
          ))}
        </SimpleGrid>
      )}
    </FormSection>
  );
}

function TagsCard({ contact, canWrite, onUpdated }: { contact: ContactDetail; canWrite: boolean; onUpdated(c: ContactDetail): Promise<void> }) {
  const tags = useTags();
  const [busy, setBusy] = useState(false);
  async function setTags(tagIds: string[]) {
    setBusy(true);
    try {
      await onUpdated(await api.contacts.update(contact.id, { tagIds }));
    } catch (err) {
      notifications.show({ color: 'red', title: 'Tags not changed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <FormSection title="Tags">
      <MultiSelect
        aria-label="Tags"
        placeholder={contact.tags.length ? undefined : 'Add tags'}
        data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
        value={contact.tags.map((t) => t.id)}
        onChange={(ids) => void setTags(ids)}
        searchable
        disabled={!canWrite || busy}
        nothingFoundMessage="No such tag — create it under Tags"
      />
    </FormSection>
  );
}

function TopicsCard({ contact, canWrite, onUpdated }: { contact: ContactDetail; canWrite: boolean; onUpdated(c: ContactDetail): Promise<void> }) {
  const topics = useTopics();
  const [busy, setBusy] = useState<string | null>(null);
  async function choose(topicId: string, optedIn: boolean) {
    setBusy(topicId);
    try {
      await onUpdated(await api.contacts.setTopic(contact.id, topicId, optedIn));
    } catch (err) {
      notifications.show({ color: 'red', title: 'Preference not changed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(null);
    }
  }
  const known = new Map(contact.topics.map((t) => [t.id, t.optedIn]));
  const all = topics.data?.data ?? [];
  return (
    <FormSection title="Topics" description={all.length === 0 ? 'No topics yet. Topics let contacts choose what they hear about.' : 'What this contact wants to hear about.'}>
      {all.map((t) => (
        <Switch
          key={t.id}
          label={t.name}
          description={known.has(t.id) ? undefined : `Default: ${t.defaultOptIn ? 'opted in' : 'opted out'}`}
          checked={known.get(t.id) ?? t.defaultOptIn}
          onChange={(e) => void choose(t.id, e.currentTarget.checked)}
          disabled={!canWrite || busy === t.id}
        />
      ))}
    </FormSection>
  );
}

type Pending = 'delete' | 'erase' | null;

function ContactActions({ contact, canWrite }: { contact: ContactDetail; canWrite: boolean }) {
  const navigate = useNavigate();
  const refresh = useRefreshAudience();
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);

  async function exportData() {
    try {
      await api.contacts.exportData(contact.id);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Export failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  async function remove(kind: Exclude<Pending, null>) {
    setBusy(true);
    try {
      if (kind === 'erase') await api.contacts.erase(contact.id);
      else await api.contacts.remove(contact.id);
      await refresh();
      notifications.show({ color: 'teal', message: kind === 'erase' ? `Everything held about ${contact.email} was erased.` : `${contact.email} was deleted.` });
      navigate('/audience/contacts');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not removed', message: err instanceof Error ? err.message : String(err) });
      setBusy(false);
    }
  }

  return (
    <>
      <Menu position="bottom-end" shadow="md" width={240}>
        <Menu.Target>
          <Button variant="default" rightSection={<IconChevronDown size={14} />}>
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Privacy (GDPR)</Menu.Label>
          <Menu.Item leftSection={<IconDownload size={16} />} onClick={() => void exportData()}>
            Export all data
          </Menu.Item>
          {canWrite && (
            <>
              <Menu.Item leftSection={<IconEraser size={16} />} color="red" onClick={() => setPending('erase')}>
                Erase contact
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={() => setPending('delete')}>
                Delete contact
              </Menu.Item>
            </>
          )}
        </Menu.Dropdown>
      </Menu>
      <ConfirmModal
        opened={pending !== null}
        title={pending === 'erase' ? 'Erase contact' : 'Delete contact'}
        confirmLabel={pending === 'erase' ? 'Erase everything' : 'Delete contact'}
        loading={busy}
        onClose={() => setPending(null)}
        onConfirm={() => void remove(pending!)}
      >
        {pending === 'erase'
          ? `A right-to-erasure request: ${contact.email}, their tags, topic choices and activity are deleted, and the audit log keeps only that an erasure happened. This cannot be undone.`
          : `${contact.email} is deleted with their tags, topic choices and activity. This cannot be undone.`}
      </ConfirmModal>
    </>
  );
}
