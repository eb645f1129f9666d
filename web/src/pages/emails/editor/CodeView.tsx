import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, CopyButton, Group, SegmentedControl, Text, Textarea } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconCopy } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { useBrandQuery } from '../../../lib/queries.ts';
import { emailsApi, type Email } from '../api.ts';
import { EMAILS } from '../queries.ts';
import classes from './EmailEditor.module.css';

type Language = 'mjml' | 'html';

type Props = {
  email: Email;
  dirty: boolean;
  /** A piece of HTML a preflight finding points at: shown selected in the HTML. */
  locate?: { excerpt: string; at: number } | null;
} & (
  | { editable: false; languages: Language[] }
  | {
      /** The source of an MJML or HTML email, edited here (saved like any other change). */
      editable: true;
      source: string;
      sourceIssue: string | null;
      readOnly: boolean;
      onSourceChange(source: string): void;
    }
);

/**
 * The email as code: the source of an email imported as MJML or HTML, editable; or what the
 * server generates from the saved email (MJML of block emails, compiled HTML), read-only.
 */
export function CodeView(props: Props) {
  const { email, dirty, locate = null } = props;
  const languages: Language[] = props.editable ? [email.format as Language] : props.languages;
  const [language, setLanguage] = useState<Language>(languages[0]);
  const editable = props.editable && !props.readOnly;
  const versionKey = `${email.version}:${email.updatedAt}`;
  const generated = useBrandQuery([EMAILS, email.id, language, versionKey], () => (language === 'mjml' ? emailsApi.mjml(email.id) : emailsApi.html(email.id)), { enabled: !props.editable, staleTime: Infinity });
  const text = props.editable ? props.source : (generated.data ?? '');
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (locate) setLanguage('html');
  }, [locate?.at]);

  // Once the HTML is on screen, select the located excerpt and scroll it into view.
  useEffect(() => {
    const el = area.current;
    if (!locate || language !== 'html' || !el || !text) return;
    const hit = findExcerpt(text, locate.excerpt);
    if (!hit) return;
    el.focus();
    el.setSelectionRange(hit.start, hit.end);
    const line = text.slice(0, hit.start).split('\n').length;
    el.scrollTop = Math.max(0, (line - 4) * 18.6);
  }, [locate?.at, language, text]);

  const saved = dirty ? ' (saved version)' : '';
  const described = props.editable
    ? `Your ${language.toUpperCase()}${editable ? ', saved with the email' : ''}`
    : email.format === 'blocks'
      ? `Generated from the blocks${saved}`
      : `Compiled from your ${email.format.toUpperCase()}: footer added, CSS inlined${saved}`;

  return (
    <div className={classes.pane} style={{ flex: 1, padding: 12, gap: 8 }}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap">
          {languages.length > 1 ? (
            <SegmentedControl size="xs" aria-label="Code language" value={language} onChange={(v) => setLanguage(v as Language)} data={languages.map((l) => ({ value: l, label: l.toUpperCase() }))} />
          ) : (
            <Badge variant="default" radius="sm" tt="none" fw={500}>
              {language.toUpperCase()}
            </Badge>
          )}
          <Text size="xs" c="dimmed" truncate>
            {described}
          </Text>
        </Group>
        <CopyButton value={text}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy} disabled={!text}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      {props.editable && props.sourceIssue && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs">
          {props.sourceIssue}
        </Alert>
      )}
      {!props.editable && generated.isError ? (
        <ErrorAlert error={generated.error} onRetry={() => void generated.refetch()} />
      ) : (
        <Textarea
          ref={area}
          aria-label={`${language.toUpperCase()} code`}
          value={!props.editable && generated.isPending ? 'Loading…' : text}
          readOnly={!editable}
          onChange={(e) => props.editable && props.onSourceChange(e.currentTarget.value)}
          spellCheck={false}
          classNames={{ input: classes.codeInput }}
          styles={{ root: { flex: 1, display: 'flex', flexDirection: 'column', minHeight: 0 }, wrapper: { flex: 1, minHeight: 0 }, input: { height: '100%', background: editable ? undefined : 'var(--mantine-color-gray-0)' } }}
        />
      )}
    </div>
  );
}

/**
 * Where a finding's excerpt sits in the HTML. Excerpts are clipped start tags plus text, so try
 * the whole excerpt, then shorter heads of it, then its text part.
 */
function findExcerpt(html: string, excerpt: string): { start: number; end: number } | null {
  const clean = excerpt.replace(/…$/, '');
  for (let len = clean.length; len >= 12; len = Math.floor(len * 0.6)) {
    const i = html.indexOf(clean.slice(0, len));
    if (i >= 0) return { start: i, end: i + len };
  }
  const words = clean.split('>').slice(1).join('>').trim();
  const i = words.length >= 6 ? html.indexOf(words.slice(0, 40)) : -1;
  return i >= 0 ? { start: i, end: i + Math.min(words.length, 40) } : null;
}
