import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ActionIcon, Alert, Badge, Box, Card, Group, Loader, Paper, ScrollArea, Spoiler, Stack, Text, Textarea, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconMessageCircle, IconSend, IconX } from '@tabler/icons-react';
import { ApiError } from '../../api.ts';
import { timeAgo } from '../../lib/format.ts';
import { seriesApi, type Series } from './api.ts';
import { useSeriesUpdated } from './queries.ts';
import { describeOp, editOutcome, useRefineLog, type EditFailure, type RefineEntry } from './refineLog.ts';

const EXAMPLES = ['Move email 3 before email 1', 'Add a testimonial email after the second', 'Send the third 2 days later', 'Remove the last one', 'Make them friendlier'];

/**
 * The chat-style refine box: plain words become one operation on the series (add, remove, move,
 * change a day, or an edit applied to every email). The history shows what was asked and what was
 * done, including button actions on the arc, and names each email an edit-all could not change.
 */
export function RefineBox({ series, editable }: { series: Series; editable: boolean }) {
  const updated = useSeriesUpdated();
  const log = useRefineLog(series.id);
  const [text, setText] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const viewport = useRef<HTMLDivElement>(null);

  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [log.entries.length, pending]);

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    const request = text.trim();
    if (!request || pending) return;
    setPending(request);
    setFieldError(null);
    try {
      const result = await seriesApi.refine(series.id, request);
      await updated(result.series);
      const outcome =
        result.op.op === 'edit-all' && result.results ? editOutcome(result.op.instruction, result.results, result.series) : { summary: describeOp(result.op, result.series), failures: [] };
      log.record({ request, source: 'typed', outcome: { ok: true, ...outcome } });
      setText('');
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      // A sentence the parser cannot place ("move email 9" in a 4-email series) names `text`.
      const onText = err instanceof ApiError ? (err.fieldErrors().text ?? null) : null;
      setFieldError(onText);
      log.record({ request, source: 'typed', outcome: { ok: false, error: onText ?? error } });
    } finally {
      setPending(null);
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <Card padding={0} data-testid="refine-box">
      <Group gap="xs" px="lg" pt="lg" pb="sm">
        <ThemeIcon variant="light" radius="xl" size="md">
          <IconMessageCircle size={16} />
        </ThemeIcon>
        <Title order={2}>Refine</Title>
      </Group>
      <ScrollArea.Autosize mah={420} viewportRef={viewport} px="lg" offsetScrollbars="y">
        {log.entries.length === 0 && !pending ? (
          <Stack gap={6} pb="sm">
            <Text size="sm" c="dimmed">
              Tell the series what to change, in plain words. One instruction at a time: add, remove or move an email, change the day one goes out, or edit every email at once.
            </Text>
          </Stack>
        ) : (
          <Stack gap="sm" pb="sm" data-testid="refine-history">
            {log.entries.map((entry) => (
              <Exchange key={entry.id} entry={entry} />
            ))}
            {pending && (
              <>
                <Said text={pending} source="typed" />
                <Paper p="sm" bg="var(--mantine-color-gray-0)" role="status">
                  <Group gap="xs" wrap="nowrap">
                    <Loader size={14} />
                    <Text size="sm" c="dimmed">
                      Working on it — an edit to every email rewrites them all, which takes a moment.
                    </Text>
                  </Group>
                </Paper>
              </>
            )}
          </Stack>
        )}
      </ScrollArea.Autosize>
      {editable ? (
        <Box px="lg" pb="lg" pt="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <Group gap={6} my="xs">
            {EXAMPLES.map((x) => (
              <Badge key={x} variant="default" radius="sm" tt="none" fw={400} style={{ cursor: 'pointer' }} onClick={() => setText(x)} component="button" type="button">
                {x}
              </Badge>
            ))}
          </Group>
          <form onSubmit={submit} noValidate>
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Textarea
                aria-label="Instruction"
                placeholder="e.g. Mention free shipping in every email"
                autosize
                minRows={1}
                maxRows={5}
                value={text}
                onChange={(e) => {
                  setText(e.currentTarget.value);
                  setFieldError(null);
                }}
                onKeyDown={onKeyDown}
                error={fieldError}
                disabled={pending !== null}
                style={{ flex: 1 }}
              />
              <Tooltip label="Send (Enter)">
                <ActionIcon type="submit" size={36} aria-label="Send instruction" loading={pending !== null} disabled={!text.trim()}>
                  <IconSend size={16} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </form>
        </Box>
      ) : (
        <Text size="xs" c="dimmed" px="lg" pb="lg">
          {series.status === 'archived' ? 'An archived series cannot be changed.' : 'Your role can read this series but not change it.'}
        </Text>
      )}
    </Card>
  );
}

function Said({ text, source }: { text: string; source: RefineEntry['source'] }) {
  return (
    <Group justify="flex-end">
      <Paper px="sm" py={6} maw="85%" bg="var(--mantine-color-brand-0)" style={{ borderBottomRightRadius: 4 }}>
        <Text size="sm">{text}</Text>
        {source === 'button' && (
          <Text size="xs" c="dimmed">
            from the buttons
          </Text>
        )}
      </Paper>
    </Group>
  );
}

function Exchange({ entry }: { entry: RefineEntry }) {
  const { outcome } = entry;
  const partial = outcome.ok && outcome.failures.length > 0;
  const failed = !outcome.ok || (partial && outcome.saved === 0);
  return (
    <Stack gap={6} data-testid="refine-entry">
      <Said text={entry.request} source={entry.source} />
      <Paper p="sm" withBorder style={{ borderBottomLeftRadius: 4 }} maw="92%">
        <Group gap={8} wrap="nowrap" align="flex-start">
          <ThemeIcon size={20} radius="xl" variant="light" color={failed ? 'red' : partial ? 'orange' : 'teal'} mt={1} style={{ flexShrink: 0 }}>
            {failed ? <IconX size={12} /> : partial ? <IconAlertTriangle size={12} /> : <IconCheck size={12} />}
          </ThemeIcon>
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Text size="sm" c={outcome.ok ? undefined : 'red.8'} data-testid="refine-reply">
              {outcome.ok ? outcome.summary : outcome.error}
            </Text>
            {outcome.ok && outcome.failures.length > 0 && (
              <Alert color={failed ? 'red' : 'orange'} variant="light" p="xs" title="Not changed" data-testid="edit-failures">
                <Stack gap={6}>
                  {byReason(outcome.failures).map(([error, emails]) => (
                    <div key={error}>
                      <Text size="xs" fw={600}>
                        {emails.map((f) => f.label).join(', ')}
                      </Text>
                      <Spoiler maxHeight={52} showLabel="Show all" hideLabel="Show less" styles={{ control: { fontSize: 'var(--mantine-font-size-xs)' } }}>
                        <Text size="xs">{error}</Text>
                      </Spoiler>
                    </div>
                  ))}
                </Stack>
              </Alert>
            )}
            <Text size="xs" c="dimmed">
              {timeAgo(entry.at)}
            </Text>
          </Stack>
        </Group>
      </Paper>
    </Stack>
  );
}

/** Emails that failed for the same reason are named together, so one reason is not repeated four times. */
function byReason(failures: EditFailure[]): [string, EditFailure[]][] {
  const groups = new Map<string, EditFailure[]>();
  for (const f of failures) groups.set(f.error, [...(groups.get(f.error) ?? []), f]);
  return [...groups];
}
