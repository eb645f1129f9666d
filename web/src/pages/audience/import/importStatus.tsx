import { Badge } from '@mantine/core';
import type { Import } from '../../../api.ts';

const STATUS: Record<Import['status'], { label: string; color: string }> = {
  uploaded: { label: 'Needs mapping', color: 'blue' },
  queued: { label: 'Queued', color: 'gray' },
  running: { label: 'Importing', color: 'blue' },
  done: { label: 'Done', color: 'teal' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
};

export const isActive = (status: Import['status']) => status === 'queued' || status === 'running';

export function ImportStatusBadge({ status }: { status: Import['status'] }) {
  const s = STATUS[status];
  return (
    <Badge color={s.color} variant="light" radius="sm" tt="none" fw={500}>
      {s.label}
    </Badge>
  );
}

/** "1,204 imported · 3 failed", or what the file looked like before it was started. */
export function rowSummary(imp: Import): string {
  if (imp.status === 'uploaded') return `${imp.preview.columns.length} columns, ${formatBytes(imp.sizeBytes)}`;
  const parts = [
    [imp.rowsImported, 'imported'],
    [imp.rowsUpdated, 'updated'],
    [imp.rowsSkipped, 'skipped'],
    [imp.rowsFailed, 'failed'],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, label]) => `${n.toLocaleString()} ${label}`);
  return shown.length > 0 ? shown.join(' · ') : `${imp.rowsTotal.toLocaleString()} rows read`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
