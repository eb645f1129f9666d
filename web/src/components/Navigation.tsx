import { Box, NavLink } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { NAV } from '../sections.ts';
import classes from './AppLayout.module.css';

export function Navigation({ onNavigate }: { onNavigate?: () => void }) {
  const { pathname } = useLocation();
  return (
    <Box>
      {NAV.map((group) => (
        <Box key={group.label ?? 'main'}>
          {group.label && <div className={classes.groupLabel}>{group.label}</div>}
          {group.sections.map((s) => {
            const Icon = s.icon;
            return (
              <NavLink
                key={s.path}
                component={Link}
                to={s.path}
                label={s.label}
                active={pathname === s.path || pathname.startsWith(`${s.path}/`)}
                leftSection={<Icon size={18} stroke={1.7} />}
                classNames={{ root: classes.link, section: classes.linkIcon }}
                onClick={onNavigate}
                mb={1}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}
