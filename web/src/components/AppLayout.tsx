import { AppShell, Burger, Container, Group, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from 'react-router-dom';
import { BrandSwitcher } from './BrandSwitcher.tsx';
import { Logo } from './Logo.tsx';
import { Navigation } from './Navigation.tsx';
import { UserMenu } from './UserMenu.tsx';
import classes from './AppLayout.module.css';

/** The signed-in frame: brand switcher, navigation and account menu on the left, the page on the right. */
export function AppLayout() {
  const [mobileOpen, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell navbar={{ width: 256, breakpoint: 'sm', collapsed: { mobile: !mobileOpen } }} header={{ height: { base: 56, sm: 0 } }} padding={0} layout="alt">
      <AppShell.Header hiddenFrom="sm" px="md">
        <Group h="100%" justify="space-between">
          <Logo size={26} />
          <Burger opened={mobileOpen} onClick={toggle} size="sm" aria-label="Toggle navigation" />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar className={classes.navbar} p="sm" aria-label="Main">
        <AppShell.Section>
          <BrandSwitcher />
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea} mt="xs" mx={-4} px={4}>
          <Navigation onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
          <UserMenu />
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <Container size={1080} px={{ base: 'md', sm: 40 }} py={{ base: 'lg', sm: 36 }}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
