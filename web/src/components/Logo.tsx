import { Group, Text } from '@mantine/core';

/** The Tidings mark: an envelope in a rounded square, drawn in the current accent colour. */
export function LogoMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--mantine-primary-color-filled)" />
      <rect x="7" y="9" width="18" height="14" rx="2.5" fill="none" stroke="var(--mantine-primary-color-contrast)" strokeWidth="2.4" />
      <path d="M8 12.5 16 18l8-5.5" fill="none" stroke="var(--mantine-primary-color-contrast)" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function Logo({ size = 28 }: { size?: number }) {
  return (
    <Group gap={10} wrap="nowrap">
      <LogoMark size={size} />
      <Text fw={700} fz={size * 0.64} lts={-0.3}>
        Tidings
      </Text>
    </Group>
  );
}
