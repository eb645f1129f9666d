import type { ComponentType } from 'react';
import {
  IconAlignLeft,
  IconClick,
  IconColumns,
  IconHeading,
  IconLayoutBottombar,
  IconLineDashed,
  IconList,
  IconPhoto,
  IconQuote,
  IconShare,
  IconSpacingVertical,
} from '@tabler/icons-react';
import type { Block, BlockType } from '../api.ts';

interface BlockTypeInfo {
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  /** One line for the add-block menu. */
  hint: string;
}

/** Every block type in the order the add menu offers them. */
export const BLOCK_TYPE_INFO: Record<BlockType, BlockTypeInfo> = {
  heading: { label: 'Heading', icon: IconHeading, hint: 'A title or section heading' },
  text: { label: 'Text', icon: IconAlignLeft, hint: 'Paragraphs with bold, italic and links' },
  button: { label: 'Button', icon: IconClick, hint: 'A call to action' },
  image: { label: 'Image', icon: IconPhoto, hint: 'A picture, optionally linked' },
  list: { label: 'List', icon: IconList, hint: 'Bulleted or numbered points' },
  quote: { label: 'Quote', icon: IconQuote, hint: 'A testimonial or pull quote' },
  columns: { label: 'Columns', icon: IconColumns, hint: 'Two or three blocks side by side' },
  social: { label: 'Social links', icon: IconShare, hint: 'Icons linking to your profiles' },
  divider: { label: 'Divider', icon: IconLineDashed, hint: 'A thin horizontal rule' },
  spacer: { label: 'Spacer', icon: IconSpacingVertical, hint: 'Vertical breathing room' },
  footer: { label: 'Footer', icon: IconLayoutBottombar, hint: 'Why they get this email; address and unsubscribe are added' },
};

export const ALL_BLOCK_TYPES = Object.keys(BLOCK_TYPE_INFO) as BlockType[];
/** Blocks that can sit inside a column (no columns in columns, and the footer ends the email). */
export const LEAF_BLOCK_TYPES = ALL_BLOCK_TYPES.filter((t) => t !== 'columns' && t !== 'footer');

const clip = (s: string, n = 48) => {
  const flat = s.replace(/\*\*|\*|\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/** What the outline shows for a block: its words, so "Heading · Spring is here" is findable at a glance. */
export function blockSummary(block: Block): string {
  switch (block.type) {
    case 'heading':
    case 'text':
    case 'quote':
    case 'footer':
      return clip(block.text) || 'Empty';
    case 'button':
      return clip(block.text);
    case 'image':
      return block.alt ? clip(block.alt) : 'No alt text';
    case 'list':
      return `${block.items.length} ${block.items.length === 1 ? 'item' : 'items'}${block.ordered ? ', numbered' : ''}`;
    case 'social':
      return block.links.map((l) => l.network).join(', ');
    case 'columns':
      return `${block.columns.length} columns`;
    case 'spacer':
      return `${block.height}px`;
    case 'divider':
      return 'Horizontal rule';
  }
}
