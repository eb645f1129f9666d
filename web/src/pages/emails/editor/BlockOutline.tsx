import { useEffect, useRef, type MouseEvent, type ReactNode } from 'react';
import { ActionIcon, Box, Button, ColorSwatch, Menu, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconAlertCircle, IconArrowDown, IconArrowUp, IconCopy, IconDots, IconPlus, IconTrash } from '@tabler/icons-react';
import type { Block, BlockType, EmailDocument } from '../api.ts';
import { AddBlockMenu } from './AddBlockMenu.tsx';
import { BLOCK_TYPE_INFO, blockSummary } from './blockTypes.tsx';
import * as ops from './document.ts';
import classes from './EmailEditor.module.css';

export type Selection = { kind: 'block'; id: string } | { kind: 'section'; id: string } | null;

interface Props {
  doc: EmailDocument;
  selection: Selection;
  /** A block just located from a preflight finding: scrolled to and flashed. */
  located: { id: string; at: number } | null;
  /** Ids of blocks and sections the server found problems in. */
  problems: Set<string>;
  readOnly: boolean;
  onSelect(selection: Selection): void;
  /** A structural change; `select` is what to select afterwards (the new or moved item). */
  onChange(doc: EmailDocument, select?: Selection): void;
}

/** The email's structure: sections, their blocks, and the blocks inside columns — with the tools to rearrange them. */
export function BlockOutline({ doc, selection, located, problems, readOnly, onSelect, onChange }: Props) {
  const block = (id: string): Selection => ({ kind: 'block', id });
  const add = (type: BlockType, target: ops.AddTarget) => {
    const r = ops.addBlock(doc, type, target);
    onChange(r.doc, block(r.id));
  };

  return (
    <Stack gap={2} p="xs" component="section" aria-label="Email outline">
      {doc.sections.map((section, si) => (
        <div key={section.id}>
          <div
            className={classes.sectionRow}
            data-selected={selection?.kind === 'section' && selection.id === section.id ? true : undefined}
            onClick={() => onSelect({ kind: 'section', id: section.id })}
          >
            <UnstyledButton className={classes.rowMain} aria-pressed={selection?.kind === 'section' && selection.id === section.id} onClick={(e) => (stop(e), onSelect({ kind: 'section', id: section.id }))}>
              {section.background && <ColorSwatch color={section.background} size={12} />}
              <span>Section {si + 1}</span>
              {problems.has(section.id) && <IconAlertCircle size={14} color="var(--mantine-color-red-6)" aria-label="Has problems" />}
            </UnstyledButton>
            {!readOnly && (
              <div className={classes.rowActions} onClick={stop}>
                <Menu position="bottom-end" shadow="md" withinPortal>
                  <Menu.Target>
                    <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Section ${si + 1} actions`}>
                      <IconDots size={14} />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item leftSection={<IconArrowUp size={14} />} disabled={si === 0} onClick={() => onChange(ops.moveSection(doc, section.id, -1))}>
                      Move section up
                    </Menu.Item>
                    <Menu.Item leftSection={<IconArrowDown size={14} />} disabled={si === doc.sections.length - 1} onClick={() => onChange(ops.moveSection(doc, section.id, 1))}>
                      Move section down
                    </Menu.Item>
                    <Menu.Item
                      leftSection={<IconCopy size={14} />}
                      onClick={() => {
                        const r = ops.duplicateSection(doc, section.id);
                        onChange(r.doc, r.id ? { kind: 'section', id: r.id } : undefined);
                      }}
                    >
                      Duplicate section
                    </Menu.Item>
                    <Menu.Item leftSection={<IconPlus size={14} />} onClick={() => addSectionAfter(section.id)}>
                      Add section below
                    </Menu.Item>
                    <Menu.Divider />
                    <Menu.Item color="red" leftSection={<IconTrash size={14} />} disabled={doc.sections.length === 1} onClick={() => onChange(ops.removeSection(doc, section.id), null)}>
                      Delete section
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </div>
            )}
          </div>
          <Stack gap={2}>
            {section.blocks.length === 0 && (
              <Text size="xs" c="dimmed" px="sm" py={6}>
                Empty section — add a block.
              </Text>
            )}
            {section.blocks.map((b) => (
              <div key={b.id}>
                <BlockRow b={b} doc={doc} selected={selection?.kind === 'block' && selection.id === b.id} located={located} problem={problems.has(b.id)} readOnly={readOnly} onSelect={onSelect} onChange={onChange} />
                {b.type === 'columns' && (
                  <div className={classes.nested}>
                    {b.columns.map((col, ci) => (
                      <Stack key={ci} gap={2} mt={4}>
                        <Text size="xs" c="dimmed" fw={500} px={6}>
                          Column {ci + 1}
                        </Text>
                        {col.blocks.map((leaf) => (
                          <BlockRow key={leaf.id} b={leaf} doc={doc} selected={selection?.kind === 'block' && selection.id === leaf.id} located={located} problem={problems.has(leaf.id)} readOnly={readOnly} onSelect={onSelect} onChange={onChange} />
                        ))}
                        {!readOnly && (
                          <AddBlockMenu
                            inColumn
                            onAdd={(type) => add(type, { columnsId: b.id, column: ci })}
                            target={
                              <Button variant="subtle" size="compact-xs" color="gray" leftSection={<IconPlus size={12} />} justify="flex-start" aria-label={`Add block to column ${ci + 1}`}>
                                Add to column
                              </Button>
                            }
                          />
                        )}
                      </Stack>
                    ))}
                  </div>
                )}
              </div>
            ))}
            {!readOnly && (
              <AddBlockMenu
                onAdd={(type) => add(type, { sectionId: section.id })}
                target={
                  <Button variant="subtle" size="compact-xs" fw={500} leftSection={<IconPlus size={12} />} justify="flex-start" mt={2} ml={4} w="fit-content" aria-label={`Add block to section ${si + 1}`}>
                    Add block
                  </Button>
                }
              />
            )}
          </Stack>
        </div>
      ))}
      {!readOnly && (
        <Button variant="default" size="xs" leftSection={<IconPlus size={14} />} mt="md" onClick={() => addSectionAfter()}>
          Add section
        </Button>
      )}
    </Stack>
  );

  function addSectionAfter(sectionId?: string) {
    const r = ops.addSection(doc, sectionId);
    onChange(r.doc, { kind: 'section', id: r.id });
  }
}

const stop = (e: MouseEvent) => e.stopPropagation();

function BlockRow({ b, doc, selected, located, problem, readOnly, onSelect, onChange }: { b: Block; doc: EmailDocument; selected: boolean; located: Props['located']; problem: boolean } & Pick<Props, 'readOnly' | 'onSelect' | 'onChange'>) {
  const { label, icon: Icon } = BLOCK_TYPE_INFO[b.type];
  const ref = useRef<HTMLDivElement>(null);
  const isLocated = located?.id === b.id;

  useEffect(() => {
    if (selected || isLocated) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected, located]);

  return (
    <div
      ref={ref}
      // The key restarts the flash animation each time the same block is located again.
      key={isLocated ? located?.at : undefined}
      className={classes.blockRow}
      data-selected={selected || undefined}
      data-flash={isLocated || undefined}
      data-testid={`outline-${b.id}`}
      onClick={() => onSelect({ kind: 'block', id: b.id })}
    >
      <UnstyledButton className={classes.rowMain} aria-pressed={selected} onClick={(e) => (stop(e), onSelect({ kind: 'block', id: b.id }))}>
        <Icon size={16} stroke={1.6} />
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={500} lh={1.25} truncate>
            {label}
          </Text>
          <Text size="xs" c="dimmed" lh={1.3} truncate>
            {blockSummary(b)}
          </Text>
        </Box>
      </UnstyledButton>
      {problem && <IconAlertCircle size={16} color="var(--mantine-color-red-6)" aria-label="Has problems" style={{ flexShrink: 0 }} />}
      {!readOnly && (
        <div className={classes.rowActions} onClick={stop}>
          <RowAction label="Move up" disabled={!ops.canMove(doc, b.id, -1)} onClick={() => onChange(ops.moveBlock(doc, b.id, -1))}>
            <IconArrowUp size={14} />
          </RowAction>
          <RowAction label="Move down" disabled={!ops.canMove(doc, b.id, 1)} onClick={() => onChange(ops.moveBlock(doc, b.id, 1))}>
            <IconArrowDown size={14} />
          </RowAction>
          <RowAction
            label="Duplicate"
            onClick={() => {
              const r = ops.duplicateBlock(doc, b.id);
              onChange(r.doc, r.id ? { kind: 'block', id: r.id } : undefined);
            }}
          >
            <IconCopy size={14} />
          </RowAction>
          <RowAction label="Delete" color="red" onClick={() => onChange(ops.removeBlock(doc, b.id), selected ? null : undefined)}>
            <IconTrash size={14} />
          </RowAction>
        </div>
      )}
    </div>
  );
}

function RowAction({ label, children, disabled, color = 'gray', onClick }: { label: string; children: ReactNode; disabled?: boolean; color?: string; onClick(): void }) {
  return (
    <Tooltip label={label} openDelay={500}>
      <ActionIcon size="sm" variant="subtle" color={color} aria-label={label} disabled={disabled} onClick={onClick}>
        {children}
      </ActionIcon>
    </Tooltip>
  );
}
