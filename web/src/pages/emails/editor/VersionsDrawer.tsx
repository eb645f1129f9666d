import { useEffect, useState } from 'react';
import { Badge, Box, Button, Center, Drawer, Group, Loader, ScrollArea, SegmentedControl, Stack, Table, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowsDiff, IconRestore } from '@tabler/icons-react';
import { api } from '../../../api.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert, QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { emailsApi, type DiffLine, type Email, type EmailDiff, type EmailVersionSummary } from '../api.ts';
import { EMAILS } from '../queries.ts';
import classes from './EmailEditor.module.css';

interface Props {
  email: Email;
  opened: boolean;
  /** The version to show first (e.g. the composer's latest edit). */
  focus: number | null;
  readOnly: boolean;
  onClose(): void;
  /** Resolves to whether the restore worked (the editor reports problems itself). */
  onRestore(version: number): Promise<boolean>;
}

/** Every saved version with who made it and why; what changed in each, and a way back to any of them. */
export function VersionsDrawer({ email, opened, focus, readOnly, onClose, onRestore }: Props) {
  const versions = useBrandQuery([EMAILS, email.id, 'versions', String(email.version)], () => emailsApi.versions(email.id), { enabled: opened });
  // null follows the current version, also when a restore makes a new one.
  const [picked, setPicked] = useState<number | null>(null);
  const selected = picked ?? email.version;
  const [against, setAgainst] = useState<'previous' | 'current'>('previous');
  const [restoring, setRestoring] = useState<'ask' | 'busy' | null>(null);

  useEffect(() => {
    if (opened) setPicked(focus);
  }, [opened, focus]);

  const base = against === 'previous' ? selected - 1 : email.version;
  const canCompare = against === 'previous' ? selected > 1 : selected !== email.version;

  async function restore() {
    setRestoring('busy');
    const restored = await onRestore(selected);
    setRestoring(null);
    if (restored) setPicked(null);
  }

  return (
    <Drawer opened={opened} onClose={onClose} position="right" size={980} title={<Text fw={600}>Version history</Text>} padding="md" styles={{ body: { height: 'calc(100% - 60px)' } }}>
      <Group align="stretch" gap="md" wrap="nowrap" h="100%">
        <ScrollArea w={280} style={{ flexShrink: 0 }} type="auto">
          <QueryState query={versions} skeletonRows={6}>
            {({ data }) => <VersionList versions={data} current={email.version} selected={selected} onSelect={setPicked} />}
          </QueryState>
        </ScrollArea>
        <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between">
            <Group gap="sm">
              <Text fw={600}>Version {selected}</Text>
              <SegmentedControl
                size="xs"
                aria-label="Compare with"
                value={against}
                onChange={(v) => setAgainst(v as 'previous' | 'current')}
                data={[
                  { value: 'previous', label: 'Changes in this version' },
                  { value: 'current', label: 'Compared with current' },
                ]}
              />
            </Group>
            {!readOnly && selected !== email.version && (
              <Button size="xs" variant="light" leftSection={<IconRestore size={14} />} onClick={() => setRestoring('ask')}>
                Restore version {selected}
              </Button>
            )}
          </Group>
          {canCompare ? (
            <DiffView emailId={email.id} a={Math.min(base, selected)} b={Math.max(base, selected)} />
          ) : (
            <Center h={200}>
              <Text size="sm" c="dimmed">
                {against === 'previous' ? 'The first version: nothing before it to compare with.' : 'This is the current version.'}
              </Text>
            </Center>
          )}
        </Stack>
      </Group>
      <ConfirmModal opened={restoring !== null} title={`Restore version ${selected}?`} confirmLabel="Restore" loading={restoring === 'busy'} onClose={() => setRestoring(null)} onConfirm={() => void restore()}>
        The subject, preheader and body of version {selected} become a new version {email.version + 1}. Version {email.version} stays in the history, so nothing is lost.
      </ConfirmModal>
    </Drawer>
  );
}

/** Saves without a reason carry the saver's id as their note ("user usr_…"); the author line says that better. */
const noteOf = (v: EmailVersionSummary) => (/^(user|api_key|system)( \S+)?$/.test(v.note) ? (v.version === 1 ? 'Created' : 'Saved') : v.note);

function VersionList({ versions, current, selected, onSelect }: { versions: EmailVersionSummary[]; current: number; selected: number; onSelect(v: number): void }) {
  const members = useBrandQuery(['members'], api.members);
  const who = (createdBy: string | null) => {
    const member = members.data?.data.find((m) => m.userId === createdBy);
    return member?.name ?? (createdBy ? createdBy : 'system');
  };
  return (
    <Stack gap={4} pr="xs">
      {versions.map((v) => (
        <UnstyledButton
          key={v.version}
          onClick={() => onSelect(v.version)}
          p="xs"
          data-testid={`version-${v.version}`}
          style={{
            borderRadius: 'var(--mantine-radius-md)',
            border: `1px solid ${v.version === selected ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-gray-2)'}`,
            background: v.version === selected ? 'var(--mantine-primary-color-light)' : undefined,
          }}
        >
          <Group gap={6} justify="space-between" wrap="nowrap">
            <Group gap={6}>
              <Badge size="sm" variant={v.version === current ? 'filled' : 'default'} radius="sm" tt="none">
                v{v.version}
              </Badge>
              {v.version === current && (
                <Text size="xs" c="dimmed">
                  current
                </Text>
              )}
            </Group>
            <Tooltip label={formatDateTime(v.createdAt)}>
              <Text size="xs" c="dimmed">
                {timeAgo(v.createdAt)}
              </Text>
            </Tooltip>
          </Group>
          <Text size="sm" mt={4} lineClamp={2}>
            {noteOf(v)}
          </Text>
          <Text size="xs" c="dimmed">
            {who(v.createdBy)}
          </Text>
        </UnstyledButton>
      ))}
    </Stack>
  );
}

function DiffView({ emailId, a, b }: { emailId: string; a: number; b: number }) {
  const diff = useBrandQuery([EMAILS, emailId, 'diff', String(a), String(b)], () => emailsApi.diff(emailId, a, b), { staleTime: Infinity });
  if (diff.isPending)
    return (
      <Center h={200}>
        <Loader size="sm" />
      </Center>
    );
  if (diff.isError) return <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />;
  return <DiffBody diff={diff.data} a={a} b={b} />;
}

function DiffBody({ diff, a, b }: { diff: EmailDiff; a: number; b: number }) {
  const changed = diff.lines.filter((l) => l.op !== '=').length;
  return (
    <ScrollArea style={{ flex: 1 }} type="auto">
      <Stack gap="md" pr="xs">
        <Text size="xs" c="dimmed">
          <IconArrowsDiff size={12} style={{ verticalAlign: 'middle' }} /> From v{a} to v{b}
        </Text>
        {diff.fields.length > 0 && (
          <Table withTableBorder fz="sm" verticalSpacing={6}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={120}>Field</Table.Th>
                <Table.Th>Before (v{a})</Table.Th>
                <Table.Th>After (v{b})</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {diff.fields.map((f) => (
                <Table.Tr key={f.field}>
                  <Table.Td fw={500}>{f.field}</Table.Td>
                  <Table.Td bg="var(--mantine-color-red-0)" style={{ wordBreak: 'break-word' }}>
                    {show(f.before)}
                  </Table.Td>
                  <Table.Td bg="var(--mantine-color-green-0)" style={{ wordBreak: 'break-word' }}>
                    {show(f.after)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {changed === 0 ? (
          <Text size="sm" c="dimmed">
            The body is the same in both versions.
          </Text>
        ) : (
          <div>
            <Text size="sm" fw={500} mb={6}>
              Body{' '}
              <Text span size="xs" c="dimmed">
                {diff.lines.filter((l) => l.op === '+').length} added, {diff.lines.filter((l) => l.op === '-').length} removed lines
              </Text>
            </Text>
            <LineDiff lines={diff.lines} />
          </div>
        )}
      </Stack>
    </ScrollArea>
  );
}

const show = (v: unknown) => (v === null || v === undefined || v === '' ? <Text span c="dimmed" size="sm">(empty)</Text> : typeof v === 'string' ? v : JSON.stringify(v));

const CONTEXT = 3;

/** Changed lines with three lines of context; long unchanged runs fold into "… n unchanged lines". */
function LineDiff({ lines }: { lines: DiffLine[] }) {
  const near = lines.map((_, i) => lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.op !== '='));
  const out: Array<{ gap: number } | { line: DiffLine; i: number }> = [];
  for (const [i, line] of lines.entries()) {
    if (near[i]) out.push({ line, i });
    else {
      const prev = out[out.length - 1];
      if (prev && 'gap' in prev) prev.gap++;
      else out.push({ gap: 1 });
    }
  }
  return (
    <Box className={classes.diff} data-testid="line-diff">
      {out.map((item, k) =>
        'gap' in item ? (
          <div key={`g${k}`} className={classes.diffGap}>
            … {item.gap} unchanged {item.gap === 1 ? 'line' : 'lines'}
          </div>
        ) : (
          <div key={item.i} className={classes.diffLine} data-op={item.line.op}>
            <span>{item.line.op === '=' ? ' ' : item.line.op}</span>
            <span>{item.line.text || ' '}</span>
          </div>
        ),
      )}
    </Box>
  );
}
