import { Avatar } from '@mantine/core';
import { initials } from '../lib/format.ts';

interface Props {
  name: string;
  color?: string;
  size?: number;
}

/**
 * A brand's initials on its primary colour. Logos are usually wordmarks that turn illegible in a
 * small square, so the switcher uses initials and the logo appears in the brand kit.
 */
export function BrandAvatar({ name, color, size = 32 }: Props) {
  return (
    <Avatar alt={name} size={size} radius="md" variant="filled" color={color ?? 'brand'} autoContrast>
      {initials(name)}
    </Avatar>
  );
}
