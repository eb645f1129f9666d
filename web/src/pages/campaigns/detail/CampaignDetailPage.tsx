import { useState } from 'react';
import { ActionIcon, Alert, Anchor, Breadcrumbs, Button, Card, Group, Menu, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconCalendarTime, IconCopy, IconDots, IconEdit, IconPlayerPause, IconPlayerPlay, IconPlayerStop, IconMailForward, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useInvalidateBrand } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { campaignsApi, type Campaign } from '../api.ts';
import { CampaignSummary } from '../CampaignSummary.tsx';
import { CAMPAIGNS, LIVE_STATUSES, useCampaign, useCampaignUpdated } from '../queries.ts';
import { CampaignStatusBadge, formatSchedule } from '../status.tsx';
import { TestSendModal } from '../wizard/LaunchStep.tsx';
import { ProgressCard } from './ProgressCard.tsx';
import { RecipientsPanel } from './RecipientsPanel.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';

export function CampaignDetailPage() {
  const { campaignId = '' } = useParams();
  // While it is on its way out the status can change at any moment (paused by a health guard, finished).
  const campaign = useCampaign(campaignId, { refetchInterval: (q) => (q.state.data && LIVE_STATUSES.has(q.state.data.status) ? 2000 : false) });
  return (
    <QueryState query={campaign} skeletonRows={8}>
      {(c) => <CampaignView campaign={c} />}
    </QueryState>
  );
}

type Action = 'pause' | 'resume' | 'cancel' | 'duplicate' | 'archive';
type Tab = 'results' | 'recipients' | 'details';

function CampaignView({ campaign: c }: { campaign: Campaign }) {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const updated = useCampaignUpdated();
  const invalidate = useInvalidateBrand();
  const [params, setParams] = useSearchParams();
  const [busy, setBusy] = useState<Action | 'delete' | 'edit' | null>(null);
  const [confirm, setConfirm] = useState<'cancel' | 'delete' | null>(null);
  const [testing, setTesting] = useState(false);
  const started = !['draft', 'scheduled'].includes(c.status);
  const tab = (params.get('tab') as Tab | null) ?? (started ? 'results' : 'details');

  async function act(action: Action) {
    setBusy(action);
    try {
      const result = await campaignsApi.action(c.id, action);
      if (action === 'duplicate') {
        await invalidate(CAMPAIGNS, 'list');
        notifications.show({ color: 'teal', message: `Duplicated as “${result.name}”.` });
        navigate(`/campaigns/${result.id}/edit`);
        return;
      }
      await updated(result);
      if (action === 'archive') notifications.show({ color: 'teal', message: `“${c.name}” archived.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'That did not work', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  /** Editing a scheduled campaign takes it back to draft (the API's rule): then the wizard opens. */
  async function unschedule() {
    setBusy('edit');
    try {
      await updated(await campaignsApi.update(c.id, {}));
      navigate(`/campaigns/${c.id}/edit`);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not unscheduled', message: err instanceof Error ? err.message : String(err) });
      setBusy(null);
    }
  }

  async function remove() {
    setBusy('delete');
    try {
      await campaignsApi.remove(c.id);
      await invalidate(CAMPAIGNS, 'list');
      notifications.show({ color: 'teal', message: `“${c.name}” deleted.` });
      navigate('/campaigns');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not deleted', message: err instanceof Error ? err.message : String(err) });
      setBusy(null);
      setConfirm(null);
    }
  }

  const live = LIVE_STATUSES.has(c.status);
  const actions = canWrite && (
    <>
      {c.status === 'draft' && (
        <Button component={Link} to={`/campaigns/${c.id}/edit`} leftSection={<IconEdit size={16} />}>
          Continue editing
        </Button>
      )}
      {c.status === 'scheduled' && (
        <Tooltip label="Takes it back to a draft; schedule it again when you are done" multiline maw={260}>
          <Button variant="default" leftSection={<IconEdit size={16} />} loading={busy === 'edit'} onClick={() => void unschedule()}>
            Edit
          </Button>
        </Tooltip>
      )}
      {(c.status === 'sending' || c.status === 'throttled') && (
        <Button variant="default" leftSection={<IconPlayerPause size={16} />} loading={busy === 'pause'} onClick={() => void act('pause')}>
          Pause
        </Button>
      )}
      {c.status === 'paused' && (
        <Button leftSection={<IconPlayerPlay size={16} />} loading={busy === 'resume'} onClick={() => void act('resume')}>
          Resume
        </Button>
      )}
      {(live || c.status === 'scheduled') && (
        <Button variant="default" color="red" leftSection={<IconPlayerStop size={16} />} onClick={() => setConfirm('cancel')}>
          {c.status === 'scheduled' ? 'Cancel schedule' : 'Cancel'}
        </Button>
      )}
      <Menu position="bottom-end" shadow="md">
        <Menu.Target>
          <ActionIcon variant="default" size={36} aria-label="More actions">
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconMailForward size={14} />} onClick={() => setTesting(true)} disabled={!c.emailId}>
            Send a test
          </Menu.Item>
          <Menu.Item leftSection={<IconCopy size={14} />} onClick={() => void act('duplicate')}>
            Duplicate
          </Menu.Item>
          {!c.archivedAt && ['sent', 'failed', 'cancelled'].includes(c.status) && (
            <Menu.Item leftSection={<IconArchive size={14} />} onClick={() => void act('archive')}>
              Archive
            </Menu.Item>
          )}
          {c.status === 'draft' && (
            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => setConfirm('delete')}>
              Delete
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </>
  );

  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/campaigns">
          Campaigns
        </Anchor>
        <Text size="sm" truncate maw={320}>
          {c.name}
        </Text>
      </Breadcrumbs>
      <PageHeader title={c.name} badge={<CampaignStatusBadge status={c.status} reason={c.statusReason} />} description={headline(c)} actions={actions} />

      {c.archivedAt && (
        <Alert color="gray" variant="light" mb="lg" icon={<IconArchive size={16} />}>
          Archived {formatDateTime(c.archivedAt)}. Its results stay available here.
        </Alert>
      )}
      {c.status === 'draft' && (
        <Alert color="blue" variant="light" mb="lg" icon={<IconEdit size={16} />} title="Not sent yet">
          Finish the steps — email, audience, sender, tracking, preflight — then send it or schedule it.
        </Alert>
      )}
      {c.status === 'scheduled' && (
        <Card mb="lg" data-testid="scheduled-card">
          <Group gap="sm" wrap="nowrap">
            <IconCalendarTime size={22} color="var(--mantine-color-blue-6)" />
            <div>
              <Title order={2}>Scheduled for {c.schedule ? formatSchedule(c.schedule) : c.sendAt ? formatDateTime(c.sendAt) : 'later'}</Title>
              <Text size="sm" c="dimmed">
                {c.sendAt && !c.schedule?.perRecipientZone ? `That is ${formatDateTime(c.sendAt)} your time. ` : ''}The audience is resolved when it starts; the email goes out as preflight checked it (version {c.emailVersion}).
              </Text>
            </div>
          </Group>
        </Card>
      )}
      {c.status === 'failed' && c.statusReason && (
        <Alert color="red" variant="light" mb="lg" title="Sending failed">
          {c.statusReason}
        </Alert>
      )}
      {live && <ProgressCard campaign={c} />}

      <Tabs value={tab} onChange={(v) => setParams(v ? { tab: v } : {}, { replace: true })} keepMounted={false}>
        <Tabs.List mb="lg">
          {started && <Tabs.Tab value="results">Results</Tabs.Tab>}
          {started && <Tabs.Tab value="recipients">Recipients</Tabs.Tab>}
          <Tabs.Tab value="details">Details</Tabs.Tab>
        </Tabs.List>
        {started && (
          <Tabs.Panel value="results">
            <ResultsPanel campaign={c} />
          </Tabs.Panel>
        )}
        {started && (
          <Tabs.Panel value="recipients">
            <RecipientsPanel campaign={c} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="details">
          <Card maw={720}>
            <CampaignSummary campaign={c} recipients={started ? c.recipients : undefined} />
          </Card>
        </Tabs.Panel>
      </Tabs>

      <ConfirmModal
        opened={confirm === 'cancel'}
        title={c.status === 'scheduled' ? 'Cancel the scheduled send?' : 'Cancel this campaign?'}
        confirmLabel={c.status === 'scheduled' ? 'Cancel schedule' : 'Cancel campaign'}
        loading={busy === 'cancel'}
        onClose={() => setConfirm(null)}
        onConfirm={() => void act('cancel')}
      >
        {c.status === 'scheduled'
          ? 'Nothing has been sent. The campaign is cancelled; duplicate it to send it another time.'
          : `Messages not yet sent are dropped; the ${c.sent.toLocaleString()} already sent stay sent and keep counting opens and clicks.`}
      </ConfirmModal>
      <ConfirmModal opened={confirm === 'delete'} title="Delete draft" confirmLabel="Delete draft" loading={busy === 'delete'} onClose={() => setConfirm(null)} onConfirm={() => void remove()}>
        “{c.name}” has not been sent. Deleting it cannot be undone.
      </ConfirmModal>
      {c.emailId && <TestSendModal campaign={c} opened={testing} onClose={() => setTesting(false)} />}
    </>
  );
}

/** One line under the title: when it went out and to how many. */
function headline(c: Campaign): string {
  if (c.status === 'sent' && c.finishedAt) return `Sent to ${c.sent.toLocaleString()} of ${c.recipients.toLocaleString()} recipients · finished ${formatDateTime(c.finishedAt)}`;
  if (c.startedAt) return `Started ${formatDateTime(c.startedAt)} · ${c.recipients.toLocaleString()} recipients, ${c.skipped.toLocaleString()} skipped`;
  return `Created ${formatDateTime(c.createdAt)}`;
}
