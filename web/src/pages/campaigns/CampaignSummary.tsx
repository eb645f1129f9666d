import type { ReactNode } from 'react';
import { Anchor, Badge, DataList, Group, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { api } from '../../api.ts';
import { PROVIDER_KIND_LABELS } from '../../components/campaign/providerKinds.ts';
import { useBrandQuery } from '../../lib/queries.ts';
import { AUDIENCE_KEYS, useTags, useTopics } from '../audience/queries.ts';
import { emailsApi } from '../emails/api.ts';
import { EMAILS } from '../emails/queries.ts';
import type { Campaign } from './api.ts';
import { useProviders } from './queries.ts';
import { formatSchedule } from './status.tsx';

/** "Production (Amazon SES)", or just "Capture inbox" when the name is the kind's own. */
export function providerLabel(name: string, kind: string): string {
  const kindLabel = PROVIDER_KIND_LABELS[kind] ?? kind;
  return name === kindLabel ? name : `${name} (${kindLabel})`;
}

/** What a campaign sends, to whom, from whom and how: the last look before sending, and the header of its page. */
export function CampaignSummary({ campaign: c, recipients }: { campaign: Campaign; recipients?: number }) {
  const brand = useBrandQuery(['kit'], api.brand);
  const email = useBrandQuery([EMAILS, c.emailId ?? ''], () => emailsApi.get(c.emailId!), { enabled: Boolean(c.emailId) });
  const segments = useBrandQuery([AUDIENCE_KEYS.segments, 'list', 'picker'], () => api.segments.list({ limit: 100 }));
  const tags = useTags();
  const topics = useTopics();
  const providers = useProviders();

  const segmentNames = c.audience.segmentIds?.map((id) => segments.data?.data.find((s) => s.id === id)?.name ?? 'Deleted segment') ?? [];
  const tagNames = c.audience.tagIds?.map((id) => tags.data?.data.find((t) => t.id === id)?.name ?? 'Deleted tag') ?? [];
  const provider = c.providerId ? providers.data?.data.find((p) => p.id === c.providerId) : providers.data?.data.find((p) => p.isDefault);
  const topic = c.topicId ? topics.data?.data.find((t) => t.id === c.topicId) : null;
  const fromName = c.fromName ?? email.data?.fromName ?? brand.data?.fromName ?? '';
  const fromEmail = c.fromEmail ?? email.data?.fromEmail ?? brand.data?.fromEmail ?? '';

  const rows: [string, ReactNode][] = [
    [
      'Email',
      c.emailId ? (
        <Anchor component={Link} to={`/emails/${c.emailId}`} size="sm">
          {email.data?.name ?? '…'}
          {c.emailVersion ? ` · version ${c.emailVersion}` : ''}
        </Anchor>
      ) : (
        <Text size="sm" c="red">
          The email was deleted
        </Text>
      ),
    ],
    ['Subject', c.subject ?? email.data?.subject ?? '…'],
    [
      'Audience',
      <Group gap={4} key="audience">
        {[...segmentNames.map((n) => ['segment', n]), ...tagNames.map((n) => ['tag', n])].map(([kind, n]) => (
          <Badge key={`${kind}-${n}`} variant={kind === 'segment' ? 'light' : 'outline'} radius="sm" tt="none" fw={500} size="sm">
            {n}
          </Badge>
        ))}
        {segmentNames.length + tagNames.length === 0 && (
          <Text size="sm" c="dimmed">
            Not chosen yet
          </Text>
        )}
        {recipients !== undefined && (
          <Text size="sm" c="dimmed" data-testid="summary-recipients">
            · {recipients.toLocaleString()} {recipients === 1 ? 'recipient' : 'recipients'}
          </Text>
        )}
      </Group>,
    ],
    ['From', fromName ? `${fromName} <${fromEmail}>` : fromEmail],
    ['Reply-To', c.replyTo ?? email.data?.replyTo ?? brand.data?.replyTo ?? 'The From address'],
    ['Provider', provider ? providerLabel(provider.name, provider.kind) : 'Brand default'],
    ['Tracking', [c.trackOpens && 'opens', c.trackClicks && 'clicks'].filter(Boolean).join(' and ') || 'Off'],
    ['Topic', topic?.name ?? 'None'],
  ];
  if (c.schedule) rows.push(['Scheduled', formatSchedule(c.schedule)]);

  return (
    <DataList size="sm" labelWidth={96} gap="xs">
      {rows.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>
            <Text size="sm" c="dimmed">
              {label}
            </Text>
          </DataList.ItemLabel>
          <DataList.ItemValue style={{ minWidth: 0, overflowWrap: 'anywhere' }}>{typeof value === 'string' ? <Text size="sm">{value}</Text> : value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}
