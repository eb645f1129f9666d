import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Anchor, Breadcrumbs, Button, Card, EmptyState, Grid, Group, Menu, Modal, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconArchive, IconDots, IconPencil, IconPlayerPause, IconPlayerPlay, IconShieldSearch, IconStack2, IconUserPlus } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { useSignedIn } from '../../session.tsx';
import { seriesApi, type Series } from './api.ts';
import { ArcPanel } from './ArcPanel.tsx';
import { CadencePanel } from './CadencePanel.tsx';
import { EnrolmentsPanel } from './EnrolmentsPanel.tsx';
import { kindLabel, SeriesStatusBadge, triggerLabel } from './labels.tsx';
import { useSeriesPreflight } from './preflight.ts';
import { PreflightPanel } from './PreflightPanel.tsx';
import { useSeries, useSeriesUpdated } from './queries.ts';
import { RefineBox } from './RefineBox.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { StartModal } from './StartModal.tsx';

export function SeriesPage() {
  const { seriesId = '' } = useParams();
  const series = useSeries(seriesId);
  if (series.error instanceof ApiError && series.error.status === 404) return <NotFound message={series.error.message} />;
  return (
    <QueryState query={series} skeletonRows={8}>
      {(s) => <SeriesView series={s} />}
    </QueryState>
  );
}

const TABS = ['emails', 'cadence', 'preflight', 'enrolments', 'results'] as const;
type Tab = (typeof TABS)[number];

function SeriesView({ series: s }: { series: Series }) {
  const { canWrite } = useSignedIn();
  const updated = useSeriesUpdated();
  const preflight = useSeriesPreflight(s.id);
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.includes(params.get('tab') as Tab) ? (params.get('tab') as Tab) : 'emails';
  const setTab = (t: Tab) => setParams(t === 'emails' ? {} : { tab: t }, { replace: true });
  const [starting, setStarting] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const [archiving, setArchiving] = useState<'confirm' | 'busy' | null>(null);
  const [pausing, setPausing] = useState(false);
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>(null);
  const editable = canWrite && s.status !== 'archived';

  async function pause() {
    setPausing(true);
    try {
      await updated(await seriesApi.pause(s.id));
      notifications.show({ color: 'teal', message: `“${s.name}” is paused. Due steps wait until you resume.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not paused', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setPausing(false);
    }
  }

  async function archive() {
    setArchiving('busy');
    try {
      await updated(await seriesApi.archive(s.id));
      notifications.show({ color: 'teal', message: `“${s.name}” archived.` });
      setArchiving(null);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not archived', message: err instanceof Error ? err.message : String(err) });
      setArchiving('confirm');
    }
  }

  async function runPreflight() {
    setTab('preflight');
    setChecking(true);
    setCheckError(null);
    try {
      await preflight.run();
    } catch (err) {
      setCheckError(err);
    } finally {
      setChecking(false);
    }
  }

  const actions = canWrite && (
    <>
      <Button variant="default" leftSection={<IconShieldSearch size={16} />} loading={checking} onClick={() => void runPreflight()}>
        Preflight
      </Button>
      {s.status === 'draft' && (
        <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => setStarting(true)}>
          Start
        </Button>
      )}
      {s.status === 'active' && (
        <Button variant="default" leftSection={<IconPlayerPause size={16} />} loading={pausing} onClick={() => void pause()}>
          Pause
        </Button>
      )}
      {s.status === 'archived' && (
        <Alert color="gray" variant="light" mb="lg" icon={<IconArchive size={16} />}>
          Archived: this series sends nothing more and cannot be changed. Its results and trails stay here; its emails stay with your other emails.
        </Alert>
      )}
      {s.status === 'paused' && (
        <Button leftSection={<IconPlayerPlay size={16} />} onClick={() => setStarting(true)}>
          Resume
        </Button>
      )}
      <Menu position="bottom-end" shadow="md">
        <Menu.Target>
          <ActionIcon variant="default" size={36} aria-label="More actions">
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setRenaming(true)} disabled={!editable}>
            Rename
          </Menu.Item>
          {s.status === 'active' && (
            <Menu.Item leftSection={<IconUserPlus size={14} />} onClick={() => setStarting(true)}>
              Enrol an audience
            </Menu.Item>
          )}
          {s.status !== 'archived' && (
            <Menu.Item color="red" leftSection={<IconArchive size={14} />} onClick={() => setArchiving('confirm')}>
              Archive
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
    </>
  );

  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/series">
          Series
        </Anchor>
        <Text size="sm" truncate maw={320}>
          {s.name}
        </Text>
      </Breadcrumbs>
      <PageHeader title={s.name} badge={<SeriesStatusBadge status={s.status} />} description={headline(s)} actions={actions} />
      {s.triggerError && (
        <Alert color="red" variant="light" mb="lg" icon={<IconAlertTriangle size={16} />} title="The trigger is off">
          {s.triggerError} Choose another trigger on the Cadence tab; the rest of the series keeps running.
        </Alert>
      )}
      {s.status === 'paused' && (
        <Alert color="orange" variant="light" mb="lg" icon={<IconPlayerPause size={16} />} title="Paused">
          No email goes out while the series is paused; steps that fall due wait and go out when you resume. Enrolment by the trigger continues.
        </Alert>
      )}
      <Tabs value={tab} onChange={(v) => v && setTab(v as Tab)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="emails">Emails · {s.steps.length}</Tabs.Tab>
          <Tabs.Tab value="cadence">Cadence</Tabs.Tab>
          <Tabs.Tab value="preflight">Preflight</Tabs.Tab>
          <Tabs.Tab value="enrolments">Enrolments · {s.counts.enrolled.toLocaleString()}</Tabs.Tab>
          <Tabs.Tab value="results">Results</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="emails">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <ArcPanel series={s} editable={editable} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Stack style={{ position: 'sticky', top: 80 }}>
                <RefineBox series={s} editable={editable} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="cadence">
          <CadencePanel series={s} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="preflight">
          <PreflightPanel series={s} last={preflight.last} running={checking} error={checkError} onRun={() => void runPreflight()} />
        </Tabs.Panel>
        <Tabs.Panel value="enrolments">
          <EnrolmentsPanel series={s} />
        </Tabs.Panel>
        <Tabs.Panel value="results">
          <ResultsPanel series={s} />
        </Tabs.Panel>
      </Tabs>
      <StartModal series={s} opened={starting} onClose={() => setStarting(false)} />
      <RenameModal series={s} opened={renaming} onClose={() => setRenaming(false)} />
      <ConfirmModal
        opened={archiving !== null}
        title="Archive this series?"
        confirmLabel="Archive series"
        loading={archiving === 'busy'}
        onClose={() => setArchiving(null)}
        onConfirm={() => void archive()}
      >
        It stops for good: the {s.counts.active.toLocaleString()} active {s.counts.active === 1 ? 'enrolment exits' : 'enrolments exit'} and messages not yet sent are withdrawn. Its results stay here
        and its emails stay with your other emails.
      </ConfirmModal>
    </>
  );
}

/** A mistyped link or a series deleted meanwhile: say so and lead back to the list (retrying will not help). */
function NotFound({ message }: { message: string }) {
  return (
    <Card padding={48} mt="xl">
      <EmptyState icon={<IconStack2 size={26} stroke={1.6} />} withIndicatorBackground title="Series not found" description={`${message}. It may have been deleted, or the link is mistyped.`}>
        <EmptyState.Actions>
          <Button component={Link} to="/series">
            All series
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

/** One line under the title: what kind, how long, what enrols contacts, how many are in. */
function headline(s: Series): string {
  const last = s.steps.at(-1)?.offsetDays ?? 0;
  const span = s.steps.length <= 1 ? '' : ` over ${last} ${last === 1 ? 'day' : 'days'}`;
  const parts = [`${kindLabel(s.kind)} · ${s.steps.length} ${s.steps.length === 1 ? 'email' : 'emails'}${span}`, triggerLabel(s.trigger)];
  if (s.startedAt) parts.push(`started ${formatDateTime(s.startedAt)} · ${s.counts.enrolled.toLocaleString()} enrolled, ${s.counts.active.toLocaleString()} active`);
  return parts.join(' · ');
}

function RenameModal({ series, opened, onClose }: { series: Series; opened: boolean; onClose(): void }) {
  const updated = useSeriesUpdated();
  const errors = useFormErrors(['name']);
  const [name, setName] = useState(series.name);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    errors.clear();
    try {
      await updated(await seriesApi.update(series.id, { name: name.trim() }));
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Rename series</Text>} size="sm">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={errors.fields.name ?? (errors.message && !errors.fields.name ? errors.message : undefined)}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
