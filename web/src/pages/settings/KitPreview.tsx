import { useState } from 'react';
import { Box, Card, Group, Text } from '@mantine/core';
import type { KitDraft } from './brandKit.ts';

/**
 * A sketch of an email in the kit as it is being edited, so colour and font choices can be judged
 * together. It is a preview of the kit, not of a rendered email (rendering lives in Emails).
 */
export function KitPreview({ kit }: { kit: KitDraft }) {
  const { colors } = kit;
  return (
    <Card padding={0} style={{ overflow: 'hidden' }}>
      <Group px="md" py="xs" justify="space-between" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
        <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.6}>
          Preview
        </Text>
        <Text size="xs" c="dimmed" truncate maw={220}>
          {kit.fromName || kit.name} &lt;{kit.fromEmail}&gt;
        </Text>
      </Group>
      <Box p="lg" style={{ background: colors.background }} data-testid="kit-preview">
        <Box style={{ background: '#ffffff', borderRadius: 8, boxShadow: '0 1px 3px rgba(15,23,42,.08)', overflow: 'hidden' }}>
          <Box h={6} style={{ background: colors.primary }} />
          <Box p={22}>
            <PreviewLogo url={kit.logoUrl} name={kit.name} color={colors.primary} />
            <Text component="h3" m={0} mt="md" fz={20} fw={700} lh={1.25} style={{ fontFamily: kit.headingFont, color: colors.text }}>
              Fresh from the roastery
            </Text>
            <Text mt="xs" fz={13} lh={1.6} style={{ fontFamily: kit.bodyFont, color: colors.text }}>
              Hi there — our spring single-origins just landed. Here is what we are brewing this week, and a little something for you.
            </Text>
            <Box
              component="span"
              mt="md"
              display="inline-block"
              px={18}
              py={9}
              fz={13}
              fw={600}
              style={{ background: colors.primary, color: readableOn(colors.primary), borderRadius: 6, fontFamily: kit.bodyFont }}
            >
              Shop the collection
            </Box>
            <Group gap={6} mt="md">
              <Box component="span" px={8} py={2} fz={11} fw={600} style={{ background: colors.accent, color: readableOn(colors.accent), borderRadius: 999 }}>
                New
              </Box>
              <Text fz={12} style={{ color: colors.secondary, fontFamily: kit.bodyFont }} fw={600}>
                Read the tasting notes →
              </Text>
            </Group>
          </Box>
          <Box px={22} py="sm" style={{ borderTop: '1px solid #eef0f3' }}>
            <Text fz={11} c="#6b7280" style={{ fontFamily: kit.bodyFont, whiteSpace: 'pre-line' }}>
              {kit.postalAddress || 'Add your postal address: it is printed in every marketing footer.'}
            </Text>
            <Text fz={11} c="#6b7280" mt={4} style={{ fontFamily: kit.bodyFont }}>
              <u>Unsubscribe</u> · <u>Preferences</u>
            </Text>
          </Box>
        </Box>
      </Box>
    </Card>
  );
}

function PreviewLogo({ url, name, color }: { url: string; name: string; color: string }) {
  const [failed, setFailed] = useState<string | null>(null);
  if (url && failed !== url) {
    return <img src={url} alt={`${name} logo`} onError={() => setFailed(url)} style={{ maxHeight: 36, maxWidth: 160, display: 'block' }} />;
  }
  return (
    <Text fw={800} fz={15} style={{ color }}>
      {name || 'Your brand'}
    </Text>
  );
}

/** Black or white, whichever has more WCAG contrast on the given background (equal at luminance ≈ 0.179). */
export function readableOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#ffffff';
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.179 ? '#111827' : '#ffffff';
}
