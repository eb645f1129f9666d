import type { Element } from 'domhandler';
import { BLOCK_CLASS_PREFIX } from '../emails/blocks-mjml.ts';
import type { Block, EmailDocument } from '../emails/model.ts';
import { isElement } from './dom.ts';

/**
 * Maps a finding back to the document block it is about. A block email's compiled HTML marks each
 * block's wrapper with a `tidings-block-<id>` class: the nearest marked ancestor of the element a
 * finding is about names its block. Otherwise (a finding without an element, or outside any
 * block) the block is found by what it contains: the link or image URL, or the words of the text.
 */

const BLOCK_CLASS = new RegExp(`(?:^|\\s)${BLOCK_CLASS_PREFIX}([A-Za-z0-9_-]{1,40})(?:\\s|$)`);

export function markedBlockId(el: Element): string | undefined {
  for (let n: Element | null = el; n && isElement(n); n = n.parent && isElement(n.parent) ? n.parent : null) {
    const id = BLOCK_CLASS.exec(n.attribs.class ?? '')?.[1];
    if (id) return id;
  }
  return undefined;
}

const comparable = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** "**Big** news, see [the menu](https://x)" → "big news, see the menu https://x": what a block says and links to. */
const plain = (text: string) => text.replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, '$1 $2').replace(/[*_]/g, '');

function searchable(block: Block): Array<{ id: string; text: string }> {
  switch (block.type) {
    case 'heading':
    case 'text':
      return [{ id: block.id, text: plain(block.text) }];
    case 'quote':
      return [{ id: block.id, text: plain(`${block.text} ${block.author ?? ''}`) }];
    case 'list':
      return [{ id: block.id, text: plain(block.items.join(' ')) }];
    case 'button':
      return [{ id: block.id, text: `${block.text} ${block.url}` }];
    case 'image':
      return [{ id: block.id, text: `${block.src} ${block.alt} ${block.href ?? ''}` }];
    case 'social':
      return [{ id: block.id, text: block.links.map((l) => l.url).join(' ') }];
    case 'footer':
      return [{ id: block.id, text: plain(block.text) }];
    case 'columns':
      return block.columns.flatMap((c) => c.blocks.flatMap(searchable));
    default:
      return [];
  }
}

export class BlockLocator {
  private entries: Array<{ id: string; text: string }>;

  constructor(document: EmailDocument | null) {
    this.entries = (document?.sections ?? []).flatMap((s) => s.blocks.flatMap(searchable)).map((e) => ({ id: e.id, text: comparable(e.text) }));
  }

  /** The first block that contains the needle (a URL, or a few words of text). */
  find(needle: string | undefined): string | undefined {
    const n = comparable(needle ?? '').replace(/…$/, '');
    if (n.length < 3) return undefined;
    return this.entries.find((e) => e.text.includes(n))?.id;
  }
}
