import { useState, type DragEvent } from 'react';
import { ActionIcon, Anchor, Badge, Box, Button, Card, Group, Menu, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowDown, IconArrowUp, IconDots, IconEdit, IconGripVertical, IconPlus, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { PreflightBadge } from '../../components/email/PreflightScore.tsx';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { brandKey } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { AddStepModal } from './AddStepModal.tsx';
import { seriesApi, type Series, type SeriesStep } from './api.ts';
import { dayLabel, emailLabel, stepSubject } from './labels.tsx';
import { SERIES, useSeriesUpdated } from './queries.ts';
import { describeOp, useRefineLog } from './refineLog.ts';

interface Props {
  series: Series;
  editable: boolean;
}

/** The steps in a new order, renumbered, as the server will hand them back. */
function reordered(steps: SeriesStep[], from: number, to: number): SeriesStep[] {
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next.map((s, position) => ({ ...s, position }));
}

/**
 * The planned arc: one card per email in send order with its role, subject, send day and preflight
 * badge. Reorder by dragging a card (or with the arrow buttons, for keyboards), add and remove
 * emails; a card opens its email in the editor. Every change goes to the refine conversation too.
 */
export function ArcPanel({ series, editable }: Props) {
  const queryClient = useQueryClient();
  const { brandId } = useSignedIn();
  const updated = useSeriesUpdated();
  const log = useRefineLog(series.id);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [adding, setAdding] = useState<number | null>(null);
  const [removing, setRemoving] = useState<SeriesStep | null>(null);
  const [busy, setBusy] = useState(false);
  const steps = series.steps;
  const key = brandKey(brandId, SERIES, series.id);

  async function move(from: number, to: number) {
    if (from === to || to < 0 || to >= steps.length) return;
    const next = reordered(steps, from, to);
    // Show the new order at once; the server's answer replaces it (or the old order comes back).
    queryClient.setQueryData<Series>(key, { ...series, steps: next });
    const request = `Move ${emailLabel(from).toLowerCase()} to position ${to + 1}`;
    try {
      const after = await seriesApi.reorder(
        series.id,
        next.map((s) => s.id),
      );
      await updated(after);
      log.record({ request, source: 'button', outcome: { ok: true, summary: describeOp({ op: 'move', from, to }, after), failures: [] } });
    } catch (err) {
      queryClient.setQueryData<Series>(key, series);
      const error = err instanceof Error ? err.message : String(err);
      log.record({ request, source: 'button', outcome: { ok: false, error } });
      notifications.show({ color: 'red', title: 'Not reordered', message: error });
    }
  }

  async function remove(step: SeriesStep) {
    setBusy(true);
    const request = `Remove ${emailLabel(step.position).toLowerCase()} (“${stepSubject(step)}”)`;
    try {
      const after = await seriesApi.removeStep(series.id, step.id);
      await updated(after);
      log.record({ request, source: 'button', outcome: { ok: true, summary: describeOp({ op: 'remove', position: step.position }, after), failures: [] } });
      setRemoving(null);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.record({ request, source: 'button', outcome: { ok: false, error } });
      notifications.show({ color: 'red', title: 'Not removed', message: error });
    } finally {
      setBusy(false);
    }
  }

  const onDragStart = (e: DragEvent, step: SeriesStep) => {
    e.dataTransfer.setData('text/plain', step.id);
    e.dataTransfer.effectAllowed = 'move';
    setDragging(step.id);
  };
  /** Over the top half of a card the drop goes before it, over the bottom half after it. */
  const onDragOver = (e: DragEvent<HTMLElement>, index: number) => {
    if (!dragging) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const box = e.currentTarget.getBoundingClientRect();
    setDropAt(e.clientY > box.top + box.height / 2 ? index + 1 : index);
  };
  const endDrag = () => {
    setDragging(null);
    setDropAt(null);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    const from = steps.findIndex((s) => s.id === dragging);
    if (from >= 0 && dropAt !== null) void move(from, dropAt > from ? dropAt - 1 : dropAt);
    endDrag();
  };

  return (
    <Stack gap={0} data-testid="arc">
      {steps.map((step, i) => (
        <Box key={step.id}>
          {i > 0 && <Gap previous={steps[i - 1]} step={step} />}
          <DropLine shown={dropAt === i && dragging !== null} />
          <StepCard
            step={step}
            count={steps.length}
            editable={editable}
            dragging={dragging === step.id}
            onDragStart={(e) => onDragStart(e, step)}
            onDragOver={(e) => onDragOver(e, i)}
            onDrop={onDrop}
            onDragEnd={endDrag}
            onMove={(to) => void move(i, to)}
            onAddAfter={() => setAdding(i + 1)}
            onRemove={() => setRemoving(step)}
          />
        </Box>
      ))}
      <DropLine shown={dropAt === steps.length && dragging !== null} />
      {editable && (
        <Group mt="md">
          <Button variant="default" leftSection={<IconPlus size={16} />} onClick={() => setAdding(steps.length)}>
            Add email
          </Button>
          <Text size="xs" c="dimmed">
            Drag a card to reorder · click it to edit the email
          </Text>
        </Group>
      )}
      <AddStepModal series={series} position={adding} onClose={() => setAdding(null)} />
      <ConfirmModal
        opened={removing !== null}
        title={removing ? `Remove ${emailLabel(removing.position).toLowerCase()}?` : ''}
        confirmLabel="Remove from series"
        loading={busy}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
      >
        “{removing ? stepSubject(removing) : ''}” leaves the series and the emails after it move up. The email itself is kept with your other emails. Contacts waiting for it move on to the next step.
      </ConfirmModal>
    </Stack>
  );
}

/** Where a dragged card will land. */
function DropLine({ shown }: { shown: boolean }) {
  return <Box h={4} my={shown ? 4 : 0} style={{ borderRadius: 4, background: shown ? 'var(--mantine-color-brand-5)' : 'transparent', transition: 'none' }} aria-hidden />;
}

/** The wait between two steps, and how the first hands off to the next. */
function Gap({ previous, step }: { previous: SeriesStep; step: SeriesStep }) {
  const days = step.offsetDays - previous.offsetDays;
  return (
    <Group gap="xs" wrap="nowrap" pl={26} py={6}>
      <Box w={2} h={28} bg="var(--mantine-color-gray-3)" style={{ flexShrink: 0 }} />
      <Text size="xs" c={days < 1 ? 'orange.8' : 'dimmed'} truncate>
        {days === 0 ? 'Same day' : days === 1 ? '1 day later' : `${days} days later`}
        {previous.handoff ? ` · ${previous.handoff}` : ''}
      </Text>
    </Group>
  );
}

interface CardProps {
  step: SeriesStep;
  count: number;
  editable: boolean;
  dragging: boolean;
  onDragStart(e: DragEvent): void;
  onDragOver(e: DragEvent<HTMLElement>): void;
  onDrop(e: DragEvent): void;
  onDragEnd(): void;
  onMove(to: number): void;
  onAddAfter(): void;
  onRemove(): void;
}

function StepCard({ step, count, editable, dragging, onMove, onAddAfter, onRemove, ...drag }: CardProps) {
  const navigate = useNavigate();
  const label = emailLabel(step.position);
  const open = () => step.emailId && navigate(`/emails/${step.emailId}`);
  const stop = (e: React.SyntheticEvent) => e.stopPropagation();
  return (
    <Card
      padding="md"
      draggable={editable}
      onDragStart={drag.onDragStart}
      onDragOver={drag.onDragOver}
      onDrop={drag.onDrop}
      onDragEnd={drag.onDragEnd}
      onClick={open}
      style={{ cursor: 'pointer', opacity: dragging ? 0.45 : 1 }}
      data-testid={`step-${step.position + 1}`}
      aria-label={`${label}: ${stepSubject(step)}`}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        {editable && (
          <Box c="dimmed" pt={6} style={{ cursor: 'grab' }} aria-hidden>
            <IconGripVertical size={16} />
          </Box>
        )}
        <Badge size="lg" circle variant="light" mt={2} style={{ flexShrink: 0 }} aria-hidden>
          {step.position + 1}
        </Badge>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={8} wrap="wrap">
            <Badge variant="default" radius="sm" tt="none" fw={600} data-testid="step-role">
              {step.role}
            </Badge>
            <Badge variant="light" color="gray" radius="sm" tt="none" fw={500} data-testid="step-day">
              {dayLabel(step.offsetDays)}
            </Badge>
            {step.email && (
              <span onClick={stop}>
                <PreflightBadge summary={step.email.preflight} />
              </span>
            )}
          </Group>
          {step.emailId ? (
            <Anchor component={Link} to={`/emails/${step.emailId}`} onClick={stop} fw={600} c="inherit" size="sm" lineClamp={2} data-testid="step-subject">
              {stepSubject(step)}
            </Anchor>
          ) : (
            <Text size="sm" c="red.8" fw={600}>
              {stepSubject(step)} — remove this step or add another in its place
            </Text>
          )}
          {step.email?.preheader && (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {step.email.preheader}
            </Text>
          )}
          {step.beats.length > 0 && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {step.beats.join(' · ')}
            </Text>
          )}
        </Stack>
        {editable && (
          <Group gap={2} wrap="nowrap" onClick={stop}>
            <Tooltip label="Move up">
              <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label.toLowerCase()} up`} disabled={step.position === 0} onClick={() => onMove(step.position - 1)}>
                <IconArrowUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label="Move down">
              <ActionIcon variant="subtle" color="gray" aria-label={`Move ${label.toLowerCase()} down`} disabled={step.position === count - 1} onClick={() => onMove(step.position + 1)}>
                <IconArrowDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" shadow="md">
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`More for ${label.toLowerCase()}`}>
                  <IconDots size={16} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {step.emailId && (
                  <Menu.Item leftSection={<IconEdit size={14} />} component={Link} to={`/emails/${step.emailId}`}>
                    Open in the editor
                  </Menu.Item>
                )}
                <Menu.Item leftSection={<IconPlus size={14} />} onClick={onAddAfter}>
                  Add an email after this one
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={onRemove} disabled={count === 1}>
                  Remove from series
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        )}
      </Group>
    </Card>
  );
}
