import { Badge, Group, RingProgress, Stack, Text, Tooltip } from '@mantine/core';

export interface ScoreCounts {
  score: number;
  critical: number;
  important: number;
  suggested: number;
}

/** Green when ready, amber when worth a look, red when something must be fixed first. */
export function scoreColor({ score, critical }: Pick<ScoreCounts, 'score' | 'critical'>): string {
  if (critical > 0 || score < 60) return 'red';
  if (score < 85) return 'yellow';
  return 'teal';
}

const plural = (n: number, word: string) => `${n} ${word}`;

/** A compact score with the finding counts in its tooltip, for lists and toolbars. */
export function PreflightBadge({ summary, checkedLabel }: { summary: ScoreCounts | null; checkedLabel?: string }) {
  if (!summary) {
    return (
      <Badge variant="outline" color="gray" radius="sm" tt="none" fw={500}>
        Not checked
      </Badge>
    );
  }
  const label = [plural(summary.critical, 'critical'), plural(summary.important, 'important'), plural(summary.suggested, 'suggested')].join(' · ');
  return (
    <Tooltip label={checkedLabel ? `${label} — ${checkedLabel}` : label}>
      <Badge variant="light" color={scoreColor(summary)} radius="sm" tt="none" fw={600} leftSection={<ScoreDot color={scoreColor(summary)} />}>
        {summary.score}
        {summary.critical > 0 ? ` · ${summary.critical} critical` : ''}
      </Badge>
    </Tooltip>
  );
}

function ScoreDot({ color }: { color: string }) {
  return <span style={{ display: 'inline-block', width: 6, height: 6, borderRadius: 99, background: `var(--mantine-color-${color}-6)` }} />;
}

/** The 0–100 score as a ring, the headline of a preflight report. */
export function ScoreRing({ counts, size = 112 }: { counts: ScoreCounts; size?: number }) {
  const color = scoreColor(counts);
  return (
    <RingProgress
      size={size}
      thickness={10}
      roundCaps
      sections={[{ value: counts.score, color }]}
      label={
        <Stack gap={0} align="center">
          <Text fz={size / 3.6} fw={700} lh={1} data-testid="preflight-score">
            {counts.score}
          </Text>
          <Text size="xs" c="dimmed">
            of 100
          </Text>
        </Stack>
      }
    />
  );
}

const SEVERITY_COLORS = { critical: 'red', important: 'orange', suggested: 'blue' } as const;

/** "2 critical · 3 important · 5 suggested" as coloured counts. */
export function SeverityCounts({ counts }: { counts: Pick<ScoreCounts, 'critical' | 'important' | 'suggested'> }) {
  return (
    <Group gap={6}>
      {(['critical', 'important', 'suggested'] as const).map((s) => (
        <Badge key={s} variant={counts[s] > 0 ? 'light' : 'outline'} color={counts[s] > 0 ? SEVERITY_COLORS[s] : 'gray'} radius="sm" tt="none" fw={500} data-testid={`preflight-count-${s}`}>
          {counts[s]} {s}
        </Badge>
      ))}
    </Group>
  );
}

export { SEVERITY_COLORS };
