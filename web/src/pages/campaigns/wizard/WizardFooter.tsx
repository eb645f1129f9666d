import type { ReactNode } from 'react';
import { Alert, Button, Group } from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconArrowRight } from '@tabler/icons-react';

interface Props {
  onBack?: () => void;
  /** Continue is a submit button: each step is a form that saves, then moves on. */
  nextLabel?: ReactNode;
  nextDisabled?: boolean;
  busy?: boolean;
  error?: string | null;
  /** Extra actions next to Continue. */
  extra?: ReactNode;
}

export function WizardFooter({ onBack, nextLabel = 'Continue', nextDisabled, busy, error, extra }: Props) {
  return (
    <>
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle size={16} />} mt="lg" title="Not saved">
          {error}
        </Alert>
      )}
      <Group justify="space-between" mt="lg" gap="sm">
        {onBack ? (
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack} disabled={busy}>
            Back
          </Button>
        ) : (
          <span />
        )}
        <Group gap="sm">
          {extra}
          <Button type="submit" rightSection={<IconArrowRight size={16} />} loading={busy} disabled={nextDisabled}>
            {nextLabel}
          </Button>
        </Group>
      </Group>
    </>
  );
}
