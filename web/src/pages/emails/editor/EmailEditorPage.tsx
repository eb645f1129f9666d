import { useEffect, useState, type ReactNode } from 'react';
import { ActionIcon, Alert, Anchor, Badge, Box, Breadcrumbs, Button, Center, Group, List, Loader, Menu, SegmentedControl, Select, Stack, Tabs, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { useHotkeys, useWindowEvent } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertCircle, IconArrowLeft, IconCode, IconDeviceDesktop, IconDeviceFloppy, IconDeviceMobile, IconDots, IconEye, IconHistory, IconLayoutList, IconPointFilled, IconSend, IconShieldCheck } from '@tabler/icons-react';
import { Link, useBlocker, useParams } from 'react-router-dom';
import { ApiError } from '../../../api.ts';
import { PreflightBadge } from '../../../components/email/PreflightScore.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { timeAgo } from '../../../lib/format.ts';
import { useSignedIn } from '../../../session.tsx';
import { emailsApi, type Email, type Finding, type Persona } from '../api.ts';
import { CATEGORY_INFO, FORMAT_LABELS } from '../labels.ts';
import { useEmail, useEmailUpdated, useLatestPreflight } from '../queries.ts';
import { BlockInspector, SectionInspector } from './BlockInspector.tsx';
import { BlockOutline, type Selection } from './BlockOutline.tsx';
import { BLOCK_TYPE_INFO } from './blockTypes.tsx';
import { CodeView } from './CodeView.tsx';
import { ComposerBar } from './ComposerBar.tsx';
import { findBlock, replaceBlock, updateSection } from './document.ts';
import classes from './EmailEditor.module.css';
import { EmailSettings } from './EmailSettings.tsx';
import { PreflightPanel } from './PreflightPanel.tsx';
import { PERSONA_OPTIONS, PreviewPane, type Device } from './PreviewPane.tsx';
import { SendTestModal } from './SendTestModal.tsx';
import { SubjectIdeasModal } from './SubjectIdeasModal.tsx';
import { issueCount, useEmailDraft, type EmailDraft } from './useEmailDraft.ts';
import { VersionsDrawer } from './VersionsDrawer.tsx';

export function EmailEditorPage() {
  const { emailId = '' } = useParams();
  const email = useEmail(emailId);
  if (email.isPending) {
    return (
      <div className={classes.editor} aria-busy="true">
        <Center style={{ gridRow: '1 / span 2' }}>
          <Loader size="sm" />
        </Center>
      </div>
    );
  }
  if (email.isError) {
    const missing = email.error instanceof ApiError && email.error.status === 404;
    return (
      <>
        <Breadcrumbs mb="lg" fz="sm">
          <Anchor component={Link} to="/emails" c="dimmed">
            Emails
          </Anchor>
          <Text size="sm">{missing ? 'Not found' : 'Error'}</Text>
        </Breadcrumbs>
        {missing ? (
          <Alert color="gray" variant="light" title="This email does not exist">
            It may have been deleted, or the link belongs to another brand.{' '}
            <Anchor component={Link} to="/emails">
              See all emails
            </Anchor>
          </Alert>
        ) : (
          <ErrorAlert error={email.error} onRetry={() => void email.refetch()} />
        )}
      </>
    );
  }
  return <EmailEditor key={email.data.id} email={email.data} />;
}

type RightTab = 'block' | 'settings' | 'preflight';
type MobilePane = 'outline' | 'preview' | 'panel';

function EmailEditor({ email }: { email: Email }) {
  const { canWrite } = useSignedIn();
  const readOnly = !canWrite;
  const updated = useEmailUpdated();
  const draft = useEmailDraft(email, updated);
  const doc = draft.draft.document;
  const isBlocks = email.format === 'blocks' && doc !== null;

  const [selection, setSelection] = useState<Selection>(null);
  const [rightTab, setRightTab] = useState<RightTab>(isBlocks ? 'block' : 'settings');
  const [view, setView] = useState<'preview' | 'code'>('preview');
  const [device, setDevice] = useState<Device>('desktop');
  const [persona, setPersona] = useState<Persona>('full');
  const [reveal, setReveal] = useState<{ id: string; at: number } | null>(null);
  const [located, setLocated] = useState<{ id: string; at: number } | null>(null);
  const [excerpt, setExcerpt] = useState<{ excerpt: string; at: number } | null>(null);
  const [dialog, setDialog] = useState<'test' | 'subjects' | 'discard' | null>(null);
  const [history, setHistory] = useState<{ opened: boolean; focus: number | null }>({ opened: false, focus: null });
  const [mobilePane, setMobilePane] = useState<MobilePane>('preview');

  /** Server-side actions work on the saved email: pending changes are saved first. */
  const prepare = async () => !draft.dirty || (await draft.save());

  useHotkeys([['mod+S', () => void draft.save()]], []);
  useWindowEvent('beforeunload', (e) => {
    if (draft.dirty) e.preventDefault();
  });
  const blocker = useBlocker(({ currentLocation, nextLocation }) => draft.dirty && currentLocation.pathname !== nextLocation.pathname);

  // After a refused save, bring the first problem into view.
  useEffect(() => {
    const firstBlock = Object.keys(draft.issues.blocks)[0];
    const firstSection = Object.keys(draft.issues.sections)[0];
    if (firstBlock) select({ kind: 'block', id: firstBlock });
    else if (firstSection) select({ kind: 'section', id: firstSection });
    else if (Object.keys(draft.issues.settings).length) setRightTab('settings');
    else if (draft.issues.source) setMobilePane('outline');
  }, [draft.issues]);

  function select(next: Selection) {
    setSelection(next);
    if (!next) return;
    setRightTab('block');
    setMobilePane('panel');
    if (next.kind === 'block') setReveal({ id: next.id, at: Date.now() });
  }

  function locate(finding: Finding) {
    const { blockId, persona: where, excerpt: piece } = finding.location;
    if (where) setPersona(where);
    if (blockId && doc && findBlock(doc, blockId)) {
      setSelection({ kind: 'block', id: blockId });
      setLocated({ id: blockId, at: Date.now() });
      setReveal({ id: blockId, at: Date.now() });
      setView('preview');
      setMobilePane('preview');
    } else if (piece) {
      setView('code');
      setExcerpt({ excerpt: piece, at: Date.now() });
      setMobilePane('preview');
    }
  }

  /** Makes `version` the newest again; says how it went, and resolves to whether it worked. */
  async function restore(version: number): Promise<boolean> {
    try {
      if (!(await prepare())) throw new Error('Your unsaved changes have problems; fix or discard them first.');
      const restored = await emailsApi.restore(email.id, version);
      await updated(restored);
      notifications.show({ color: 'teal', message: `Version ${version} restored as version ${restored.version}.` });
      return true;
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not restored', message: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  const place = selection?.kind === 'block' && doc ? findBlock(doc, selection.id) : null;
  const sectionIndex = selection?.kind === 'section' && doc ? doc.sections.findIndex((s) => s.id === selection.id) : -1;
  const problems = new Set([...Object.keys(draft.issues.blocks), ...Object.keys(draft.issues.sections)]);

  return (
    <div className={classes.editor}>
      <TopBar
        email={email}
        draft={draft}
        readOnly={readOnly}
        onSave={() => void draft.save()}
        onDiscard={() => setDialog('discard')}
        onHistory={() => setHistory({ opened: true, focus: null })}
        onTest={() => setDialog('test')}
        onPreflight={() => {
          setRightTab('preflight');
          setMobilePane('panel');
        }}
      />
      <div className={classes.mobileBar}>
        <SegmentedControl
          fullWidth
          size="xs"
          aria-label="Pane"
          value={mobilePane}
          onChange={(v) => setMobilePane(v as MobilePane)}
          data={[
            { value: 'outline', label: isBlocks ? 'Outline' : 'Source' },
            { value: 'preview', label: 'Preview' },
            { value: 'panel', label: 'Edit' },
          ]}
        />
      </div>
      <div className={classes.panes} data-layout={isBlocks ? 'blocks' : 'code'}>
        <aside className={`${classes.pane} ${classes.left}`} data-hidden-mobile={mobilePane !== 'outline' || undefined} aria-label={isBlocks ? 'Outline' : 'Source'}>
          {isBlocks ? (
            <>
              <div className={classes.paneHeader}>
                <Group gap={6}>
                  <IconLayoutList size={16} />
                  <Text size="sm" fw={600}>
                    Outline
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {doc.sections.length} {doc.sections.length === 1 ? 'section' : 'sections'}
                </Text>
              </div>
              <div className={classes.scroll}>
                <BlockOutline
                  doc={doc}
                  selection={selection}
                  located={located}
                  problems={problems}
                  readOnly={readOnly}
                  onSelect={select}
                  onChange={(next, then) => {
                    draft.setDocument(next);
                    if (then !== undefined) (then ? select(then) : setSelection(null));
                  }}
                />
              </div>
            </>
          ) : (
            <CodeView editable email={email} source={draft.draft.source ?? ''} sourceIssue={draft.issues.source} readOnly={readOnly} dirty={draft.dirty} onSourceChange={draft.setSource} />
          )}
        </aside>

        <main className={classes.pane} data-hidden-mobile={mobilePane !== 'preview' || undefined}>
          <div className={classes.paneHeader}>
            <SegmentedControl
              size="xs"
              aria-label="View"
              value={view}
              onChange={(v) => setView(v as 'preview' | 'code')}
              data={[
                { value: 'preview', label: <Label icon={<IconEye size={14} />} text="Preview" /> },
                { value: 'code', label: <Label icon={<IconCode size={14} />} text="Code" /> },
              ]}
            />
            {view === 'preview' && (
              <Group gap="xs" wrap="nowrap">
                <SegmentedControl
                  visibleFrom="sm"
                  size="xs"
                  aria-label="Device"
                  value={device}
                  onChange={(v) => setDevice(v as Device)}
                  data={[
                    { value: 'desktop', label: <IconLabel icon={<IconDeviceDesktop size={16} />} text="Desktop width" /> },
                    { value: 'mobile', label: <IconLabel icon={<IconDeviceMobile size={16} />} text="Mobile width (375 px)" /> },
                  ]}
                />
                <Tooltip label={PERSONA_OPTIONS.find((p) => p.value === persona)?.hint} position="bottom">
                  <Select
                    size="xs"
                    w={150}
                    aria-label="Sample data"
                    value={persona}
                    onChange={(v) => v && setPersona(v as Persona)}
                    allowDeselect={false}
                    data={PERSONA_OPTIONS.map(({ value, label }) => ({ value, label }))}
                  />
                </Tooltip>
              </Group>
            )}
          </div>
          {view === 'preview' ? (
            <PreviewPane email={email} persona={persona} device={device} reveal={reveal} dirty={draft.dirty} contentWidth={doc?.theme.width ?? 600} />
          ) : (
            <CodeView editable={false} languages={isBlocks ? ['mjml', 'html'] : ['html']} email={email} dirty={draft.dirty} locate={excerpt} />
          )}
          {isBlocks && !readOnly && (
            <Box bg={view === 'preview' ? 'var(--mantine-color-gray-1)' : undefined} pt={view === 'preview' ? 0 : undefined}>
              <ComposerBar
                email={email}
                selectedBlock={place ? { id: place.block.id, label: BLOCK_TYPE_INFO[place.block.type].label } : null}
                prepare={prepare}
                onEdited={updated}
                onCompare={(version) => setHistory({ opened: true, focus: version })}
                onUndo={restore}
              />
            </Box>
          )}
        </main>

        <aside className={`${classes.pane} ${classes.right}`} data-hidden-mobile={mobilePane !== 'panel' || undefined} aria-label="Inspector">
          <Tabs value={rightTab} onChange={(v) => setRightTab((v as RightTab) ?? 'block')} style={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} keepMounted={false}>
            <Tabs.List grow>
              {isBlocks && <Tabs.Tab value="block">{selection?.kind === 'section' ? 'Section' : 'Block'}</Tabs.Tab>}
              <Tabs.Tab value="settings" rightSection={Object.keys(draft.issues.settings).length ? <IconAlertCircle size={14} color="var(--mantine-color-red-6)" /> : undefined}>
                Settings
              </Tabs.Tab>
              <Tabs.Tab value="preflight">Preflight</Tabs.Tab>
            </Tabs.List>
            <div className={classes.scroll}>
              <Tabs.Panel value="block">
                {place && doc ? (
                  <BlockInspector
                    key={place.block.id}
                    block={place.block}
                    issues={draft.issues.blocks[place.block.id] ?? {}}
                    readOnly={readOnly}
                    doc={doc}
                    onDocChange={draft.setDocument}
                    onChange={(b) => {
                      draft.setDocument(replaceBlock(doc, b));
                      draft.clearBlockIssues(b.id);
                    }}
                  />
                ) : sectionIndex >= 0 && doc ? (
                  <SectionInspector
                    section={doc.sections[sectionIndex]}
                    index={sectionIndex}
                    issues={draft.issues.sections[doc.sections[sectionIndex].id] ?? {}}
                    readOnly={readOnly}
                    onChange={(patch) => draft.setDocument(updateSection(doc, doc.sections[sectionIndex].id, patch))}
                  />
                ) : (
                  <NothingSelected />
                )}
              </Tabs.Panel>
              <Tabs.Panel value="settings">
                <EmailSettings
                  settings={draft.draft.settings}
                  theme={doc?.theme ?? null}
                  issues={draft.issues.settings}
                  readOnly={readOnly}
                  onChange={draft.setSettings}
                  onThemeChange={(theme) => doc && draft.setDocument({ ...doc, theme })}
                  onSubjectIdeas={() => setDialog('subjects')}
                />
              </Tabs.Panel>
              <Tabs.Panel value="preflight">
                <PreflightPanel email={email} readOnly={readOnly} prepare={prepare} onEmailChanged={updated} onLocate={locate} />
              </Tabs.Panel>
            </div>
          </Tabs>
        </aside>
      </div>

      <SendTestModal email={email} opened={dialog === 'test'} onClose={() => setDialog(null)} prepare={prepare} />
      <SubjectIdeasModal
        emailId={email.id}
        opened={dialog === 'subjects'}
        onClose={() => setDialog(null)}
        onPick={({ subject, preheader }) => {
          draft.setSettings({ subject, preheader });
          setRightTab('settings');
        }}
      />
      <VersionsDrawer email={email} opened={history.opened} focus={history.focus} readOnly={readOnly} onClose={() => setHistory({ opened: false, focus: null })} onRestore={restore} />
      <ConfirmModal
        opened={dialog === 'discard'}
        title="Discard unsaved changes?"
        confirmLabel="Discard changes"
        onClose={() => setDialog(null)}
        onConfirm={() => {
          draft.discard();
          setDialog(null);
        }}
      >
        Everything you changed since version {email.version} is thrown away.
      </ConfirmModal>
      <ConfirmModal opened={blocker.state === 'blocked'} title="Leave without saving?" confirmLabel="Leave and discard" onClose={() => blocker.reset?.()} onConfirm={() => blocker.proceed?.()}>
        You have unsaved changes in “{draft.draft.settings.name}”. Leave anyway and lose them?
      </ConfirmModal>
    </div>
  );
}

/** An icon-only option that still has a name, shown as a tooltip and read by screen readers. */
function IconLabel({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <Tooltip label={text}>
      <Center aria-label={text} h={20}>
        {icon}
      </Center>
    </Tooltip>
  );
}

function Label({ icon, text }: { icon: ReactNode; text: string }) {
  return (
    <Group gap={4} wrap="nowrap" justify="center">
      {icon}
      <span>{text}</span>
    </Group>
  );
}

interface TopBarProps {
  email: Email;
  draft: EmailDraft;
  readOnly: boolean;
  onSave(): void;
  onDiscard(): void;
  onHistory(): void;
  onTest(): void;
  onPreflight(): void;
}

function TopBar({ email, draft, readOnly, onSave, onDiscard, onHistory, onTest, onPreflight }: TopBarProps) {
  const preflight = useLatestPreflight(email.id);
  const report = preflight.data;
  return (
    <header className={classes.topbar}>
      <Tooltip label="All emails">
        <ActionIcon component={Link} to="/emails" variant="subtle" color="gray" size="lg" aria-label="Back to emails">
          <IconArrowLeft size={18} />
        </ActionIcon>
      </Tooltip>
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Group gap={6} wrap="nowrap">
          <Text fw={600} truncate component="h1" fz="md" m={0}>
            {draft.draft.settings.name || 'Untitled email'}
          </Text>
          <Badge size="xs" variant="light" color={CATEGORY_INFO[email.category].color} radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }} visibleFrom="sm">
            {CATEGORY_INFO[email.category].label}
          </Badge>
          {email.format !== 'blocks' && (
            <Badge size="xs" variant="default" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
              {FORMAT_LABELS[email.format]}
            </Badge>
          )}
          {readOnly && (
            <Tooltip label="Your role can read and check this email; managers and editors can change it.">
              <Badge size="xs" variant="outline" color="gray" radius="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
                View only
              </Badge>
            </Tooltip>
          )}
        </Group>
        <SaveState email={email} draft={draft} />
      </Stack>
      <Group gap="xs" wrap="nowrap" visibleFrom="md">
        <Button variant="default" size="sm" leftSection={<IconHistory size={16} />} onClick={onHistory}>
          History
        </Button>
        {!readOnly && (
          <Button variant="default" size="sm" leftSection={<IconSend size={16} />} onClick={onTest}>
            Send test
          </Button>
        )}
        <Button variant="default" size="sm" leftSection={<IconShieldCheck size={16} />} rightSection={report ? <PreflightBadge summary={{ score: report.score, ...report.counts }} /> : undefined} onClick={onPreflight}>
          Preflight
        </Button>
      </Group>
      <Menu position="bottom-end" shadow="md">
        <Menu.Target>
          <ActionIcon hiddenFrom="md" variant="default" size="lg" aria-label="More actions">
            <IconDots size={16} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconHistory size={14} />} onClick={onHistory}>
            History
          </Menu.Item>
          {!readOnly && (
            <Menu.Item leftSection={<IconSend size={14} />} onClick={onTest}>
              Send test
            </Menu.Item>
          )}
          <Menu.Item leftSection={<IconShieldCheck size={14} />} onClick={onPreflight}>
            Preflight
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {!readOnly && (
        <Group gap="xs" wrap="nowrap">
          {draft.dirty && (
            <Button variant="subtle" color="gray" size="sm" onClick={onDiscard} disabled={draft.saving} visibleFrom="sm">
              Discard
            </Button>
          )}
          <Tooltip label="Ctrl+S / ⌘S">
            <Button size="sm" leftSection={<IconDeviceFloppy size={16} />} onClick={onSave} loading={draft.saving} disabled={!draft.dirty}>
              Save
            </Button>
          </Tooltip>
        </Group>
      )}
    </header>
  );
}

/** Always says where the work stands: unsaved, saving, refused (and why), or saved as which version. */
function SaveState({ email, draft }: { email: Email; draft: EmailDraft }) {
  const problems = issueCount(draft.issues);
  let dot = 'teal';
  let text = `Saved · version ${email.version} · ${timeAgo(email.updatedAt)}`;
  if (draft.saving) [dot, text] = ['blue', 'Saving…'];
  else if (problems > 0) [dot, text] = ['red', `Not saved: ${problems === 1 ? '1 problem' : `${problems} problems`} to fix${draft.issues.other.length ? ` — ${draft.issues.other[0]}` : ''}`];
  else if (draft.dirty) [dot, text] = ['orange', 'Unsaved changes'];
  return (
    <Group gap={4} wrap="nowrap" data-testid="save-state">
      <IconPointFilled size={12} color={`var(--mantine-color-${dot}-6)`} style={{ flexShrink: 0 }} />
      <Text size="xs" c={problems > 0 ? 'red' : 'dimmed'} truncate>
        {text}
      </Text>
    </Group>
  );
}

function NothingSelected() {
  return (
    <Stack align="center" gap="xs" p="xl" mt="lg">
      <ThemeIcon variant="light" size={44} radius="xl">
        <IconLayoutList size={22} stroke={1.6} />
      </ThemeIcon>
      <Text size="sm" fw={500}>
        Select a block
      </Text>
      <Text size="xs" c="dimmed" ta="center" maw={260}>
        Pick a block or section in the outline to edit it here. The subject, sender and design are under Settings.
      </Text>
      <List size="xs" c="dimmed" spacing={6} mt="md" maw={260} icon={<IconPointFilled size={10} />}>
        <List.Item>Save with Ctrl+S (⌘S). Every save is a version you can compare or restore in History.</List.Item>
        <List.Item>The preview is the saved email, rendered by the server for a sample contact.</List.Item>
        <List.Item>Ask the composer below the preview to rewrite the whole email, or just the selected block.</List.Item>
      </List>
    </Stack>
  );
}
