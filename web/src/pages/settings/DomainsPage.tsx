import { useState, type FormEvent } from 'react';
import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, EmptyState, Grid, Group, List, Modal, Progress, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconPlus, IconRefresh, IconShieldCheck, IconTrash, IconWorldWww } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { DnsRecordCard } from '../../components/campaign/DnsRecordCard.tsx';
import { PROVIDER_KIND_LABELS } from '../../components/campaign/providerKinds.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { formatDateTime, timeAgo } from '../../lib/format.ts';
import { useFormErrors } from '../../lib/forms.ts';
import { brandKey, useBrandQuery, useInvalidateBrand } from '../../lib/queries.ts';
import { useSignedIn } from '../../session.tsx';
import { sectionAt } from '../../sections.ts';
import { domainsApi, type DomainDetail, type DomainInput, type SendingDomain, type SendingHealth } from '../campaigns/api.ts';
import { DOMAINS, useDomains } from '../campaigns/queries.ts';
import { percent } from '../campaigns/status.tsx';

const section = sectionAt('/settings/domains');

const DOMAIN_STATUS: Record<string, { label: string; color: string }> = {
  unverified: { label: 'Not verified', color: 'gray' },
  'not-started': { label: 'Nothing published', color: 'red' },
  partial: { label: 'Partly set up', color: 'orange' },
  ready: { label: 'Verified', color: 'teal' },
};

function DomainStatusBadge({ status }: { status: string }) {
  const s = DOMAIN_STATUS[status] ?? { label: status, color: 'gray' };
  return (
    <Badge variant="light" color={s.color} radius="sm" tt="none" fw={600} data-testid="domain-status">
      {s.label}
    </Badge>
  );
}

/** S9.3: the brand's sending domains and how far each one is set up. */
export function DomainsPage() {
  const { isManager } = useSignedIn();
  const navigate = useNavigate();
  const domains = useDomains();
  const [adding, setAdding] = useState(false);
  const addButton = isManager && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
      Add domain
    </Button>
  );
  return (
    <>
      <PageHeader title="Sending domains" description={section.summary} actions={addButton} />
      <QueryState query={domains}>
        {({ data }) =>
          data.length === 0 ? (
            <Card padding={48}>
              <EmptyState
                variant="light"
                icon={<IconWorldWww size={26} stroke={1.6} />}
                title="No sending domains yet"
                description="Mailbox providers trust mail that proves it comes from your domain. Add the domain you send from: Tidings generates a DKIM key and the SPF, DMARC and return-path records to publish at your DNS host, then checks them for you."
              >
                {addButton && <EmptyState.Actions>{addButton}</EmptyState.Actions>}
              </EmptyState>
            </Card>
          ) : (
            <Card padding={0}>
              <Table.ScrollContainer minWidth={560} type="native">
                <Table highlightOnHover layout="fixed">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Domain</Table.Th>
                      <Table.Th w={140}>Provider</Table.Th>
                      <Table.Th w={160}>Status</Table.Th>
                      <Table.Th w={140}>Checked</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((d) => (
                      <Table.Tr key={d.id} onClick={() => navigate(`/settings/domains/${d.id}`)} style={{ cursor: 'pointer' }} data-testid={`domain-${d.domain}`}>
                        <Table.Td>
                          <Anchor component={Link} to={`/settings/domains/${d.id}`} size="sm" fw={500} c="inherit" onClick={(e) => e.stopPropagation()}>
                            {d.domain}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            DKIM selector {d.selector}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{PROVIDER_KIND_LABELS[d.provider] ?? d.provider}</Text>
                        </Table.Td>
                        <Table.Td>
                          <DomainStatusBadge status={d.status} />
                        </Table.Td>
                        <Table.Td>
                          {d.lastCheckedAt ? (
                            <Tooltip label={formatDateTime(d.lastCheckedAt)}>
                              <Text size="sm" c="dimmed" span>
                                {timeAgo(d.lastCheckedAt)}
                              </Text>
                            </Tooltip>
                          ) : (
                            <Text size="sm" c="dimmed">
                              Never
                            </Text>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
          )
        }
      </QueryState>
      <AddDomainModal opened={adding} onClose={() => setAdding(false)} onAdded={(d) => navigate(`/settings/domains/${d.id}`)} />
    </>
  );
}

const PROVIDER_OPTIONS = ['ses', 'resend', 'sendgrid', 'mailgun', 'postmark', 'smtp'].map((k) => ({ value: k, label: PROVIDER_KIND_LABELS[k] }));

function AddDomainModal({ opened, onClose, onAdded }: { opened: boolean; onClose(): void; onAdded(d: SendingDomain): void }) {
  const invalidate = useInvalidateBrand();
  const [form, setForm] = useState({ domain: '', provider: 'ses', spf: '', region: '', dmarcReportTo: '' });
  const errors = useFormErrors(['domain', 'provider', 'spf', 'region', 'dmarcReportTo']);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof form, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    setSaving(true);
    try {
      const input: DomainInput = { domain: form.domain.trim(), provider: form.provider as DomainInput['provider'] };
      if (form.spf.trim()) input.spf = form.spf.trim();
      if (form.region.trim()) input.region = form.region.trim();
      if (form.dmarcReportTo.trim()) input.dmarcReportTo = form.dmarcReportTo.trim();
      const created = await domainsApi.create(input);
      await invalidate(DOMAINS);
      onClose();
      setForm({ domain: '', provider: 'ses', spf: '', region: '', dmarcReportTo: '' });
      onAdded(created);
    } catch (err) {
      errors.show(err);
    } finally {
      setSaving(false);
    }
  }

  const usesRegion = form.provider === 'ses' || form.provider === 'resend';
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Add a sending domain</Text>} centered size="lg">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput label="Domain" description="The domain of your From address" placeholder="mail.example.com" value={form.domain} onChange={(e) => set('domain', e.currentTarget.value)} error={errors.fields.domain} required data-autofocus />
            <Select label="Sent through" description="Decides the SPF and return-path records" data={PROVIDER_OPTIONS} value={form.provider} onChange={(v) => v && set('provider', v)} allowDeselect={false} error={errors.fields.provider} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="SPF mechanism"
              description={form.provider === 'smtp' ? 'Required: your relay’s servers' : 'Leave empty for the provider’s own'}
              placeholder="include:_spf.example.net"
              value={form.spf}
              onChange={(e) => set('spf', e.currentTarget.value)}
              error={errors.fields.spf}
              required={form.provider === 'smtp'}
            />
            {usesRegion ? (
              <TextInput label="AWS region" description="Where the account sends from" placeholder="us-east-1" value={form.region} onChange={(e) => set('region', e.currentTarget.value)} error={errors.fields.region} />
            ) : (
              <TextInput label="DMARC reports to" description="Optional address for aggregate reports" placeholder="dmarc@example.com" value={form.dmarcReportTo} onChange={(e) => set('dmarcReportTo', e.currentTarget.value)} error={errors.fields.dmarcReportTo} />
            )}
          </SimpleGrid>
          {usesRegion && (
            <TextInput label="DMARC reports to" description="Optional address for aggregate reports" placeholder="dmarc@example.com" value={form.dmarcReportTo} onChange={(e) => set('dmarcReportTo', e.currentTarget.value)} error={errors.fields.dmarcReportTo} />
          )}
          {errors.message && (
            <Alert color="red" variant="light" p="xs">
              {errors.message}
            </Alert>
          )}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving}>
              Add domain
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** /settings/domains/:id — the records to publish, their check, and the domain's sending health. */
export function DomainDetailPage() {
  const { domainId = '' } = useParams();
  const domain = useBrandQuery([DOMAINS, domainId], () => domainsApi.get(domainId));
  return (
    <QueryState query={domain} skeletonRows={6}>
      {(d) => <DomainView domain={d} />}
    </QueryState>
  );
}

function DomainView({ domain: d }: { domain: DomainDetail }) {
  const { isManager, brandId } = useSignedIn();
  const queryClient = useQueryClient();
  const invalidate = useInvalidateBrand();
  const navigate = useNavigate();
  const [verifying, setVerifying] = useState(false);
  const [deleting, setDeleting] = useState<{ busy: boolean } | null>(null);

  async function verify() {
    setVerifying(true);
    try {
      const checked = await domainsApi.verify(d.id);
      queryClient.setQueryData(brandKey(brandId, DOMAINS, d.id), checked);
      await invalidate(DOMAINS, 'list');
      const ok = checked.records.filter((r) => r.status === 'ok').length;
      notifications.show({ color: checked.status === 'ready' ? 'teal' : 'orange', message: `${ok} of ${checked.records.length} records verified.` });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not check DNS', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setVerifying(false);
    }
  }

  async function remove() {
    setDeleting({ busy: true });
    try {
      await domainsApi.remove(d.id);
      await invalidate(DOMAINS);
      navigate('/settings/domains');
    } catch (err) {
      notifications.show({ color: 'red', title: 'Not removed', message: err instanceof Error ? err.message : String(err) });
      setDeleting({ busy: false });
    }
  }

  return (
    <>
      <Breadcrumbs mb="xs" fz="sm">
        <Anchor component={Link} to="/settings/domains">
          Sending domains
        </Anchor>
        <Text size="sm">{d.domain}</Text>
      </Breadcrumbs>
      <PageHeader
        title={d.domain}
        badge={<DomainStatusBadge status={d.status} />}
        description={`Sent through ${PROVIDER_KIND_LABELS[d.provider] ?? d.provider} · DKIM selector ${d.selector} · ${d.lastCheckedAt ? `checked ${timeAgo(d.lastCheckedAt)}` : 'not checked yet'}`}
        actions={
          isManager && (
            <>
              <Button variant="default" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting({ busy: false })}>
                Remove
              </Button>
              <Button leftSection={<IconRefresh size={16} />} loading={verifying} onClick={() => void verify()}>
                Verify DNS
              </Button>
            </>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            {d.nextSteps.length > 0 && (
              <Alert variant="light" color={d.status === 'ready' ? 'teal' : 'blue'} icon={d.status === 'ready' ? <IconShieldCheck size={18} /> : <IconAlertTriangle size={18} />} title={d.status === 'ready' ? 'Almost perfect' : 'Next steps'} styles={{ body: { minWidth: 0 } }}>
                <List size="sm" spacing={4} style={{ overflowWrap: 'anywhere' }}>
                  {d.nextSteps.map((s) => (
                    <List.Item key={s}>
                      {/* A step can quote a whole DKIM key: two lines say what to do, the record below has the value to copy. */}
                      <Text size="sm" lineClamp={2} title={s}>
                        {s}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            <Title order={2}>Records to publish</Title>
            <Text size="sm" c="dimmed" mt={-8}>
              Add these at your DNS host. Changes can take from minutes to a few hours to show; verify again after publishing.
            </Text>
            {d.records.map((r) => (
              <DnsRecordCard key={`${r.purpose}-${r.name}`} record={r} />
            ))}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <HealthCard health={d.health} />
        </Grid.Col>
      </Grid>
      <ConfirmModal opened={deleting !== null} title={`Remove ${d.domain}?`} confirmLabel="Remove domain" loading={deleting?.busy} onClose={() => setDeleting(null)} onConfirm={() => void remove()}>
        Its DKIM key is deleted: mail from this domain is no longer signed by Tidings. Remove the records at your DNS host too.
      </ConfirmModal>
    </>
  );
}

const HEALTH_STATUS: Record<SendingHealth['status'], { label: string; color: string }> = {
  'no-data': { label: 'No sends yet', color: 'gray' },
  good: { label: 'Healthy', color: 'teal' },
  warning: { label: 'Watch closely', color: 'orange' },
  critical: { label: 'Over a limit', color: 'red' },
};

/** Hard bounces and complaints over the last 30 days, against the limits mailbox providers enforce. */
function HealthCard({ health: h }: { health: SendingHealth }) {
  const status = HEALTH_STATUS[h.status];
  return (
    <Card data-testid="domain-health">
      <Group justify="space-between" mb="xs">
        <Title order={2}>Health</Title>
        <Badge variant="light" color={status.color} radius="sm" tt="none" fw={600}>
          {status.label}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {h.sent.toLocaleString()} messages sent in the last {h.windowDays} days.
      </Text>
      <Stack gap="lg">
        <RateBar label="Hard bounces" value={h.hardBounceRate} limit={h.thresholds.hardBounceRate} count={h.hardBounced} />
        <RateBar label="Complaints" value={h.complaintRate} limit={h.thresholds.complaintRate} count={h.complained} />
      </Stack>
      <Text size="xs" c="dimmed" mt="md">
        Campaigns pause by themselves when a limit is passed after the first 1,000 sends.
      </Text>
    </Card>
  );
}

function RateBar({ label, value, limit, count }: { label: string; value: number; limit: number; count: number }) {
  const share = Math.min(100, (value / limit) * 100);
  const color = value > limit ? 'red' : value >= limit / 2 ? 'orange' : 'teal';
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm">
          <b>{percent(value, 2)}</b>{' '}
          <Text span size="xs" c="dimmed">
            of {percent(limit, 1)} limit · {count.toLocaleString()}
          </Text>
        </Text>
      </Group>
      <Progress value={share} color={color} size="sm" aria-label={`${label} against the limit`} />
    </Stack>
  );
}
