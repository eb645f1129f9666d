import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Loader, Modal, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconAlertCircle, IconPlus } from '@tabler/icons-react';
import { useFormErrors } from '../../lib/forms.ts';
import { seriesApi, type Series } from './api.ts';
import { emailLabel } from './labels.tsx';
import { useSeriesUpdated } from './queries.ts';
import { describeOp, useRefineLog } from './refineLog.ts';

const FIELDS = ['position', 'role', 'beats', 'offsetDays'];
const onForm = (field: string) => FIELDS.some((f) => field === f || field.startsWith(`${f}.`));

/** Where a new email can go: before the first, between any two, or at the end. */
function positionOptions(series: Series) {
  return Array.from({ length: series.steps.length + 1 }, (_, position) => ({
    value: String(position),
    label: position === 0 ? 'At the start, before email 1' : position === series.steps.length ? `At the end, after email ${position}` : `Between email ${position} and email ${position + 1}`,
  }));
}

/** Add an email anywhere in the arc: a role and a few beats; the composer writes it to fit its neighbours. */
export function AddStepModal({ series, position, onClose }: { series: Series; position: number | null; onClose(): void }) {
  const updated = useSeriesUpdated();
  const log = useRefineLog(series.id);
  const errors = useFormErrors(onForm);
  const [at, setAt] = useState('0');
  const [role, setRole] = useState('');
  const [beats, setBeats] = useState('');
  const [offset, setOffset] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (position === null) return;
    setAt(String(position));
    setRole('');
    setBeats('');
    setOffset('');
    errors.clear();
  }, [position]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setBusy(true);
    const input = {
      position: Number(at),
      role: role.trim(),
      beats: beats
        .split('\n')
        .map((b) => b.trim())
        .filter(Boolean),
      ...(offset === '' ? {} : { offsetDays: offset }),
    };
    const request = `Add “${input.role}” as ${emailLabel(input.position).toLowerCase()}`;
    try {
      const after = await seriesApi.addStep(series.id, input);
      await updated(after);
      log.record({ request, source: 'button', outcome: { ok: true, summary: describeOp({ op: 'add', position: input.position, role: input.role, beats: input.beats }, after), failures: [] } });
      onClose();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={position !== null} onClose={busy ? () => undefined : onClose} withCloseButton={!busy} closeOnClickOutside={!busy} title={<Text fw={600}>Add an email</Text>} size="md">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {errors.message && (
            <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
              {errors.message}
            </Alert>
          )}
          <Select label="Where" data={positionOptions(series)} value={at} onChange={(v) => v && setAt(v)} allowDeselect={false} error={errors.fields.position} disabled={busy} />
          <TextInput
            label="Role"
            description="What this email does in the journey"
            placeholder="Testimonial"
            value={role}
            onChange={(e) => {
              setRole(e.currentTarget.value);
              errors.clearField('role');
            }}
            error={errors.fields.role}
            required
            disabled={busy}
            data-autofocus
          />
          <Textarea
            label="Beats"
            description="The points it should make, one per line (optional)"
            placeholder={'A customer’s story in two lines\nHow they brew it at home'}
            autosize
            minRows={3}
            value={beats}
            onChange={(e) => {
              setBeats(e.currentTarget.value);
              errors.clearField('beats');
            }}
            error={errors.fields.beats}
            disabled={busy}
          />
          <NumberInput
            label="Send on day"
            description="Days after enrolment; empty places it between its neighbours"
            placeholder="Between its neighbours"
            min={0}
            allowDecimal={false}
            allowNegative={false}
            value={offset}
            onChange={(v) => {
              setOffset(typeof v === 'number' ? v : '');
              errors.clearField('offsetDays');
            }}
            error={errors.fields.offsetDays}
            disabled={busy}
          />
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {busy ? (
                <Group gap={6} component="span">
                  <Loader size={12} /> Writing it to match the other emails…
                </Group>
              ) : (
                ' '
              )}
            </Text>
            <Group gap="sm">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" leftSection={<IconPlus size={16} />} loading={busy}>
                Add email
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
