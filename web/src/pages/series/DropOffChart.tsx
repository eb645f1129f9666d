import { useState } from 'react';
import { Box, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import type { SeriesStats } from './api.ts';
import { emailLabel, percent } from './labels.tsx';
import { axis, toggled } from '../../components/chart.ts';

const SERIES = [
  { key: 'sent', label: 'Sent', color: 'brand' },
  { key: 'opens', label: 'Opened', color: 'teal' },
  { key: 'clicks', label: 'Clicked', color: 'grape' },
] as const;
type Key = (typeof SERIES)[number]['key'];

interface Column {
  label: string;
  values: Partial<Record<Key, number>>;
  /** Share of those who reached this step that left before the next one, shown in the gap after it. */
  dropOff: number | null;
}

const PAD = { top: 34, right: 12, bottom: 28, left: 44 };

/**
 * How many contacts each step reached, from enrolment to the last email, with the drop-off between
 * steps and each step's opens and clicks. Hand-drawn SVG, like the campaign timeline chart.
 */
export function DropOffChart({ stats, height = 260 }: { stats: SeriesStats; height?: number }) {
  const { ref, width } = useElementSize();
  const [hidden, setHidden] = useState<Set<Key>>(new Set());
  const [hover, setHover] = useState<number | null>(null);
  const columns: Column[] = [
    { label: 'Enrolled', values: { sent: stats.enrolled }, dropOff: null },
    ...stats.steps.map((s) => ({ label: emailLabel(s.position), values: { sent: s.sent, opens: s.opens, clicks: s.clicks }, dropOff: s.dropOff })),
  ];
  const shown = SERIES.filter((s) => !hidden.has(s.key));
  const { max, ticks } = axis(Math.max(0, ...columns.flatMap((c) => shown.map((s) => c.values[s.key] ?? 0))));
  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, columns.length);
  const x = (i: number) => PAD.left + (i + 0.5) * band;
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const barW = Math.max(6, Math.min(30, (band * 0.7) / shown.length));

  return (
    <Stack gap="xs">
      <Group gap="md" role="group" aria-label="Series">
        {SERIES.map((s) => (
          <UnstyledButton key={s.key} onClick={() => setHidden((h) => toggled(h, s.key))} aria-pressed={!hidden.has(s.key)} style={{ opacity: hidden.has(s.key) ? 0.4 : 1 }}>
            <Group gap={6} wrap="nowrap">
              <span style={{ width: 10, height: 10, borderRadius: 3, background: `var(--mantine-color-${s.color}-6)` }} />
              <Text size="xs" fw={500}>
                {s.label}
              </Text>
            </Group>
          </UnstyledButton>
        ))}
        <Group gap={6} wrap="nowrap">
          <span style={{ width: 14, height: 10, borderRadius: 5, border: '1px solid var(--mantine-color-red-4)', background: 'var(--mantine-color-red-0)' }} />
          <Text size="xs" c="dimmed">
            Left before the next email
          </Text>
        </Group>
      </Group>
      <Box ref={ref} pos="relative" h={height} data-testid="dropoff-chart">
        {width > 0 && (
          <svg width={width} height={height} role="img" aria-label="Contacts reached per step, with the share that left between steps">
            {ticks.map((t) => (
              <g key={t}>
                <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--mantine-color-gray-2)" />
                <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
                  {t.toLocaleString()}
                </text>
              </g>
            ))}
            {hover !== null && <rect x={PAD.left + hover * band} y={PAD.top} width={band} height={plotH} fill="var(--mantine-color-gray-0)" />}
            {columns.map((c, i) => (
              <g key={c.label}>
                {shown.map((s, j) => {
                  const v = c.values[s.key];
                  if (v === undefined) return null;
                  const present = shown.filter((one) => c.values[one.key] !== undefined).length;
                  const index = shown.filter((one) => c.values[one.key] !== undefined).indexOf(s);
                  const left = x(i) - (barW * present) / 2 + index * barW;
                  const top = y(v);
                  return (
                    <rect
                      key={`${c.label}-${s.key}-${j}`}
                      x={left}
                      y={top}
                      width={barW - 2}
                      height={Math.max(0, y(0) - top)}
                      rx={3}
                      fill={`var(--mantine-color-${i === 0 ? 'gray' : s.color}-${i === 0 ? 5 : 6})`}
                    />
                  );
                })}
                <text x={x(i)} y={height - 8} textAnchor="middle" fontSize={11} fill="var(--mantine-color-dimmed)">
                  {c.label}
                </text>
                {c.dropOff !== null && c.dropOff > 0 && i < columns.length - 1 && <DropOffPill x={PAD.left + (i + 1) * band} y={14} value={c.dropOff} />}
              </g>
            ))}
            <rect
              x={PAD.left}
              y={PAD.top}
              width={plotW}
              height={plotH}
              fill="transparent"
              onMouseMove={(e) => {
                const box = e.currentTarget.getBoundingClientRect();
                setHover(Math.min(columns.length - 1, Math.max(0, Math.floor(((e.clientX - box.left) / Math.max(1, box.width)) * columns.length))));
              }}
              onMouseLeave={() => setHover(null)}
            />
          </svg>
        )}
        {hover !== null && columns[hover] && <ReadOut column={columns[hover]} left={x(hover)} width={width} />}
      </Box>
    </Stack>
  );
}

/** "−25 %" in a small red pill, centred on the gap between two columns. */
function DropOffPill({ x, y, value }: { x: number; y: number; value: number }) {
  const text = `−${percent(value)}`;
  const w = text.length * 6.4 + 12;
  return (
    <g>
      <rect x={x - w / 2} y={y - 11} width={w} height={18} rx={9} fill="var(--mantine-color-red-0)" stroke="var(--mantine-color-red-4)" />
      <text x={x} y={y + 2} textAnchor="middle" fontSize={11} fontWeight={600} fill="var(--mantine-color-red-8)">
        {text}
      </text>
    </g>
  );
}

function ReadOut({ column, left, width }: { column: Column; left: number; width: number }) {
  const flip = left > width - 180;
  return (
    <Paper
      shadow="md"
      withBorder
      p="xs"
      radius="md"
      pos="absolute"
      top={PAD.top}
      style={{ left: flip ? undefined : left + 12, right: flip ? width - left + 12 : undefined, pointerEvents: 'none', minWidth: 150 }}
    >
      <Text size="xs" fw={600} mb={4}>
        {column.label}
      </Text>
      {SERIES.filter((s) => column.values[s.key] !== undefined).map((s) => (
        <Group key={s.key} justify="space-between" gap="md" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {column.label === 'Enrolled' ? 'Contacts' : s.label}
          </Text>
          <Text size="xs" fw={600}>
            {(column.values[s.key] ?? 0).toLocaleString()}
          </Text>
        </Group>
      ))}
      {column.dropOff !== null && (
        <Group justify="space-between" gap="md" wrap="nowrap">
          <Text size="xs" c="dimmed">
            Left before the next
          </Text>
          <Text size="xs" fw={600} c="red.8">
            {percent(column.dropOff)}
          </Text>
        </Group>
      )}
    </Paper>
  );
}

