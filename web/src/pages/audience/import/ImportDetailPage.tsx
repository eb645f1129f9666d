import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../../api.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { useBrandQuery } from '../../../lib/queries.ts';
import { AUDIENCE_KEYS } from '../queries.ts';
import { ImportMapping } from './ImportMapping.tsx';
import { ImportProgress } from './ImportProgress.tsx';
import { formatBytes, ImportStatusBadge, isActive } from './importStatus.tsx';

/** One import: the mapping step until it is started, then its live progress and result. */
export function ImportDetailPage() {
  const { importId = '' } = useParams();
  const imp = useBrandQuery([AUDIENCE_KEYS.imports, 'one', importId], () => api.imports.get(importId), {
    // Poll while the import runs; stop once it has finished.
    refetchInterval: (q) => (q.state.data && isActive(q.state.data.status) ? 1000 : false),
  });
  return (
    <QueryState query={imp} skeletonRows={6}>
      {(i) => (
        <>
          <Breadcrumbs mb="sm" fz="sm">
            <Anchor component={Link} to="/audience/import" c="dimmed">
              Import
            </Anchor>
            <Text size="sm">{i.fileName}</Text>
          </Breadcrumbs>
          <PageHeader
            title={i.fileName}
            badge={<ImportStatusBadge status={i.status} />}
            description={`${i.format.toUpperCase()}${i.preview.delimiter ? ` · delimiter ${describeDelimiter(i.preview.delimiter)}` : ''} · ${formatBytes(i.sizeBytes)} · ${i.preview.encoding}`}
          />
          {i.status === 'uploaded' ? <ImportMapping imp={i} /> : <ImportProgress imp={i} />}
        </>
      )}
    </QueryState>
  );
}

const describeDelimiter = (d: string) => ({ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' })[d] ?? `“${d}”`;
