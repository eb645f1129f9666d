import { ActionIcon, Badge, Code, CopyButton, Group, List, Paper, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { PublishedRecord } from '../../pages/campaigns/api.ts';

const RECORD_STATUS: Record<PublishedRecord['status'], { label: string; color: string }> = {
  unchecked: { label: 'Not checked', color: 'gray' },
  ok: { label: 'Verified', color: 'teal' },
  missing: { label: 'Missing', color: 'red' },
  mismatch: { label: 'Does not match', color: 'orange' },
  error: { label: 'Lookup failed', color: 'yellow' },
};

const PURPOSE_LABELS: Record<PublishedRecord['purpose'], string> = { dkim: 'DKIM', spf: 'SPF', dmarc: 'DMARC', 'return-path': 'Return path' };

/** One DNS record to publish: name and value with copy buttons, and what the last check found. */
export function DnsRecordCard({ record: r }: { record: PublishedRecord }) {
  const status = RECORD_STATUS[r.status] ?? { label: r.status, color: 'gray' };
  return (
    <Paper withBorder radius="md" p="md" data-testid={`record-${r.purpose}`}>
      <Group justify="space-between" mb="xs" wrap="nowrap" gap="sm">
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600}>
            {PURPOSE_LABELS[r.purpose] ?? r.purpose}
          </Text>
          <Badge size="sm" variant="outline" color="gray" radius="sm">
            {r.type}
          </Badge>
          {r.priority !== undefined && (
            <Text size="xs" c="dimmed">
              priority {r.priority}
            </Text>
          )}
        </Group>
        <Badge variant="light" color={status.color} radius="sm" tt="none" fw={600} data-testid="record-status">
          {status.label}
        </Badge>
      </Group>
      <Text size="xs" c="dimmed" mb="sm">
        {r.why}
      </Text>
      <Stack gap="xs">
        <Copyable label="Name" value={r.name} />
        <Copyable label="Value" value={r.value} />
      </Stack>
      {(r.problems?.length || r.warnings?.length || r.suggested || r.found?.length) && r.status !== 'unchecked' ? (
        <Stack gap={4} mt="sm">
          {r.problems && r.problems.length > 0 && (
            <List size="xs" c="red.8" spacing={2}>
              {r.problems.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          )}
          {r.warnings && r.warnings.length > 0 && (
            <List size="xs" c="orange.8" spacing={2}>
              {r.warnings.map((w) => (
                <List.Item key={w}>{w}</List.Item>
              ))}
            </List>
          )}
          {r.status !== 'ok' && r.found && r.found.length > 0 && (
            <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
              DNS has: {r.found.join(' · ')}
            </Text>
          )}
          {r.suggested && <Copyable label="Publish instead" value={r.suggested} />}
        </Stack>
      ) : null}
    </Paper>
  );
}

function Copyable({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block fz={12} style={{ flex: 1, minWidth: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all', padding: '4px 8px' }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : `Copy ${label.toLowerCase()}`}>
              <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
                {copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}
