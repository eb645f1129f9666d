/**
 * Pure edits of an email document (sections → blocks, columns → leaf blocks). Every function returns
 * a new document and leaves its input untouched, so the editor can compare drafts with the saved
 * email. Blocks are addressed by id: the outline, the inspector, preflight findings and composer
 * edits all name blocks that way.
 */
import type { Block, BlockType, EmailDocument, LeafBlock, Section } from '../api.ts';

/** Ids the server accepts (1–40 of [A-Za-z0-9_-]), unique enough within one document. */
export function newId(prefix: 'b' | 's'): string {
  return `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Sensible starting content for a new block, valid as it stands, so a save never fails on it. */
export function newBlock(type: BlockType): Block {
  const id = newId('b');
  switch (type) {
    case 'heading':
      return { id, type, text: 'A clear, friendly headline', level: 2, align: 'left' };
    case 'text':
      return { id, type, text: 'Say one thing well. Use **bold** for the key point and [a link](https://example.com) where it helps.', align: 'left' };
    case 'button':
      return { id, type, text: 'Learn more', url: 'https://example.com', align: 'center' };
    case 'image':
      return { id, type, src: 'https://placehold.co/1200x600/png', alt: 'Describe what the image shows', width: 600, align: 'center' };
    case 'list':
      return { id, type, items: ['First point', 'Second point', 'Third point'], ordered: false };
    case 'quote':
      return { id, type, text: 'It is the best part of my morning.', author: 'A happy customer' };
    case 'social':
      return { id, type, links: [{ network: 'instagram', url: 'https://instagram.com/' }], align: 'center' };
    case 'divider':
      return { id, type };
    case 'spacer':
      return { id, type, height: 24 };
    case 'footer':
      return { id, type, text: 'You are receiving this email because you signed up on our website.' };
    case 'columns':
      return { id, type, columns: [{ blocks: [newBlock('text') as LeafBlock] }, { blocks: [newBlock('text') as LeafBlock] }] };
  }
}

export function newSection(): Section {
  return { id: newId('s'), padding: 24, blocks: [] };
}

/** Where a block lives: its list (a section's blocks or a column's blocks) and position in it. */
export interface BlockPlace {
  block: Block;
  list: Block[];
  index: number;
  sectionIndex: number;
  /** Set when the block sits inside a columns block. */
  parent?: { columnsId: string; column: number };
}

export function findBlock(doc: EmailDocument, blockId: string): BlockPlace | null {
  for (const [sectionIndex, section] of doc.sections.entries()) {
    for (const [index, block] of section.blocks.entries()) {
      if (block.id === blockId) return { block, list: section.blocks, index, sectionIndex };
      if (block.type !== 'columns') continue;
      for (const [column, col] of block.columns.entries()) {
        const i = col.blocks.findIndex((b) => b.id === blockId);
        if (i >= 0) return { block: col.blocks[i], list: col.blocks, index: i, sectionIndex, parent: { columnsId: block.id, column } };
      }
    }
  }
  return null;
}

/** Copy, change the copy, return it: the one place edits mutate. */
function edit(doc: EmailDocument, change: (draft: EmailDocument) => void): EmailDocument {
  const draft = structuredClone(doc);
  change(draft);
  return draft;
}

export function replaceBlock(doc: EmailDocument, block: Block): EmailDocument {
  return edit(doc, (d) => {
    const place = findBlock(d, block.id);
    if (place) place.list[place.index] = block;
  });
}

export function removeBlock(doc: EmailDocument, blockId: string): EmailDocument {
  return edit(doc, (d) => {
    const place = findBlock(d, blockId);
    if (place) place.list.splice(place.index, 1);
  });
}

/** A copy right below the original, with fresh ids (nested blocks too). Returns the copy's id. */
export function duplicateBlock(doc: EmailDocument, blockId: string): { doc: EmailDocument; id: string | null } {
  let copyId: string | null = null;
  const next = edit(doc, (d) => {
    const place = findBlock(d, blockId);
    if (!place) return;
    const copy = withFreshIds(structuredClone(place.block));
    copyId = copy.id;
    place.list.splice(place.index + 1, 0, copy);
  });
  return { doc: next, id: copyId };
}

function withFreshIds(block: Block): Block {
  block.id = newId('b');
  if (block.type === 'columns') for (const col of block.columns) col.blocks = col.blocks.map((b) => withFreshIds(b) as LeafBlock);
  return block;
}

/**
 * Moves a block one step up or down. A top-level block at the edge of its section moves on into
 * the neighbouring section, so content can travel anywhere with the two arrows.
 */
export function moveBlock(doc: EmailDocument, blockId: string, delta: -1 | 1): EmailDocument {
  return edit(doc, (d) => {
    const place = findBlock(d, blockId);
    if (!place) return;
    const target = place.index + delta;
    if (target >= 0 && target < place.list.length) {
      place.list.splice(place.index, 1);
      place.list.splice(target, 0, place.block);
      return;
    }
    const neighbour = d.sections[place.sectionIndex + delta];
    if (place.parent || !neighbour) return;
    place.list.splice(place.index, 1);
    if (delta < 0) neighbour.blocks.push(place.block);
    else neighbour.blocks.unshift(place.block);
  });
}

/** Can the block move that way at all (for disabling the arrows)? */
export function canMove(doc: EmailDocument, blockId: string, delta: -1 | 1): boolean {
  const place = findBlock(doc, blockId);
  if (!place) return false;
  const target = place.index + delta;
  if (target >= 0 && target < place.list.length) return true;
  return !place.parent && doc.sections[place.sectionIndex + delta] !== undefined;
}

export type AddTarget = { sectionId: string; afterBlockId?: string } | { columnsId: string; column: number };

export function addBlock(doc: EmailDocument, type: BlockType, target: AddTarget): { doc: EmailDocument; id: string } {
  const block = newBlock(type);
  const next = edit(doc, (d) => {
    if ('columnsId' in target) {
      const place = findBlock(d, target.columnsId);
      if (place?.block.type === 'columns') place.block.columns[target.column]?.blocks.push(block as LeafBlock);
      return;
    }
    const section = d.sections.find((s) => s.id === target.sectionId);
    if (!section) return;
    const after = target.afterBlockId ? section.blocks.findIndex((b) => b.id === target.afterBlockId) : -1;
    section.blocks.splice(after >= 0 ? after + 1 : section.blocks.length, 0, block);
  });
  return { doc: next, id: block.id };
}

/** Changes a columns block to `count` columns, keeping the content of the columns that remain. */
export function setColumnCount(doc: EmailDocument, columnsId: string, count: number): EmailDocument {
  return edit(doc, (d) => {
    const place = findBlock(d, columnsId);
    if (place?.block.type !== 'columns') return;
    const cols = place.block.columns;
    while (cols.length < count) cols.push({ blocks: [newBlock('text') as LeafBlock] });
    if (cols.length > count) {
      // Blocks of dropped columns move into the last remaining one instead of disappearing.
      const dropped = cols.splice(count).flatMap((c) => c.blocks);
      cols[count - 1].blocks.push(...dropped);
    }
  });
}

export function addSection(doc: EmailDocument, afterSectionId?: string): { doc: EmailDocument; id: string } {
  const section = newSection();
  const next = edit(doc, (d) => {
    const after = afterSectionId ? d.sections.findIndex((s) => s.id === afterSectionId) : -1;
    d.sections.splice(after >= 0 ? after + 1 : d.sections.length, 0, section);
  });
  return { doc: next, id: section.id };
}

export function updateSection(doc: EmailDocument, sectionId: string, patch: Partial<Omit<Section, 'id' | 'blocks'>>): EmailDocument {
  return edit(doc, (d) => {
    const section = d.sections.find((s) => s.id === sectionId);
    if (section) Object.assign(section, patch);
    // An unset background is absent, not undefined-valued, so the draft compares equal to the saved email.
    if (section && section.background === undefined) delete section.background;
  });
}

export function removeSection(doc: EmailDocument, sectionId: string): EmailDocument {
  return edit(doc, (d) => {
    d.sections = d.sections.filter((s) => s.id !== sectionId);
  });
}

export function moveSection(doc: EmailDocument, sectionId: string, delta: -1 | 1): EmailDocument {
  return edit(doc, (d) => {
    const i = d.sections.findIndex((s) => s.id === sectionId);
    const target = i + delta;
    if (i < 0 || target < 0 || target >= d.sections.length) return;
    const [section] = d.sections.splice(i, 1);
    d.sections.splice(target, 0, section);
  });
}

export function duplicateSection(doc: EmailDocument, sectionId: string): { doc: EmailDocument; id: string | null } {
  let copyId: string | null = null;
  const next = edit(doc, (d) => {
    const i = d.sections.findIndex((s) => s.id === sectionId);
    if (i < 0) return;
    const copy = structuredClone(d.sections[i]);
    copy.id = newId('s');
    copy.blocks = copy.blocks.map(withFreshIds);
    copyId = copy.id;
    d.sections.splice(i + 1, 0, copy);
  });
  return { doc: next, id: copyId };
}

/**
 * Turns the server's issue paths ("document.sections.1.blocks.0.columns.1.blocks.2.url") into the
 * id of the block or section they name and the field inside it ("url"), against the document that
 * was sent. Paths that name no block (the theme, a whole section list) come back with no id.
 */
export function locateIssue(doc: EmailDocument, path: string): { blockId?: string; sectionId?: string; field: string } | null {
  const m = /^document\.sections\.(\d+)(?:\.(.*))?$/.exec(path);
  if (!m) return null;
  const section = doc.sections[Number(m[1])];
  if (!section) return null;
  const rest = m[2] ?? '';
  const b = /^blocks\.(\d+)(?:\.(.*))?$/.exec(rest);
  if (!b) return { sectionId: section.id, field: rest };
  const block = section.blocks[Number(b[1])];
  if (!block) return { sectionId: section.id, field: rest };
  const inner = b[2] ?? '';
  const c = /^columns\.(\d+)\.blocks\.(\d+)(?:\.(.*))?$/.exec(inner);
  if (block.type === 'columns' && c) {
    const leaf = block.columns[Number(c[1])]?.blocks[Number(c[2])];
    if (leaf) return { blockId: leaf.id, field: c[3] ?? '' };
  }
  return { blockId: block.id, field: inner };
}
