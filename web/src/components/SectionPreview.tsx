import { Badge, Card, EmptyState, List, Text, ThemeIcon } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import type { Section } from '../sections.ts';
import { PageHeader } from './PageHeader.tsx';

/** The page of a section that is not built yet: says plainly what it will do, instead of a blank screen. */
export function SectionPreview({ section }: { section: Section }) {
  const Icon = section.icon;
  return (
    <>
      <PageHeader title={section.label} description={section.summary} />
      <Card padding={48} bg="var(--mantine-color-gray-0)" style={{ borderStyle: 'dashed' }}>
        <EmptyState
          variant="light"
          size="md"
          icon={<Icon size={26} stroke={1.6} />}
          title={
            <>
              {section.label} is on its way{' '}
              <Badge variant="outline" radius="sm" size="sm" ml={6} style={{ verticalAlign: 'middle' }}>
                Coming soon
              </Badge>
            </>
          }
          description="This part of Tidings is being built. Here is what you will be able to do:"
        >
          <List
            spacing="sm"
            size="sm"
            mt="lg"
            maw={560}
            mx="auto"
            ta="left"
            icon={
              <ThemeIcon size={22} radius="xl" variant="light">
                <IconCheck size={14} stroke={2.4} />
              </ThemeIcon>
            }
          >
            {section.capabilities.map((c) => (
              <List.Item key={c}>
                <Text size="sm">{c}</Text>
              </List.Item>
            ))}
          </List>
        </EmptyState>
      </Card>
    </>
  );
}
