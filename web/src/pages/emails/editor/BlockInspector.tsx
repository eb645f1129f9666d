import type { ReactNode } from 'react';
import { ActionIcon, Alert, Button, ColorInput, Group, NumberInput, SegmentedControl, Select, Stack, Switch, Text, TextInput, Textarea, ThemeIcon } from '@mantine/core';
import { IconAlertCircle, IconAlignCenter, IconAlignLeft, IconAlignRight, IconPlus, IconTrash } from '@tabler/icons-react';
import type { Block, EmailDocument, Section } from '../api.ts';
import { BLOCK_TYPE_INFO } from './blockTypes.tsx';
import { setColumnCount } from './document.ts';

type Issues = Record<string, string>;

/** The first problem reported for a field or anything inside it ("items" covers "items.2"). */
const issueAt = (issues: Issues, field: string) => issues[field] ?? Object.entries(issues).find(([k]) => k.startsWith(`${field}.`))?.[1];

type Network = Extract<Block, { type: 'social' }>['links'][number]['network'];
/** Display names of the networks; `satisfies` makes the compiler flag a network the model adds. */
const NETWORKS = { facebook: 'Facebook', instagram: 'Instagram', x: 'X', linkedin: 'LinkedIn', youtube: 'YouTube', tiktok: 'TikTok', pinterest: 'Pinterest', github: 'GitHub', web: 'Website' } satisfies Record<Network, string>;
const NETWORK_OPTIONS = Object.entries(NETWORKS).map(([value, label]) => ({ value, label }));

const MARKUP_HINT = 'Use **bold**, *italic* and [label](https://…). Merge tags like {{ contact.first_name | default: "there" }} work too.';

interface Props<B extends Block> {
  block: B;
  issues: Issues;
  readOnly: boolean;
  onChange(block: B): void;
}

/** The fields of the selected block, by type, with the server's problems on the fields they concern. */
export function BlockInspector({ block, issues, readOnly, onChange, doc, onDocChange }: Props<Block> & { doc: EmailDocument; onDocChange(doc: EmailDocument): void }) {
  const { label, icon: Icon, hint } = BLOCK_TYPE_INFO[block.type];
  const general = issues[''];
  return (
    <Stack gap="md" p="md">
      <Group gap="sm" wrap="nowrap">
        <ThemeIcon variant="light" size="lg" radius="md">
          <Icon size={18} stroke={1.6} />
        </ThemeIcon>
        <div>
          <Text fw={600} size="sm">
            {label}
          </Text>
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        </div>
      </Group>
      {general && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} p="xs">
          {general}
        </Alert>
      )}
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md">
          <Fields block={block} issues={issues} readOnly={readOnly} onChange={onChange} doc={doc} onDocChange={onDocChange} />
        </Stack>
      </fieldset>
    </Stack>
  );
}

function Fields({ block, issues, onChange, doc, onDocChange }: Props<Block> & { doc: EmailDocument; onDocChange(doc: EmailDocument): void }) {
  const set = <B extends Block>(b: B, patch: Partial<B>) => onChange({ ...b, ...patch });
  switch (block.type) {
    case 'heading':
      return (
        <>
          <Textarea label="Heading text" autosize minRows={2} value={block.text} onChange={(e) => set(block, { text: e.currentTarget.value })} error={issueAt(issues, 'text')} />
          <Labeled label="Level">
            <SegmentedControl
              fullWidth
              value={String(block.level)}
              onChange={(v) => set(block, { level: Number(v) as 1 | 2 | 3 })}
              data={[
                { value: '1', label: 'Title' },
                { value: '2', label: 'Heading' },
                { value: '3', label: 'Subheading' },
              ]}
            />
          </Labeled>
          <AlignControl value={block.align} onChange={(align) => set(block, { align })} />
        </>
      );
    case 'text':
      return (
        <>
          <Textarea label="Text" description={MARKUP_HINT} autosize minRows={6} maxRows={18} value={block.text} onChange={(e) => set(block, { text: e.currentTarget.value })} error={issueAt(issues, 'text')} />
          <AlignControl value={block.align} onChange={(align) => set(block, { align })} />
        </>
      );
    case 'button':
      return (
        <>
          <TextInput label="Button label" value={block.text} onChange={(e) => set(block, { text: e.currentTarget.value })} error={issueAt(issues, 'text')} />
          <TextInput label="Link" placeholder="https://…" value={block.url} onChange={(e) => set(block, { url: e.currentTarget.value })} error={issueAt(issues, 'url')} />
          <ColorInput label="Colour" description="Empty uses the theme’s primary colour" placeholder="Theme colour" value={block.color ?? ''} onChange={(v) => set(block, { color: v || undefined })} error={issueAt(issues, 'color')} />
          <AlignControl value={block.align} onChange={(align) => set(block, { align })} />
        </>
      );
    case 'image':
      return (
        <>
          <TextInput label="Image URL" placeholder="https://…/photo.jpg" value={block.src} onChange={(e) => set(block, { src: e.currentTarget.value })} error={issueAt(issues, 'src')} />
          <TextInput
            label="Alt text"
            description="Read aloud by screen readers and shown when images are blocked"
            value={block.alt}
            onChange={(e) => set(block, { alt: e.currentTarget.value })}
            error={issueAt(issues, 'alt')}
          />
          <TextInput label="Link (optional)" placeholder="https://…" value={block.href ?? ''} onChange={(e) => set(block, { href: e.currentTarget.value || undefined })} error={issueAt(issues, 'href')} />
          <Group grow>
            <NumberInput label="Width (px)" placeholder="Full" min={16} max={1200} value={block.width ?? ''} onChange={(v) => set(block, { width: typeof v === 'number' ? v : undefined })} error={issueAt(issues, 'width')} />
            <NumberInput label="Height (px)" placeholder="Auto" min={1} max={4000} value={block.height ?? ''} onChange={(v) => set(block, { height: typeof v === 'number' ? v : undefined })} error={issueAt(issues, 'height')} />
          </Group>
          <AlignControl value={block.align} onChange={(align) => set(block, { align })} />
        </>
      );
    case 'list':
      return (
        <>
          <Textarea
            label="Items"
            description="One item per line"
            autosize
            minRows={4}
            value={block.items.join('\n')}
            onChange={(e) => set(block, { items: e.currentTarget.value.split('\n') })}
            error={issueAt(issues, 'items')}
          />
          <Switch label="Numbered list" checked={block.ordered} onChange={(e) => set(block, { ordered: e.currentTarget.checked })} />
        </>
      );
    case 'quote':
      return (
        <>
          <Textarea label="Quote" autosize minRows={3} value={block.text} onChange={(e) => set(block, { text: e.currentTarget.value })} error={issueAt(issues, 'text')} />
          <TextInput label="Who said it" placeholder="Optional" value={block.author ?? ''} onChange={(e) => set(block, { author: e.currentTarget.value || undefined })} error={issueAt(issues, 'author')} />
        </>
      );
    case 'social':
      return (
        <>
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              Profiles
            </Text>
            {block.links.map((link, i) => (
              <Group key={i} gap={6} align="flex-start" wrap="nowrap">
                <Select
                  aria-label={`Network ${i + 1}`}
                  w={120}
                  data={NETWORK_OPTIONS}
                  value={link.network}
                  allowDeselect={false}
                  onChange={(v) => v && set(block, { links: block.links.map((l, j) => (j === i ? { ...l, network: v as Network } : l)) })}
                />
                <TextInput
                  aria-label={`Profile URL ${i + 1}`}
                  style={{ flex: 1 }}
                  value={link.url}
                  onChange={(e) => set(block, { links: block.links.map((l, j) => (j === i ? { ...l, url: e.currentTarget.value } : l)) })}
                  error={issueAt(issues, `links.${i}`)}
                />
                <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove profile ${i + 1}`} disabled={block.links.length === 1} onClick={() => set(block, { links: block.links.filter((_, j) => j !== i) })}>
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            ))}
            {issues.links && (
              <Text size="xs" c="red">
                {issues.links}
              </Text>
            )}
            <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} w="fit-content" disabled={block.links.length >= 10} onClick={() => set(block, { links: [...block.links, { network: 'web', url: 'https://' }] })}>
              Add profile
            </Button>
          </Stack>
          <AlignControl value={block.align} onChange={(align) => set(block, { align })} />
        </>
      );
    case 'footer':
      return (
        <>
          <Textarea label="Footer note" description="Why people get this email. Your postal address and, for marketing email, the unsubscribe and preferences links are always added below it." autosize minRows={3} value={block.text} onChange={(e) => set(block, { text: e.currentTarget.value })} error={issueAt(issues, 'text')} />
        </>
      );
    case 'divider':
      return <ColorInput label="Colour" placeholder="Theme default" value={block.color ?? ''} onChange={(v) => set(block, { color: v || undefined })} error={issueAt(issues, 'color')} />;
    case 'spacer':
      return <NumberInput label="Height (px)" min={4} max={200} value={block.height} onChange={(v) => set(block, { height: typeof v === 'number' ? v : 24 })} error={issueAt(issues, 'height')} />;
    case 'columns':
      return (
        <>
          <Labeled label="Columns">
            <SegmentedControl fullWidth value={String(block.columns.length)} onChange={(v) => onDocChange(setColumnCount(doc, block.id, Number(v)))} data={['2', '3']} />
          </Labeled>
          {issueAt(issues, 'columns') && (
            <Text size="xs" c="red">
              {issueAt(issues, 'columns')}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            Each column holds its own blocks: pick them in the outline to edit them, or use “Add to column”. On phones the columns stack.
          </Text>
        </>
      );
  }
}

function Labeled({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={500} mb={4}>
        {label}
      </Text>
      {children}
    </div>
  );
}

type Align = 'left' | 'center' | 'right';

function AlignControl({ value, onChange }: { value: Align; onChange(align: Align): void }) {
  return (
    <Labeled label="Alignment">
      <SegmentedControl
        aria-label="Alignment"
        value={value}
        onChange={(v) => onChange(v as Align)}
        data={[
          { value: 'left', label: <IconAlignLeft size={16} aria-label="Left" /> },
          { value: 'center', label: <IconAlignCenter size={16} aria-label="Center" /> },
          { value: 'right', label: <IconAlignRight size={16} aria-label="Right" /> },
        ]}
      />
    </Labeled>
  );
}

/** Settings of a section: its background band and padding. */
export function SectionInspector({ section, index, issues, readOnly, onChange }: { section: Section; index: number; issues: Issues; readOnly: boolean; onChange(patch: Partial<Omit<Section, 'id' | 'blocks'>>): void }) {
  return (
    <Stack gap="md" p="md">
      <div>
        <Text fw={600} size="sm">
          Section {index + 1}
        </Text>
        <Text size="xs" c="dimmed">
          A full-width band; its blocks sit on the content column.
        </Text>
      </div>
      <ColorInput
        label="Background"
        description="Empty uses the email’s background"
        placeholder="Email background"
        value={section.background ?? ''}
        onChange={(v) => onChange({ background: v || undefined })}
        error={issueAt(issues, 'background')}
        disabled={readOnly}
      />
      <NumberInput label="Padding (px)" min={0} max={80} value={section.padding} onChange={(v) => onChange({ padding: typeof v === 'number' ? v : 0 })} error={issueAt(issues, 'padding')} disabled={readOnly} />
    </Stack>
  );
}
