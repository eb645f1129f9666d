import { useState, type FormEvent } from 'react';
import { Anchor, Card, Grid, Select, Stack, Switch, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useFormErrors } from '../../../lib/forms.ts';
import { useTopics } from '../../audience/queries.ts';
import { campaignsApi, type Campaign } from '../api.ts';
import { useCampaignUpdated } from '../queries.ts';
import { WizardFooter } from './WizardFooter.tsx';

interface Props {
  campaign: Campaign;
  onBack(): void;
  onNext(): void;
}

/** Step 4: open and click tracking, and the topic recipients can opt out of. */
export function TrackingStep({ campaign, onBack, onNext }: Props) {
  const updated = useCampaignUpdated();
  const topics = useTopics();
  const [trackOpens, setTrackOpens] = useState(campaign.trackOpens);
  const [trackClicks, setTrackClicks] = useState(campaign.trackClicks);
  const [topicId, setTopicId] = useState<string | null>(campaign.topicId);
  const errors = useFormErrors(['trackOpens', 'trackClicks', 'topicId']);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setSaving(true);
    try {
      await updated(await campaignsApi.update(campaign.id, { trackOpens, trackClicks, topicId }));
      onNext();
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card>
            <Title order={2} mb={4}>
              Tracking
            </Title>
            <Text size="sm" c="dimmed" mb="lg">
              Results show who opened and clicked. Opens by Apple Mail Privacy Protection and clicks by link scanners are detected and counted apart.
            </Text>
            <Stack gap="lg">
              <Switch
                label="Track opens"
                description="Adds an invisible image; an open is counted when the email’s images load."
                checked={trackOpens}
                onChange={(e) => setTrackOpens(e.currentTarget.checked)}
                error={errors.fields.trackOpens}
              />
              <Switch
                label="Track clicks"
                description="Links go through this server first, which records the click and forwards to the link at once."
                checked={trackClicks}
                onChange={(e) => setTrackClicks(e.currentTarget.checked)}
                error={errors.fields.trackClicks}
              />
            </Stack>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card>
            <Title order={2} mb={4}>
              Topic
            </Title>
            <Text size="sm" c="dimmed" mb="md">
              Contacts who opted out of the topic are skipped, and the preferences page lets recipients opt out of it alone.
            </Text>
            <Select
              label="Topic"
              placeholder={topics.data?.data.length === 0 ? 'No topics yet' : 'No topic'}
              data={(topics.data?.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
              value={topicId}
              onChange={setTopicId}
              clearable
              error={errors.fields.topicId}
              disabled={topics.isPending}
            />
            <Anchor component={Link} to="/audience/topics" size="xs" mt="xs" display="inline-block">
              Manage topics
            </Anchor>
          </Card>
        </Grid.Col>
      </Grid>
      <WizardFooter onBack={onBack} busy={saving} error={errors.message} />
    </form>
  );
}
