import { useState, type FormEvent } from 'react';
import { Anchor, Badge, Button, Card, Center, EmptyState, Grid, Group, Loader, ScrollArea, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { IconMail, IconSearch } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { EmailFrame } from '../../../components/campaign/EmailFrame.tsx';
import { PreflightBadge } from '../../../components/email/PreflightScore.tsx';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { timeAgo } from '../../../lib/format.ts';
import { useFormErrors } from '../../../lib/forms.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { emailsApi, type EmailSummary } from '../../emails/api.ts';
import { EMAILS } from '../../emails/queries.ts';
import { campaignsApi, type Campaign } from '../api.ts';
import { useCampaignUpdated } from '../queries.ts';
import { WizardFooter } from './WizardFooter.tsx';

interface Props {
  /** Null while creating: the draft is created when this step is done. */
  campaign: Campaign | null;
  onNext(campaign: Campaign): void;
}

/** Step 1: the email to send (with a live preview) and the campaign's name. */
export function EmailStep({ campaign, onNext }: Props) {
  const updated = useCampaignUpdated();
  const [name, setName] = useState(campaign?.name ?? '');
  const [emailId, setEmailId] = useState<string | null>(campaign?.emailId ?? null);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const emails = useBrandQuery([EMAILS, 'list', 'picker', debounced], () => emailsApi.list({ search: debounced, limit: 50 }), { placeholderData: keepPreviousData });
  const errors = useFormErrors(['name', 'emailId']);
  const [saving, setSaving] = useState(false);

  function pick(email: EmailSummary) {
    setEmailId(email.id);
    errors.clearField('emailId');
    // A campaign named after its email is the usual case; a name typed by hand is kept.
    const previous = emails.data?.data.find((e) => e.id === emailId);
    if (!name.trim() || name === previous?.name) setName(email.name);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    if (!emailId) return errors.show(new Error('Pick the email this campaign sends.'));
    setSaving(true);
    try {
      const saved = campaign
        ? await campaignsApi.update(campaign.id, { name: name.trim(), emailId })
        : await campaignsApi.create({ name: name.trim(), emailId, audience: { segmentIds: [], tagIds: [] } });
      await updated(saved);
      onNext(saved);
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  const list = emails.data?.data ?? [];
  const noEmailsAtAll = emails.isSuccess && list.length === 0 && !debounced;

  return (
    <form onSubmit={submit} noValidate>
      {noEmailsAtAll ? (
        <Card padding={48}>
          <EmptyState variant="light" icon={<IconMail size={26} stroke={1.6} />} title="Write an email first" description="A campaign sends one of your emails. Generate one from a prompt, start from a blank layout or import HTML — then come back here.">
            <EmptyState.Actions>
              <Button component={Link} to="/emails">
                Go to Emails
              </Button>
            </EmptyState.Actions>
          </EmptyState>
        </Card>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              <TextInput
                label="Campaign name"
                description="Only you see it; recipients see the email’s subject."
                placeholder="Spring sale — weekend"
                value={name}
                onChange={(e) => {
                  setName(e.currentTarget.value);
                  errors.clearField('name');
                }}
                error={errors.fields.name}
                required
              />
              <Stack gap={6}>
                <Text size="sm" fw={500}>
                  Email{' '}
                  <Text span c="red">
                    *
                  </Text>
                </Text>
                <TextInput aria-label="Search emails" placeholder="Search emails" leftSection={<IconSearch size={16} />} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
                {emails.isError ? (
                  <ErrorAlert error={emails.error} onRetry={() => void emails.refetch()} />
                ) : emails.isPending ? (
                  <Stack gap="xs">
                    {[0, 1, 2].map((i) => (
                      <Skeleton key={i} h={58} radius="md" />
                    ))}
                  </Stack>
                ) : list.length === 0 ? (
                  <Text size="sm" c="dimmed" py="md" ta="center">
                    No email matches “{debounced}”.
                  </Text>
                ) : (
                  <ScrollArea.Autosize mah={400} type="auto" offsetScrollbars>
                    <Stack gap={6} role="radiogroup" aria-label="Email">
                      {list.map((e) => (
                        <EmailOption key={e.id} email={e} selected={e.id === emailId} onPick={() => pick(e)} />
                      ))}
                    </Stack>
                  </ScrollArea.Autosize>
                )}
                {errors.fields.emailId && (
                  <Text size="xs" c="red">
                    {errors.fields.emailId}
                  </Text>
                )}
              </Stack>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <EmailPreview emailId={emailId} />
          </Grid.Col>
        </Grid>
      )}
      <WizardFooter busy={saving} error={errors.message} nextDisabled={noEmailsAtAll} />
    </form>
  );
}

function EmailOption({ email, selected, onPick }: { email: EmailSummary; selected: boolean; onPick(): void }) {
  return (
    <UnstyledButton
      onClick={onPick}
      role="radio"
      aria-checked={selected}
      data-testid={`pick-email-${email.name}`}
      p="sm"
      style={{
        borderRadius: 'var(--mantine-radius-md)',
        border: `1px solid ${selected ? 'var(--mantine-color-brand-6)' : 'var(--mantine-color-gray-3)'}`,
        background: selected ? 'var(--mantine-color-brand-0)' : undefined,
        boxShadow: selected ? '0 0 0 1px var(--mantine-color-brand-6)' : undefined,
      }}
    >
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text size="sm" fw={500} truncate>
            {email.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {email.subject || 'No subject yet'} · edited {timeAgo(email.updatedAt)}
          </Text>
        </Stack>
        <div style={{ flexShrink: 0 }}>
          <PreflightBadge summary={email.lastPreflight} />
        </div>
      </Group>
    </UnstyledButton>
  );
}

/** The chosen email rendered for a sample contact, as recipients will see it. */
function EmailPreview({ emailId }: { emailId: string | null }) {
  const rendered = useBrandQuery([EMAILS, emailId ?? '', 'render', 'full'], () => emailsApi.render(emailId!, { persona: 'full' }), { enabled: Boolean(emailId) });
  return (
    <Card padding={0} style={{ overflow: 'hidden' }}>
      <Group px="md" py="xs" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }} wrap="nowrap">
        <Text size="sm" fw={500} truncate>
          {rendered.data?.subject ?? 'Preview'}
        </Text>
        {emailId && (
          <Anchor component={Link} to={`/emails/${emailId}`} size="xs" style={{ flexShrink: 0 }}>
            Open in editor
          </Anchor>
        )}
      </Group>
      {!emailId ? (
        <Center h={420} p="lg">
          <Text size="sm" c="dimmed" ta="center">
            Pick an email to see it here as your recipients will.
          </Text>
        </Center>
      ) : rendered.isError ? (
        <Center h={420} p="lg">
          <ErrorAlert error={rendered.error} onRetry={() => void rendered.refetch()} />
        </Center>
      ) : rendered.isPending ? (
        <Center h={420}>
          <Loader size="sm" />
        </Center>
      ) : (
        <>
          <EmailFrame html={rendered.data.html} title="Preview of the chosen email" height={420} testId="campaign-email-preview" />
          <Group px="md" py={6} gap={6} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
            <Badge size="xs" variant="default" radius="sm" tt="none" fw={500}>
              Sample data
            </Badge>
            <Text size="xs" c="dimmed">
              Merge tags are filled from a sample contact.
            </Text>
          </Group>
        </>
      )}
    </Card>
  );
}
