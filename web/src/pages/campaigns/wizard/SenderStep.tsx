import { useState, type FormEvent } from 'react';
import { Anchor, Card, Grid, Select, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../../api.ts';
import { useFormErrors } from '../../../lib/forms.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { emailsApi } from '../../emails/api.ts';
import { EMAILS } from '../../emails/queries.ts';
import { campaignsApi, type Campaign } from '../api.ts';
import { useCampaignUpdated, useProviders } from '../queries.ts';
import { providerLabel } from '../CampaignSummary.tsx';
import { WizardFooter } from './WizardFooter.tsx';

interface Props {
  campaign: Campaign;
  onBack(): void;
  onNext(): void;
}

const FIELDS = ['subject', 'preheader', 'fromName', 'fromEmail', 'replyTo', 'providerId'] as const;
type Field = (typeof FIELDS)[number];
const BRAND_DEFAULT = 'brand-default';

/** Step 3: what the inbox shows (subject, preheader, From, Reply-To) and the provider that sends it. */
export function SenderStep(props: Props) {
  const brand = useBrandQuery(['kit'], api.brand);
  const emailId = props.campaign.emailId;
  const email = useBrandQuery([EMAILS, emailId ?? ''], () => emailsApi.get(emailId!), { enabled: Boolean(emailId) });
  if (brand.isPending || (emailId && email.isPending)) return <Skeleton h={360} radius="md" />;
  return (
    <SenderForm
      {...props}
      defaults={{
        subject: email.data?.subject ?? '',
        preheader: email.data?.preheader ?? '',
        fromName: email.data?.fromName || brand.data?.fromName || '',
        fromEmail: email.data?.fromEmail || brand.data?.fromEmail || '',
        replyTo: email.data?.replyTo || brand.data?.replyTo || '',
      }}
    />
  );
}

function SenderForm({ campaign, onBack, onNext, defaults }: Props & { defaults: Record<Exclude<Field, 'providerId'>, string> }) {
  const updated = useCampaignUpdated();
  const providers = useProviders();
  const [form, setForm] = useState<Record<Field, string>>({
    subject: campaign.subject ?? defaults.subject,
    preheader: campaign.preheader ?? defaults.preheader,
    fromName: campaign.fromName ?? defaults.fromName,
    fromEmail: campaign.fromEmail ?? defaults.fromEmail,
    replyTo: campaign.replyTo ?? defaults.replyTo,
    providerId: campaign.providerId ?? BRAND_DEFAULT,
  });
  const errors = useFormErrors(FIELDS);
  const [saving, setSaving] = useState(false);

  const set = (field: Field, value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    errors.clearField(field);
  };
  const input = (field: Exclude<Field, 'providerId'>) => ({
    value: form[field],
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => set(field, e.currentTarget.value),
    error: errors.fields[field],
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setSaving(true);
    try {
      // A value equal to the email's own is not an override: the campaign follows later edits of the email.
      const override = (field: Exclude<Field, 'providerId'>) => (form[field].trim() === defaults[field] ? null : form[field].trim() || null);
      const saved = await campaignsApi.update(campaign.id, {
        subject: override('subject'),
        preheader: override('preheader'),
        fromName: override('fromName'),
        fromEmail: override('fromEmail'),
        replyTo: override('replyTo'),
        providerId: form.providerId === BRAND_DEFAULT ? null : form.providerId,
      });
      await updated(saved);
      onNext();
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  const accounts = providers.data?.data ?? [];
  const fallback = accounts.find((p) => p.isDefault);
  const providerOptions = [
    { value: BRAND_DEFAULT, label: `Brand default${fallback ? ` — ${fallback.name}` : ''}` },
    ...accounts.map((p) => ({ value: p.id, label: providerLabel(p.name, p.kind) })),
  ];

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card>
            <Title order={2} mb={4}>
              In the inbox
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              Filled in from the email and your brand kit. Change them here for this campaign only.
            </Text>
            <Stack gap="md">
              <TextInput label="Subject" {...input('subject')} />
              <TextInput label="Preheader" description="The line inboxes show after the subject." {...input('preheader')} />
              <Grid gap="md">
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput label="From name" {...input('fromName')} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, sm: 6 }}>
                  <TextInput label="From address" type="email" {...input('fromEmail')} />
                </Grid.Col>
              </Grid>
              <TextInput label="Reply-To" type="email" placeholder="Replies go to the From address" {...input('replyTo')} />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card>
            <Title order={2} mb={4}>
              Provider
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              The service that delivers the messages. The built-in capture inbox keeps every message on this machine, so you can read them in the Inbox without sending anything.
            </Text>
            <Select
              label="Send through"
              data={providerOptions}
              value={form.providerId}
              onChange={(v) => set('providerId', v ?? BRAND_DEFAULT)}
              error={errors.fields.providerId ?? (providers.isError ? providers.error.message : undefined)}
              allowDeselect={false}
              disabled={providers.isPending}
            />
            <Anchor component={Link} to="/settings/providers" size="xs" mt="xs" display="inline-block">
              Manage providers
            </Anchor>
          </Card>
        </Grid.Col>
      </Grid>
      <WizardFooter onBack={onBack} busy={saving} error={errors.message} />
    </form>
  );
}
