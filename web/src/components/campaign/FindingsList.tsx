import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertOctagon, IconAlertTriangle, IconBulb } from '@tabler/icons-react';
import { SEVERITY_COLORS } from '../email/PreflightScore.tsx';
import type { Finding, Severity } from '../../pages/emails/api.ts';

const SEVERITY_INFO: Record<Severity, { title: string; icon: typeof IconAlertOctagon; hint: string }> = {
  critical: { title: 'Critical', icon: IconAlertOctagon, hint: 'Blocks sending unless a manager overrides it' },
  important: { title: 'Important', icon: IconAlertTriangle, hint: 'Likely to hurt delivery or reading' },
  suggested: { title: 'Suggested', icon: IconBulb, hint: 'Worth a look' },
};

/** Preflight findings grouped by severity, most serious first (read-only: fixes happen in the editor). */
export function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <Stack gap="lg">
      {(['critical', 'important', 'suggested'] as const).map((severity) => {
        const list = findings.filter((f) => f.severity === severity);
        if (list.length === 0) return null;
        const { title, icon: Icon, hint } = SEVERITY_INFO[severity];
        return (
          <Stack key={severity} gap="xs" data-testid={`findings-${severity}`}>
            <Group gap={6}>
              <Icon size={16} color={`var(--mantine-color-${SEVERITY_COLORS[severity]}-6)`} />
              <Title order={3} fz="sm">
                {title}
              </Title>
              <Badge size="xs" variant="light" color={SEVERITY_COLORS[severity]} circle>
                {list.length}
              </Badge>
              <Text size="xs" c="dimmed">
                {hint}
              </Text>
            </Group>
            {list.map((f, i) => (
              <Paper key={`${f.id}-${i}`} withBorder radius="md" p="sm" style={{ borderLeft: `3px solid var(--mantine-color-${SEVERITY_COLORS[f.severity]}-5)` }} data-testid="finding">
                <Text size="sm" fw={500} lh={1.4}>
                  {f.message}
                </Text>
                {f.fix && (
                  <Text size="xs" c="dimmed" mt={4} lh={1.45}>
                    {f.fix}
                  </Text>
                )}
              </Paper>
            ))}
          </Stack>
        );
      })}
    </Stack>
  );
}
