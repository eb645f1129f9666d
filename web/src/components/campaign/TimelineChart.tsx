import { useMemo, useState } from 'react';
import { Box, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { axis, toggled } from '../chart.ts';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
}

type Point = { at: string };

interface Props {
  /** One row per bucket, oldest first: `at` (ISO) and a number per series key. */
  points: readonly Point[];
  series: ChartSeries[];
  bucket: 'hour' | 'day';
  height?: number;
}

/** A series' value in a bucket; buckets the server left out (or fields it lacks) are zero. */
const valueOf = (p: Point, key: string) => Number((p as Record<string, unknown>)[key] ?? 0) || 0;

const PAD = { top: 12, right: 16, bottom: 28, left: 44 };
const BUCKET_MS = { hour: 3600_000, day: 86_400_000 } as const;
/** Up to this many buckets the chart draws bars: a line through two or three points says little. */
const MAX_BARS = 12;

/**
 * Engagement over time, one colour per series, with a hover read-out: grouped bars for a short
 * span, lines for a long one. Hand-drawn SVG: the few shapes needed here do not justify a charting
 * library (the Mantine one lags the core version this app uses).
 */
export function TimelineChart({ points, series, bucket, height = 240 }: Props) {
  const { ref, width } = useElementSize();
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [hover, setHover] = useState<number | null>(null);
  const rows = useMemo(() => continuous(points, bucket), [points, bucket]);
  const bars = rows.length <= MAX_BARS;
  const shown = series.filter((s) => !hidden.has(s.key));
  const { max, ticks } = axis(Math.max(...rows.flatMap((r) => shown.map((s) => valueOf(r, s.key))), 0));

  const plotW = Math.max(0, width - PAD.left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const band = plotW / Math.max(1, rows.length);
  // Bars sit in the middle of their bucket's band; line points spread from edge to edge.
  const x = (i: number) => PAD.left + (bars ? (i + 0.5) * band : rows.length <= 1 ? plotW / 2 : (i / (rows.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(rows.length / Math.max(1, Math.floor(plotW / 90))));
  const fmt = bucket === 'hour' ? hourLabel : dayLabel;
  const anchor = (i: number) => (bars || rows.length <= 1 ? 'middle' : i === 0 ? 'start' : i === rows.length - 1 ? 'end' : 'middle');

  function onMove(e: React.MouseEvent<SVGRectElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const rel = (e.clientX - box.left) / Math.max(1, box.width);
    const i = bars ? Math.floor(rel * rows.length) : Math.round(rel * (rows.length - 1));
    setHover(Math.min(rows.length - 1, Math.max(0, i)));
  }

  return (
    <Stack gap="xs">
      <Group gap="md" role="group" aria-label="Series">
        {series.map((s) => (
          <UnstyledButton key={s.key} onClick={() => setHidden((h) => toggled(h, s.key))} aria-pressed={!hidden.has(s.key)} style={{ opacity: hidden.has(s.key) ? 0.4 : 1 }}>
            <Group gap={6} wrap="nowrap">
              <span style={{ width: 10, height: 10, borderRadius: 3, background: `var(--mantine-color-${s.color}-6)` }} />
              <Text size="xs" fw={500}>
                {s.label}
              </Text>
            </Group>
          </UnstyledButton>
        ))}
      </Group>
      <Box ref={ref} pos="relative" h={height} data-testid="timeline-chart">
        {width > 0 && (
          <svg width={width} height={height} role="img" aria-label={`${shown.map((s) => s.label).join(', ')} per ${bucket}`}>
            {ticks.map((t) => (
              <g key={t}>
                <line x1={PAD.left} x2={width - PAD.right} y1={y(t)} y2={y(t)} stroke="var(--mantine-color-gray-2)" />
                <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
                  {t.toLocaleString()}
                </text>
              </g>
            ))}
            {rows.map((r, i) =>
              i % labelEvery === 0 ? (
                <text key={r.at} x={x(i)} y={height - 8} textAnchor={anchor(i)} fontSize={11} fill="var(--mantine-color-dimmed)">
                  {fmt(r.at)}
                </text>
              ) : null,
            )}
            {hover !== null && bars && <rect x={PAD.left + hover * band} y={PAD.top} width={band} height={plotH} fill="var(--mantine-color-gray-1)" />}
            {bars ? <Bars rows={rows} shown={shown} band={band} x={x} y={y} /> : <Lines rows={rows} shown={shown} x={x} y={y} />}
            {hover !== null && !bars && <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={PAD.top + plotH} stroke="var(--mantine-color-gray-5)" strokeDasharray="3 3" />}
            <rect x={PAD.left} y={PAD.top} width={plotW} height={plotH} fill="transparent" onMouseMove={onMove} onMouseLeave={() => setHover(null)} />
          </svg>
        )}
        {hover !== null && rows[hover] && <ReadOut row={rows[hover]} shown={shown} bucket={bucket} left={x(hover)} width={width} />}
      </Box>
    </Stack>
  );
}

interface Shapes {
  rows: readonly Point[];
  shown: ChartSeries[];
  x(i: number): number;
  y(v: number): number;
}

function Bars({ rows, shown, band, x, y }: Shapes & { band: number }) {
  const barW = Math.max(2, Math.min(28, (band * 0.7) / Math.max(1, shown.length)));
  const base = y(0);
  return (
    <>
      {rows.map((r, i) =>
        shown.map((s, j) => {
          const top = y(valueOf(r, s.key));
          return <rect key={`${r.at}-${s.key}`} x={x(i) - (barW * shown.length) / 2 + j * barW} y={top} width={barW - 1} height={Math.max(0, base - top)} rx={2} fill={`var(--mantine-color-${s.color}-6)`} />;
        }),
      )}
    </>
  );
}

function Lines({ rows, shown, x, y }: Shapes) {
  return (
    <>
      {shown.map((s) => {
        const d = rows.map((r, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(valueOf(r, s.key)).toFixed(1)}`).join(' ');
        const area = `${d} L${x(rows.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z`;
        return (
          <g key={s.key}>
            <path d={area} fill={`var(--mantine-color-${s.color}-6)`} opacity={0.08} />
            <path d={d} fill="none" stroke={`var(--mantine-color-${s.color}-6)`} strokeWidth={2} strokeLinejoin="round" />
            {rows.length <= 48 && rows.map((r, i) => <circle key={r.at} cx={x(i)} cy={y(valueOf(r, s.key))} r={2.5} fill={`var(--mantine-color-${s.color}-6)`} />)}
          </g>
        );
      })}
    </>
  );
}

function ReadOut({ row, shown, bucket, left, width }: { row: Point; shown: ChartSeries[]; bucket: 'hour' | 'day'; left: number; width: number }) {
  const when = bucket === 'hour' ? new Date(row.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : new Date(row.at).toLocaleDateString(undefined, { dateStyle: 'medium' });
  return (
    <Paper withBorder shadow="sm" p="xs" pos="absolute" top={PAD.top} style={{ pointerEvents: 'none', ...(left > width / 2 ? { right: width - left + 12 } : { left: left + 12 }) }}>
      <Text size="xs" fw={600} mb={4}>
        {when}
      </Text>
      {shown.map((s) => (
        <Group key={s.key} gap="md" justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed">
            {s.label}
          </Text>
          <Text size="xs" fw={600}>
            {valueOf(row, s.key).toLocaleString()}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

/**
 * Buckets with no events are usually left out by the server: put them back (as zeros) so the time
 * axis is even. A span too short for bars to be worth it... is drawn as bars; a longer one as lines
 * that start one empty bucket early, so the first bucket's rise shows.
 */
function continuous(points: readonly Point[], bucket: 'hour' | 'day'): readonly Point[] {
  if (points.length === 0) return [];
  const step = BUCKET_MS[bucket];
  const byTime = new Map(points.map((p) => [new Date(p.at).getTime(), p]));
  const first = Math.min(...byTime.keys());
  const last = Math.max(...byTime.keys());
  const buckets = Math.round((last - first) / step) + 1;
  // Never draw more than a few hundred buckets: beyond that the server's buckets are shown as they are.
  if (buckets > 500) return points;
  const start = buckets <= MAX_BARS ? first : first - step;
  const out: Point[] = [];
  for (let t = start; t <= last; t += step) out.push(byTime.get(t) ?? { at: new Date(t).toISOString() });
  return out;
}

const hourLabel = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
const dayLabel = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
