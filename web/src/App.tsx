import { useState, type ReactNode } from 'react';
import { Button, Center, EmptyState, Group, Loader, Stack } from '@mantine/core';
import { IconCloudOff, IconMapQuestion } from '@tabler/icons-react';
import { createBrowserRouter, Link, Navigate, useLocation, type RouteObject } from 'react-router-dom';
import { AppLayout } from './components/AppLayout.tsx';
import { AuthLayout } from './components/AuthLayout.tsx';
import { NewBrandModal } from './components/NewBrandModal.tsx';
import { SectionPreview } from './components/SectionPreview.tsx';
import { ContactDetailPage } from './pages/audience/contacts/ContactDetailPage.tsx';
import { ContactsPage } from './pages/audience/contacts/ContactsPage.tsx';
import { ImportDetailPage } from './pages/audience/import/ImportDetailPage.tsx';
import { ImportPage } from './pages/audience/import/ImportPage.tsx';
import { NewSegmentPage, SegmentPage } from './pages/audience/segments/SegmentEditorPage.tsx';
import { SegmentsPage } from './pages/audience/segments/SegmentsPage.tsx';
import { SuppressionPage } from './pages/audience/SuppressionPage.tsx';
import { TagsPage } from './pages/audience/TagsPage.tsx';
import { TopicsPage } from './pages/audience/TopicsPage.tsx';
import { SetupPage } from './pages/auth/SetupPage.tsx';
import { SignInPage } from './pages/auth/SignInPage.tsx';
import { EmailEditorPage } from './pages/emails/editor/EmailEditorPage.tsx';
import { EmailsPage } from './pages/emails/EmailsPage.tsx';
import { CampaignsPage } from './pages/campaigns/CampaignsPage.tsx';
import { CampaignDetailPage } from './pages/campaigns/detail/CampaignDetailPage.tsx';
import { EditCampaignPage, NewCampaignPage } from './pages/campaigns/wizard/CampaignWizardPage.tsx';
import { InboxPage } from './pages/inbox/InboxPage.tsx';
import { SeriesListPage } from './pages/series/SeriesListPage.tsx';
import { SeriesPage } from './pages/series/SeriesPage.tsx';
import { ApiKeysPage } from './pages/settings/ApiKeysPage.tsx';
import { AuditLogPage } from './pages/settings/AuditLogPage.tsx';
import { BrandKitPage } from './pages/settings/BrandKitPage.tsx';
import { DomainDetailPage, DomainsPage } from './pages/settings/DomainsPage.tsx';
import { MembersPage } from './pages/settings/MembersPage.tsx';
import { ProvidersPage } from './pages/settings/ProvidersPage.tsx';
import { ALL_SECTIONS, HOME_PATH } from './sections.ts';
import { useSession } from './session.tsx';

/** Pages that exist; every other section shows what it will do until it is built. */
const PAGES: Record<string, ReactNode> = {
  '/audience/contacts': <ContactsPage />,
  '/audience/import': <ImportPage />,
  '/audience/tags': <TagsPage />,
  '/audience/segments': <SegmentsPage />,
  '/audience/topics': <TopicsPage />,
  '/audience/suppression': <SuppressionPage />,
  '/emails': <EmailsPage />,
  '/campaigns': <CampaignsPage />,
  '/series': <SeriesListPage />,
  '/inbox': <InboxPage />,
  '/settings/providers': <ProvidersPage />,
  '/settings/domains': <DomainsPage />,
  '/settings/brand': <BrandKitPage />,
  '/settings/members': <MembersPage />,
  '/settings/api-keys': <ApiKeysPage />,
  '/settings/audit': <AuditLogPage />,
};

const sectionRoutes: RouteObject[] = [
  ...ALL_SECTIONS.map((s) => ({ path: s.path, element: PAGES[s.path] ?? <SectionPreview section={s} /> })),
  { path: '/audience/contacts/:contactId', element: <ContactDetailPage /> },
  { path: '/audience/import/:importId', element: <ImportDetailPage /> },
  { path: '/audience/segments/new', element: <NewSegmentPage /> },
  { path: '/audience/segments/:segmentId', element: <SegmentPage /> },
  { path: '/emails/:emailId', element: <EmailEditorPage /> },
  { path: '/campaigns/new', element: <NewCampaignPage /> },
  { path: '/campaigns/:campaignId', element: <CampaignDetailPage /> },
  { path: '/campaigns/:campaignId/edit', element: <EditCampaignPage /> },
  { path: '/series/:seriesId', element: <SeriesPage /> },
  { path: '/inbox/:messageId', element: <InboxPage /> },
  { path: '/settings/domains/:domainId', element: <DomainDetailPage /> },
];

export const router = createBrowserRouter([
  { path: '/setup', element: <Gate screen="setup" /> },
  { path: '/sign-in', element: <Gate screen="sign-in" /> },
  {
    element: <Gate screen="app" />,
    children: [{ index: true, element: <Navigate to={HOME_PATH} replace /> }, ...sectionRoutes, { path: '*', element: <NotFound /> }],
  },
]);

type Screen = 'setup' | 'sign-in' | 'app';

/** Sends every visit to the screen the session allows: setup on first run, sign-in when signed out, the app otherwise. */
function Gate({ screen }: { screen: Screen }) {
  const { state, retry } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  switch (state.status) {
    case 'loading':
      return (
        <Center h="100vh">
          <Loader size="sm" />
        </Center>
      );
    case 'unavailable':
      return (
        <AuthLayout title="Tidings is not answering" subtitle={state.message}>
          <EmptyState icon={<IconCloudOff size={26} />} withIndicatorBackground description="Check that the server is running, then try again.">
            <EmptyState.Actions>
              <Button onClick={retry}>Try again</Button>
            </EmptyState.Actions>
          </EmptyState>
        </AuthLayout>
      );
    case 'needs-setup':
      return screen === 'setup' ? <SetupPage /> : <Navigate to="/setup" replace />;
    case 'signed-out':
      if (screen === 'sign-in') return <SignInPage />;
      return <Navigate to="/sign-in" replace state={screen === 'app' ? { from: location.pathname + location.search } : undefined} />;
    case 'signed-in':
      if (screen !== 'app') return <Navigate to={from ?? HOME_PATH} replace />;
      return state.brandId ? <AppLayout /> : <NoBrand />;
  }
}

/** A user who belongs to no brand (all memberships removed) can still start one. */
function NoBrand() {
  const { signOut } = useSession();
  const [creating, setCreating] = useState(false);
  return (
    <AuthLayout title="You are not in any brand yet" subtitle="Ask a manager to add you to their brand, or start a new one.">
      <Group grow>
        <Button variant="default" onClick={() => void signOut()}>
          Sign out
        </Button>
        <Button onClick={() => setCreating(true)}>Create a brand</Button>
      </Group>
      <NewBrandModal opened={creating} onClose={() => setCreating(false)} />
    </AuthLayout>
  );
}

function NotFound() {
  const { pathname } = useLocation();
  return (
    <Stack mt={80}>
      <EmptyState
        icon={<IconMapQuestion size={28} stroke={1.6} />}
        variant="light"
        title="Page not found"
        description={`There is nothing at ${pathname}. It may have moved, or the link is mistyped.`}
      >
        <EmptyState.Actions>
          <Button component={Link} to={HOME_PATH}>
            Go to Contacts
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Stack>
  );
}
