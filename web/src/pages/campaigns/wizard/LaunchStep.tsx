import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Card, Checkbox, Grid, Group, Modal, Radio, Select, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowLeft, IconCalendarTime, IconSend, IconMailForward } from '@tabler/icons-react';
import { api, ApiError } from '../../../api.ts';
import { useFormErrors } from '../../../lib/forms.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { timeZones } from '../../settings/brandKit.ts';
import { campaignsApi, type Campaign } from '../api.ts';
import { CAMPAIGNS, useCampaignUpdated } from '../queries.ts';
import { CampaignSummary } from '../CampaignSummary.tsx';

interface Props {
  campaign: Campaign;
  override: boolean;
  onBack(): void;
  onPreflight(): void;
  onDone(campaign: Campaign): void;
}

type When = 'now' | 'later';

/** Tomorrow at 09:00 as a local wall-clock time, the most common choice for a scheduled send. */
function tomorrowMorning(): string {
  const d = new Date(Date.now() + 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00`;
}

/** Step 6: a last look at everything, a test send, then send now or schedule. */
export function LaunchStep({ campaign, override, onBack, onPreflight, onDone }: Props) {
  const updated = useCampaignUpdated();
  const brand = useBrandQuery(['kit'], api.brand);
  const preview = useBrandQuery([CAMPAIGNS, campaign.id, 'audience-preview', campaign.updatedAt], () => campaignsApi.audiencePreview(campaign.id));
  const [when, setWhen] = useState<When>('now');
  const [at, setAt] = useState(tomorrowMorning);
  const [zone, setZone] = useState<string | null>(null);
  const [perRecipientZone, setPerRecipientZone] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [testing, setTesting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [blockedByPreflight, setBlockedByPreflight] = useState(false);
  const errors = useFormErrors(['at', 'zone', 'perRecipientZone']);
  const brandZone = brand.data?.timeZone ?? 'UTC';
  const chosenZone = zone ?? brandZone;
  const recipients = preview.data?.sendable;

  async function launch() {
    errors.clear();
    setBlockedByPreflight(false);
    setBusy(true);
    try {
      const result =
        when === 'now'
          ? await campaignsApi.send(campaign.id, override)
          : await campaignsApi.schedule(campaign.id, { at, zone: chosenZone, perRecipientZone, overridePreflight: override });
      await updated(result);
      notifications.show({ color: 'teal', message: when === 'now' ? `“${result.name}” is on its way.` : `“${result.name}” is scheduled.` });
      onDone(result);
    } catch (err) {
      setConfirming(false);
      if (err instanceof ApiError && err.status === 409 && /preflight/i.test(`${err.code} ${err.message}`)) setBlockedByPreflight(true);
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (when === 'now') setConfirming(true);
    else void launch();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card h="100%">
            <Title order={2} mb="md">
              Summary
            </Title>
            <CampaignSummary campaign={campaign} recipients={recipients} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card h="100%">
            <Title order={2} mb="md">
              When
            </Title>
            <Radio.Group value={when} onChange={(v) => setWhen(v as When)} aria-label="When to send">
              <Stack gap="sm">
                <Radio value="now" label="Send now" description="Messages start going out as soon as you confirm." />
                <Radio value="later" label="Schedule" description="Pick a date and time; you can cancel until then." />
              </Stack>
            </Radio.Group>
            {when === 'later' && (
              <Stack gap="sm" mt="md" pl={{ base: 0, sm: 32 }}>
                <TextInput
                  type="datetime-local"
                  label="Date and time"
                  value={at}
                  onChange={(e) => {
                    setAt(e.currentTarget.value);
                    errors.clearField('at');
                  }}
                  error={errors.fields.at}
                  required
                />
                <Select
                  label={perRecipientZone ? 'Time zone for contacts without one' : 'Time zone'}
                  data={timeZones(chosenZone)}
                  value={chosenZone}
                  onChange={(v) => v && setZone(v)}
                  searchable
                  allowDeselect={false}
                  error={errors.fields.zone}
                  limit={200}
                />
                <Checkbox
                  label="In each recipient’s own time zone"
                  description={`Everyone gets it at this local time where they are. Contacts without a time zone use ${chosenZone}.`}
                  checked={perRecipientZone}
                  onChange={(e) => setPerRecipientZone(e.currentTarget.checked)}
                />
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      {blockedByPreflight && (
        <Alert color="red" variant="light" mt="lg" icon={<IconAlertCircle size={16} />} title="Preflight blocks this send">
          The email has critical findings.{' '}
          <Anchor component="button" type="button" size="sm" onClick={onPreflight}>
            Review them in the preflight step
          </Anchor>
          .
        </Alert>
      )}
      <LaunchFooter
        onBack={onBack}
        busy={busy}
        error={blockedByPreflight ? null : errors.message}
        label={when === 'now' ? 'Send now' : 'Schedule'}
        icon={when === 'now' ? <IconSend size={16} /> : <IconCalendarTime size={16} />}
        onTest={() => setTesting(true)}
        disabled={recipients === 0}
      />
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={<Text fw={600}>Send “{campaign.name}” now?</Text>} centered>
        <Text size="sm" c="dimmed">
          {recipients === undefined ? 'The campaign' : `${recipients.toLocaleString()} ${recipients === 1 ? 'recipient' : 'recipients'}`} will start receiving it right away. You can pause or cancel while it is sending, but messages already sent cannot be recalled.
          {override && ' Critical preflight findings are overridden; this is recorded in the audit log.'}
        </Text>
        <Group justify="flex-end" mt="xl" gap="sm">
          <Button variant="default" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
          <Button leftSection={<IconSend size={16} />} onClick={() => void launch()} loading={busy}>
            Send now
          </Button>
        </Group>
      </Modal>
      <TestSendModal campaign={campaign} opened={testing} onClose={() => setTesting(false)} />
    </form>
  );
}

function LaunchFooter({ onBack, busy, error, label, icon, onTest, disabled }: { onBack(): void; busy: boolean; error: string | null; label: string; icon: React.ReactNode; onTest(): void; disabled: boolean }) {
  return (
    <>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} mt="lg" title="Not sent">
          {error}
        </Alert>
      )}
      <Group justify="space-between" mt="lg" gap="sm">
        <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack} disabled={busy}>
          Back
        </Button>
        <Group gap="sm">
          <Button variant="default" leftSection={<IconMailForward size={16} />} onClick={onTest} disabled={busy}>
            Send a test
          </Button>
          <Button type="submit" leftSection={icon} loading={busy} disabled={disabled}>
            {label}
          </Button>
        </Group>
      </Group>
    </>
  );
}

/** The campaign as it will go out (its subject, sender and tracking) to a few addresses. */
export function TestSendModal({ campaign, opened, onClose }: { campaign: Campaign; opened: boolean; onClose(): void }) {
  const { user } = useSignedIn();
  const [to, setTo] = useState<string[]>([user.email]);
  const errors = useFormErrors(['to']);
  const [sending, setSending] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    e.stopPropagation();
    errors.clear();
    setSending(true);
    try {
      await campaignsApi.testSend(campaign.id, to);
      notifications.show({ color: 'teal', message: `Test sent to ${to.join(', ')}.` });
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setSending(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Send a test</Text>} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TagsInput label="Send to" description="Up to 10 addresses; press Enter after each." value={to} onChange={setTo} maxTags={10} error={errors.fields.to} splitChars={[',', ' ', ';']} />
          {errors.message && (
            <Alert color="red" variant="light" p="xs">
              {errors.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={sending} disabled={to.length === 0} leftSection={<IconSend size={16} />}>
              Send test
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
