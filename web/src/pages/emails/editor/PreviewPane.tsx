import { useEffect, useMemo, useRef } from 'react';
import { Avatar, Badge, Box, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { initials } from '../../../lib/format.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { emailsApi, type Email, type Persona } from '../api.ts';
import { EMAILS } from '../queries.ts';
import classes from './EmailEditor.module.css';

export type Device = 'desktop' | 'mobile';

export const PERSONA_OPTIONS: { value: Persona; label: string; hint: string }[] = [
  { value: 'full', label: 'Full data', hint: 'A contact with every field filled' },
  { value: 'missing', label: 'Missing fields', hint: 'Optional fields empty: do the defaults read well?' },
  { value: 'hostile', label: 'Hostile strings', hint: 'Very long, right-to-left and markup-like values' },
];

/** Prefix of the element ids the preview gives marked blocks, so a URL fragment can reach them. */
const ANCHOR = 'tb-';

/** Marks the compiler may put on a block's wrapper: `data-block-id="…"` or a `block-<id>` class. */
const BLOCK_CLASS = /(?:^|\s)block-([A-Za-z0-9_-]{1,40})(?:\s|$)/;

/**
 * Prepares the rendered HTML for the sandboxed frame: the outermost element of each marked block
 * gets an id, so the parent can scroll to it with a fragment, and a :target rule outlines it.
 * DOMParser builds an inert document: it runs no script and loads nothing.
 */
export function previewDocument(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>('[data-block-id], [class*="block-"]'))) {
    const blockId = el.dataset.blockId ?? BLOCK_CLASS.exec(el.className)?.[1];
    if (blockId && !doc.getElementById(`${ANCHOR}${blockId}`)) el.id = `${ANCHOR}${blockId}`;
  }
  const style = doc.createElement('style');
  style.textContent = `:target{outline:3px solid #fab005 !important;outline-offset:2px;border-radius:2px;scroll-margin-top:40px}`;
  doc.head.append(style);
  return `<!doctype html>\n${doc.documentElement.outerHTML}`;
}

interface Props {
  email: Email;
  persona: Persona;
  device: Device;
  /** The block to scroll to and outline; `at` makes the same block reveal again. */
  reveal: { id: string; at: number } | null;
  /** Unsaved changes: the preview shows the saved version. */
  dirty: boolean;
  contentWidth: number;
}

/**
 * The saved email rendered by the server for a sample persona, in an iframe with `sandbox=""`:
 * no scripts, no same-origin access, no navigation out. It re-renders shortly after each save.
 */
export function PreviewPane({ email, persona, device, reveal, dirty, contentWidth }: Props) {
  const [versionKey] = useDebouncedValue(`${email.version}:${email.updatedAt}`, 250);
  const render = useBrandQuery([EMAILS, email.id, 'render', persona, versionKey], () => emailsApi.render(email.id, { persona }), { placeholderData: keepPreviousData, staleTime: Infinity });
  const srcDoc = useMemo(() => (render.data ? previewDocument(render.data.html) : undefined), [render.data]);
  const frame = useRef<HTMLIFrameElement>(null);

  function scrollToBlock() {
    const win = frame.current?.contentWindow;
    if (!win || !reveal) return;
    // A cross-origin frame still lets its parent navigate it; a fragment-only change scrolls without reloading.
    win.location.href = `about:srcdoc#${ANCHOR}${reveal.id}`;
  }
  useEffect(scrollToBlock, [reveal?.id, reveal?.at]);

  const width = device === 'mobile' ? 375 : `min(100%, ${contentWidth + 80}px)`;

  return (
    <div className={classes.canvas}>
      <Box w={width} style={{ transition: 'width 160ms ease' }}>
        <InboxHeader email={email} subject={render.data?.subject ?? email.subject} busy={render.isFetching} dirty={dirty} />
      </Box>
      {render.isError ? (
        <Box w={width} mt="md">
          <ErrorAlert error={render.error} onRetry={() => void render.refetch()} />
        </Box>
      ) : srcDoc === undefined ? (
        <Center style={{ flex: 1 }}>
          <Loader size="sm" />
        </Center>
      ) : (
        <iframe
          ref={frame}
          title="Email preview"
          sandbox=""
          srcDoc={srcDoc}
          className={classes.frame}
          style={{ width }}
          onLoad={scrollToBlock}
          data-testid="email-preview"
        />
      )}
    </div>
  );
}

/** How the message shows in an inbox list: sender, subject and the preheader after it. */
function InboxHeader({ email, subject, busy, dirty }: { email: Email; subject: string; busy: boolean; dirty: boolean }) {
  return (
    <Paper withBorder radius="md" px="md" py="sm" mb="sm" shadow="xs">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Avatar radius="xl" size={36} color="brand">
          {initials(email.fromName || email.fromEmail)}
        </Avatar>
        <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap" justify="space-between">
            <Text size="sm" fw={600} truncate>
              {email.fromName}{' '}
              <Text span size="xs" c="dimmed" fw={400}>
                &lt;{email.fromEmail}&gt;
              </Text>
            </Text>
            {busy ? <Loader size={12} /> : dirty ? (
              <Badge size="xs" variant="light" color="orange" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
                Save to update
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" truncate data-testid="preview-subject">
            {subject || <Text span c="dimmed">(no subject)</Text>}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {email.preheader || 'No preheader: inboxes will show the first words of the email instead.'}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
