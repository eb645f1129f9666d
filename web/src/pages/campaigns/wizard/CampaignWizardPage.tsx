import { useState } from 'react';
import { Anchor, Breadcrumbs, Card, Stepper, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import type { Campaign } from '../api.ts';
import { useCampaign } from '../queries.ts';
import { AudienceStep } from './AudienceStep.tsx';
import { EmailStep } from './EmailStep.tsx';
import { LaunchStep } from './LaunchStep.tsx';
import { PreflightStep } from './PreflightStep.tsx';
import { SenderStep } from './SenderStep.tsx';
import { TrackingStep } from './TrackingStep.tsx';

const STEPS = [
  { key: 'email', label: 'Email', description: 'What to send' },
  { key: 'audience', label: 'Audience', description: 'Who gets it' },
  { key: 'sender', label: 'Sender', description: 'From and provider' },
  { key: 'tracking', label: 'Tracking', description: 'Opens, clicks, topic' },
  { key: 'preflight', label: 'Preflight', description: 'Check it' },
  { key: 'launch', label: 'Send', description: 'Now or later' },
] as const;

/** /campaigns/new: the first step; the draft is created when it is done. */
export function NewCampaignPage() {
  const navigate = useNavigate();
  return (
    <WizardFrame title="New campaign" active={0}>
      <EmailStep campaign={null} onNext={(c) => navigate(`/campaigns/${c.id}/edit?step=audience`)} />
    </WizardFrame>
  );
}

/** /campaigns/:id/edit?step=…: the wizard over a draft, one saved step at a time. */
export function EditCampaignPage() {
  const { campaignId = '' } = useParams();
  const campaign = useCampaign(campaignId);
  return (
    <QueryState query={campaign} skeletonRows={6}>
      {(c) => <Wizard campaign={c} />}
    </QueryState>
  );
}

function Wizard({ campaign }: { campaign: Campaign }) {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // A manager's decision to send despite critical findings, carried from preflight to the send.
  const [override, setOverride] = useState(false);
  const active = Math.max(0, STEPS.findIndex((s) => s.key === params.get('step')));
  const go = (i: number) => setParams({ step: STEPS[Math.min(STEPS.length - 1, Math.max(0, i))].key });
  const next = () => go(active + 1);
  const back = () => go(active - 1);

  // Only drafts are edited here: a scheduled, sending or sent campaign has its own page.
  if (campaign.status !== 'draft') {
    return (
      <WizardFrame title={campaign.name} active={active}>
        <Text size="sm">
          This campaign is {campaign.status} and can no longer be edited.{' '}
          <Anchor component={Link} to={`/campaigns/${campaign.id}`}>
            Open the campaign
          </Anchor>
        </Text>
      </WizardFrame>
    );
  }

  const step = STEPS[active].key;
  return (
    <WizardFrame title={campaign.name} active={active} onStepClick={go} campaignId={campaign.id}>
      {step === 'email' && <EmailStep campaign={campaign} onNext={next} />}
      {step === 'audience' && <AudienceStep campaign={campaign} onBack={back} onNext={next} />}
      {step === 'sender' && <SenderStep campaign={campaign} onBack={back} onNext={next} />}
      {step === 'tracking' && <TrackingStep campaign={campaign} onBack={back} onNext={next} />}
      {step === 'preflight' && <PreflightStep campaign={campaign} override={override} onOverride={setOverride} onBack={back} onNext={next} />}
      {step === 'launch' && <LaunchStep campaign={campaign} override={override} onBack={back} onPreflight={() => go(STEPS.findIndex((s) => s.key === 'preflight'))} onDone={(c) => navigate(`/campaigns/${c.id}`)} />}
    </WizardFrame>
  );
}

function WizardFrame({ title, active, onStepClick, campaignId, children }: { title: string; active: number; onStepClick?(i: number): void; campaignId?: string; children: React.ReactNode }) {
  const narrow = useMediaQuery('(max-width: 62em)');
  // Six steps with descriptions need the width of a large screen; below it the labels alone fit.
  const compact = useMediaQuery('(max-width: 72em)');
  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/campaigns">
          Campaigns
        </Anchor>
        {campaignId ? (
          <Anchor component={Link} to={`/campaigns/${campaignId}`}>
            {title}
          </Anchor>
        ) : (
          <Text size="sm">New</Text>
        )}
      </Breadcrumbs>
      <PageHeader title={title} badge="Draft" />
      <Card padding={narrow ? 'sm' : 'md'} mb="lg">
        {narrow ? (
          <Text size="sm" fw={500} data-testid="wizard-step">
            Step {active + 1} of {STEPS.length}: {STEPS[active].label}{' '}
            <Text span c="dimmed" size="sm">
              — {STEPS[active].description}
            </Text>
          </Text>
        ) : (
          <Stepper active={active} onStepClick={onStepClick} allowNextStepsSelect={Boolean(onStepClick)} size="sm" iconSize={30}>
            {STEPS.map((s) => (
              <Stepper.Step key={s.key} label={s.label} description={compact ? undefined : s.description} />
            ))}
          </Stepper>
        )}
      </Card>
      {children}
    </>
  );
}
