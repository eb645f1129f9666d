import type { ReactNode } from 'react';
import { Alert, Button, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle, IconLock } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '../api.ts';

interface Props<T> {
  query: UseQueryResult<T>;
  children: (data: T) => ReactNode;
  /** Height of each loading placeholder row. */
  skeletonRows?: number;
}

/** Loading placeholders, a readable error (with retry), or the data — the three states of every query. */
export function QueryState<T>({ query, children, skeletonRows = 4 }: Props<T>) {
  if (query.isPending) {
    return (
      <Stack gap="sm" aria-busy="true">
        {Array.from({ length: skeletonRows }, (_, i) => (
          <Skeleton key={i} height={40} radius="sm" />
        ))}
      </Stack>
    );
  }
  if (query.isError) return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const forbidden = error instanceof ApiError && error.status === 403;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert
      color={forbidden ? 'gray' : 'red'}
      variant="light"
      icon={forbidden ? <IconLock size={18} /> : <IconAlertTriangle size={18} />}
      title={forbidden ? 'Not available to your role' : 'Something went wrong'}
    >
      {forbidden ? `${message}. Ask a manager of this brand if you need access.` : message}
      {onRetry && !forbidden && (
        <Button variant="white" color="red" size="xs" mt="sm" onClick={onRetry} display="block">
          Try again
        </Button>
      )}
    </Alert>
  );
}
