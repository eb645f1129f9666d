import { useState } from 'react';
import { Alert, Anchor, Card, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../../api.ts';
import { FileDrop } from '../../../components/FileDrop.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../../lib/format.ts';
import { useBrandQuery, useInvalidateBrand } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { sectionAt } from '../../../sections.ts';
import { AUDIENCE_KEYS } from '../queries.ts';
import { ImportStatusBadge, rowSummary } from './importStatus.tsx';

const section = sectionAt('/audience/import');
const ACCEPT = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,application/json';

export function ImportPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const recent = useBrandQuery([AUDIENCE_KEYS.imports, 'recent'], () => api.imports.list({ limit: 20 }));

  async function send(file: File) {
    setError(null);
    setProgress(0);
    try {
      const created = await api.imports.upload(file, setProgress);
      await invalidate(AUDIENCE_KEYS.imports);
      navigate(`/audience/import/${created.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setProgress(null);
    }
  }

  return (
    <>
      <PageHeader title="Import" description={section.summary} />
      <Stack gap="xl">
        {canWrite && (
          <div>
            {error && (
              <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} mb="md" title="Upload failed">
                {error}
              </Alert>
            )}
            <FileDrop
              accept={ACCEPT}
              progress={progress}
              onFile={(f) => void send(f)}
              hint="CSV or TSV (any delimiter, Excel and LibreOffice exports welcome) or JSON / NDJSON. You map the columns on the next step; nothing is imported yet."
            />
            <Text size="xs" c="dimmed" mt="sm">
              To export, use <Anchor component={Link} to="/audience/contacts" size="xs">Contacts → Export CSV</Anchor>: it takes the current search and filters into account.
            </Text>
          </div>
        )}
        <div>
          <Title order={2} mb="sm">
            Recent imports
          </Title>
          <QueryState query={recent} skeletonRows={3}>
            {({ data }) =>
              data.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No imports yet.
                </Text>
              ) : (
                <Card padding={0}>
                  <Table.ScrollContainer minWidth={640} type="native">
                    <Table highlightOnHover>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>File</Table.Th>
                          <Table.Th w={140}>Status</Table.Th>
                          <Table.Th>Rows</Table.Th>
                          <Table.Th w={140}>Uploaded</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {data.map((imp) => (
                          <Table.Tr key={imp.id} onClick={() => navigate(`/audience/import/${imp.id}`)} style={{ cursor: 'pointer' }}>
                            <Table.Td>
                              <Anchor component={Link} to={`/audience/import/${imp.id}`} size="sm" fw={500} c="inherit" onClick={(e) => e.stopPropagation()}>
                                {imp.fileName}
                              </Anchor>
                            </Table.Td>
                            <Table.Td>
                              <ImportStatusBadge status={imp.status} />
                            </Table.Td>
                            <Table.Td>
                              <Text size="sm" c="dimmed">
                                {rowSummary(imp)}
                              </Text>
                            </Table.Td>
                            <Table.Td>
                              <Tooltip label={formatDateTime(imp.createdAt)}>
                                <Text size="sm" c="dimmed" span>
                                  {timeAgo(imp.createdAt)}
                                </Text>
                              </Tooltip>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Card>
              )
            }
          </QueryState>
        </div>
      </Stack>
    </>
  );
}
