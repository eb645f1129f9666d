import type { ReactNode } from 'react';
import { Menu, Text } from '@mantine/core';
import type { BlockType } from '../api.ts';
import { ALL_BLOCK_TYPES, BLOCK_TYPE_INFO, LEAF_BLOCK_TYPES } from './blockTypes.tsx';

/** The block palette: every block type with what it is for. Inside columns only leaf blocks are offered. */
export function AddBlockMenu({ target, inColumn, onAdd }: { target: ReactNode; inColumn?: boolean; onAdd(type: BlockType): void }) {
  const types = inColumn ? LEAF_BLOCK_TYPES : ALL_BLOCK_TYPES;
  return (
    <Menu position="bottom-start" shadow="md" width={290} withinPortal>
      <Menu.Target>{target}</Menu.Target>
      <Menu.Dropdown mah={420} style={{ overflowY: 'auto' }}>
        <Menu.Label>{inColumn ? 'Add to this column' : 'Add a block'}</Menu.Label>
        {types.map((type) => {
          const { label, icon: Icon, hint } = BLOCK_TYPE_INFO[type];
          return (
            <Menu.Item key={type} leftSection={<Icon size={18} stroke={1.6} />} onClick={() => onAdd(type)} aria-label={label}>
              <Text size="sm" fw={500} lh={1.3}>
                {label}
              </Text>
              <Text size="xs" c="dimmed" lh={1.3}>
                {hint}
              </Text>
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
