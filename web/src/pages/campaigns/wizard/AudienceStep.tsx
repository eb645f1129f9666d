import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Anchor, Card, Grid, Group, Loader, MultiSelect, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { IconInfoCircle, IconUsers } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { api } from '../../../api.ts';
import { ErrorAlert } from '../../../components/QueryState.tsx';
import { useFormErrors } from '../../../lib/forms.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { AUDIENCE_KEYS, useTags } from '../../audience/queries.ts';
import { campaignsApi, type Audience, type Campaign, type SkipReason } from '../api.ts';
import { CAMPAIGNS, useCampaignUpdated } from '../queries.ts';
import { SKIP_REASON_INFO } from '../status.tsx';
import { WizardFooter } from './WizardFooter.tsx';

interface Props {
  campaign: Campaign;
  onBack(): void;
  onNext(): void;
}

const sameAudience = (a: Audience, b: Audience) => a.segmentIds.join() === b.segmentIds.join() && a.tagIds.join() === b.tagIds.join();

/**
 * Step 2: segments and tags (several, de-duplicated when sent). Each change is saved at once, so
 * the count and the skip preview are the server's own fan-out rules applied to the saved audience.
 */
export function AudienceStep({ campaign, onBack, onNext }: Props) {
  const updated = useCampaignUpdated();
  const segments = useBrandQuery([AUDIENCE_KEYS.segments, 'list', 'picker'], () => api.segments.list({ limit: 100 }));
  const tags = useTags();
  const [audience, setAudience] = useState<Audience>({ segmentIds: campaign.audience.segmentIds ?? [], tagIds: campaign.audience.tagIds ?? [] });
  const [debounced] = useDebouncedValue(audience, 400);
  const errors = useFormErrors((f) => f.startsWith('audience'));
  const [saving, setSaving] = useState(false);
  const savedRef = useRef(campaign.audience);

  // Save the audience shortly after each change: the preview below reads the saved campaign.
  useEffect(() => {
    if (sameAudience(debounced, { segmentIds: savedRef.current.segmentIds ?? [], tagIds: savedRef.current.tagIds ?? [] })) return;
    let live = true;
    setSaving(true);
    campaignsApi
      .update(campaign.id, { audience: debounced })
      .then(async (c) => {
        savedRef.current = c.audience;
        if (live) await updated(c);
      })
      .catch((err) => live && errors.show(err))
      .finally(() => live && setSaving(false));
    return () => {
      live = false;
    };
  }, [debounced]);

  const chosen = audience.segmentIds.length + audience.tagIds.length > 0;
  const settled = sameAudience(audience, debounced) && !saving;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (settled) onNext();
  }

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card>
            <Title order={2} mb={4}>
              Who should receive it?
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              Pick one or more segments and tags. Someone in several of them gets the email once.
            </Text>
            <Stack gap="md">
              <MultiSelect
                label="Segments"
                placeholder={segments.data?.data.length === 0 ? 'No segments yet' : 'Pick segments'}
                data={(segments.data?.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                value={audience.segmentIds}
                onChange={(segmentIds) => setAudience((a) => ({ ...a, segmentIds }))}
                searchable
                clearable
                nothingFoundMessage="No segment by that name"
                error={errors.fields['audience.segmentIds']}
                disabled={segments.isPending}
              />
              <MultiSelect
                label="Tags"
                placeholder={tags.data?.data.length === 0 ? 'No tags yet' : 'Pick tags'}
                data={(tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                value={audience.tagIds}
                onChange={(tagIds) => setAudience((a) => ({ ...a, tagIds }))}
                searchable
                clearable
                nothingFoundMessage="No tag by that name"
                error={errors.fields['audience.tagIds']}
                disabled={tags.isPending}
              />
              {segments.data?.data.length === 0 && tags.data?.data.length === 0 && (
                <Alert variant="light" color="blue" icon={<IconInfoCircle size={16} />}>
                  Your audience has no segments or tags yet.{' '}
                  <Anchor component={Link} to="/audience/segments/new" size="sm">
                    Create a segment
                  </Anchor>{' '}
                  or{' '}
                  <Anchor component={Link} to="/audience/tags" size="sm">
                    add tags
                  </Anchor>{' '}
                  first.
                </Alert>
              )}
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          {chosen ? <AudiencePreviewCard campaign={campaign} stale={!settled} /> : <NoAudienceYet />}
        </Grid.Col>
      </Grid>
      <WizardFooter onBack={onBack} error={errors.message} nextDisabled={!chosen} busy={!settled && chosen} />
    </form>
  );
}

function NoAudienceYet() {
  return (
    <Card h="100%">
      <Stack align="center" justify="center" gap="xs" h="100%" mih={200}>
        <IconUsers size={28} stroke={1.5} color="var(--mantine-color-gray-5)" />
        <Text size="sm" c="dimmed" ta="center" maw={320}>
          Pick a segment or a tag to see how many people will receive this campaign, and who will be skipped and why.
        </Text>
      </Stack>
    </Card>
  );
}

/** The live recipient count, the skip preview by reason and a few sample recipients. */
function AudiencePreviewCard({ campaign, stale }: { campaign: Campaign; stale: boolean }) {
  const preview = useBrandQuery([CAMPAIGNS, campaign.id, 'audience-preview', campaign.updatedAt], () => campaignsApi.audiencePreview(campaign.id), { placeholderData: keepPreviousData });
  if (preview.isError) return <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />;
  if (preview.isPending) return <Skeleton h={260} radius="md" />;
  const { sendable: recipients, skipped, sample } = preview.data;
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + (b ?? 0), 0);
  const reasons = (Object.entries(skipped) as [SkipReason, number][]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return (
    <Card style={{ opacity: stale || preview.isPlaceholderData ? 0.6 : 1 }} data-testid="audience-preview">
      <Group justify="space-between" align="flex-start">
        <Stack gap={0}>
          <Text fz={34} fw={700} lh={1.1} data-testid="recipient-count">
            {recipients.toLocaleString()}
          </Text>
          <Text size="sm" c="dimmed">
            {recipients === 1 ? 'recipient will get this email' : 'recipients will get this email'}
          </Text>
        </Stack>
        {(stale || preview.isFetching) && <Loader size={16} />}
      </Group>
      {recipients === 0 && (
        <Alert color="yellow" variant="light" mt="md" p="xs">
          Nobody in this audience can receive marketing email right now. Pick another segment or tag.
        </Alert>
      )}
      <Text size="sm" fw={600} mt="lg" mb={6}>
        {skippedTotal === 0 ? 'Nobody is skipped' : `${skippedTotal.toLocaleString()} will be skipped`}
      </Text>
      {reasons.length > 0 && (
        <Table withRowBorders={false} verticalSpacing={4} horizontalSpacing={0} data-testid="skip-preview">
          <Table.Tbody>
            {reasons.map(([reason, n]) => (
              <Table.Tr key={reason}>
                <Table.Td>
                  <Tooltip label={SKIP_REASON_INFO[reason]?.hint ?? reason}>
                    <Text size="sm" span>
                      {SKIP_REASON_INFO[reason]?.label ?? reason}
                    </Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" fw={500}>
                    {n.toLocaleString()}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {sample.length > 0 && (
        <>
          <Text size="sm" fw={600} mt="lg" mb={6}>
            Among the recipients
          </Text>
          <Stack gap={2}>
            {sample.slice(0, 5).map((s) => (
              <Text key={s.email} size="sm" truncate>
                {s.name ? `${s.name} ` : ''}
                <Text span c="dimmed" size="sm">
                  {s.name ? `<${s.email}>` : s.email}
                </Text>
              </Text>
            ))}
          </Stack>
        </>
      )}
    </Card>
  );
}
