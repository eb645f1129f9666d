import { Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconCheck, IconPlus, IconSelector } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useSignedIn } from '../session.tsx';
import { BrandAvatar } from './BrandAvatar.tsx';
import { NewBrandModal } from './NewBrandModal.tsx';
import classes from './AppLayout.module.css';

const ROLE_LABEL = { manager: 'Manager', editor: 'Editor', commenter: 'Commenter', viewer: 'Viewer' } as const;

/** The brand the user is working in, and a menu to switch to another or create one. */
export function BrandSwitcher() {
  const { session, brandId, membership, switchBrand } = useSignedIn();
  const brands = useQuery({ queryKey: ['brands'], queryFn: api.brands });
  const [creating, { open, close }] = useDisclosure(false);
  const kitOf = (id: string) => brands.data?.data.find((b) => b.id === id);
  const current = brandId ? kitOf(brandId) : undefined;

  return (
    <>
      <Menu position="bottom-start" width={260} shadow="md" offset={6}>
        <Menu.Target>
          <UnstyledButton className={classes.switcher} aria-label="Switch brand">
            <Group gap="sm" wrap="nowrap">
              <BrandAvatar name={membership?.brandName ?? 'No brand'} color={current?.colors.primary} size={34} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {membership?.brandName ?? 'No brand yet'}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {membership ? ROLE_LABEL[membership.role] : 'Create one to start'}
                </Text>
              </div>
              <IconSelector size={16} color="var(--mantine-color-gray-6)" />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Brands</Menu.Label>
          {session.memberships.map((m) => {
            const kit = kitOf(m.brandId);
            return (
              <Menu.Item
                key={m.brandId}
                onClick={() => switchBrand(m.brandId)}
                leftSection={<BrandAvatar name={m.brandName} color={kit?.colors.primary} size={22} />}
                rightSection={m.brandId === brandId ? <IconCheck size={16} /> : null}
              >
                <Text size="sm" truncate>
                  {m.brandName}
                </Text>
              </Menu.Item>
            );
          })}
          <Menu.Divider />
          <Menu.Item leftSection={<IconPlus size={16} />} onClick={open}>
            New brand
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <NewBrandModal opened={creating} onClose={close} />
    </>
  );
}
