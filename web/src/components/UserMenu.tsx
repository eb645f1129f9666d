import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconChevronUp, IconLogout } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { initials } from '../lib/format.ts';
import { useSignedIn } from '../session.tsx';
import classes from './AppLayout.module.css';

export function UserMenu() {
  const { user, signOut } = useSignedIn();

  async function leave() {
    try {
      await signOut();
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not sign out', message: err instanceof Error ? err.message : String(err) });
    }
  }

  return (
    <Menu position="top-start" width={240} shadow="md" offset={6}>
      <Menu.Target>
        <UnstyledButton className={classes.user} aria-label="Account menu">
          <Group gap="sm" wrap="nowrap">
            <Avatar size={32} radius="xl" color="brand" variant="light">
              {initials(user.name)}
            </Avatar>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Text size="sm" fw={500} truncate>
                {user.name}
              </Text>
              <Text size="xs" c="dimmed" truncate>
                {user.email}
              </Text>
            </div>
            <IconChevronUp size={14} color="var(--mantine-color-gray-6)" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Signed in as {user.email}</Menu.Label>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void leave()}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
