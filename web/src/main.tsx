import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router-dom';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import { ApiError, api } from './api.ts';
import { router } from './App.tsx';
import { useBrandQuery } from './lib/queries.ts';
import { SessionProvider } from './session.tsx';
import { themeFor } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors (403, 404, 422…) will not fix themselves by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

/** Mantine themed with the current brand's primary colour. */
function BrandThemedApp() {
  const kit = useBrandQuery(['kit'], api.brand);
  const accent = kit.data?.colors.primary;
  const theme = useMemo(() => themeFor(accent), [accent]);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <Notifications position="top-right" />
      <RouterProvider router={router} />
    </MantineProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <BrandThemedApp />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);
