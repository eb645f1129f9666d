import { useEffect, useMemo, useState } from 'react';
import { Button, Card, Checkbox, EmptyState, Group, Menu, MultiSelect, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconAddressBook, IconChevronDown, IconDownload, IconFileImport, IconFilterOff, IconPlus, IconSearch, IconSettings } from '@tabler/icons-react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, type Contact, type ContactFilter, type ContactSort, type ContactStatus } from '../../../api.ts';
import { STATUS_OPTIONS, StatusBadge, TagList, ValidationMark } from '../../../components/AudienceBadges.tsx';
import { CursorPager } from '../../../components/CursorPager.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { QueryState } from '../../../components/QueryState.tsx';
import { formatDate } from '../../../lib/format.ts';
import { useCursorPages } from '../../../lib/paging.ts';
import { useBrandQuery } from '../../../lib/queries.ts';
import { useSignedIn } from '../../../session.tsx';
import { sectionAt } from '../../../sections.ts';
import { AUDIENCE_KEYS, useTags } from '../queries.ts';
import { AddContactModal } from './AddContactModal.tsx';
import { BulkActionModal, type BulkKind } from './BulkActionModal.tsx';
import { CustomFieldsModal } from './CustomFieldsModal.tsx';
import { contactName } from './contactName.ts';

const section = sectionAt('/audience/contacts');
const PAGE_SIZE = 50;

const SORTS: Record<string, { label: string; sort: ContactSort; order: 'asc' | 'desc' }> = {
  newest: { label: 'Newest first', sort: 'created_at', order: 'desc' },
  oldest: { label: 'Oldest first', sort: 'created_at', order: 'asc' },
  updated: { label: 'Recently updated', sort: 'updated_at', order: 'desc' },
  email: { label: 'Email A–Z', sort: 'email', order: 'asc' },
  name: { label: 'Last name A–Z', sort: 'last_name', order: 'asc' },
};

/** Filters live in the URL (?q=&status=&tag=&sort=), so a filtered list can be linked to, e.g. from Tags. */
function useContactFilter() {
  const [params, setParams] = useSearchParams();
  const filter: ContactFilter = {
    search: params.get('q') ?? '',
    status: (params.get('status') as ContactStatus | null) ?? undefined,
    tagIds: params.getAll('tag'),
  };
  const sortKey = params.get('sort') && SORTS[params.get('sort')!] ? params.get('sort')! : 'newest';
  const update = (change: { q?: string; status?: string | null; tags?: string[]; sort?: string }) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (change.q !== undefined) (change.q ? next.set('q', change.q) : next.delete('q'));
        if (change.status !== undefined) (change.status ? next.set('status', change.status) : next.delete('status'));
        if (change.tags !== undefined) {
          next.delete('tag');
          change.tags.forEach((t) => next.append('tag', t));
        }
        if (change.sort !== undefined) (change.sort === 'newest' ? next.delete('sort') : next.set('sort', change.sort));
        return next;
      },
      { replace: true },
    );
  const active = Boolean(filter.search || filter.status || filter.tagIds?.length);
  return { filter, sortKey, update, active, clear: () => setParams(new URLSearchParams(), { replace: true }) };
}

export function ContactsPage() {
  const { canWrite } = useSignedIn();
  const navigate = useNavigate();
  const { filter, sortKey, update, active, clear } = useContactFilter();
  const [search, setSearch] = useState(filter.search ?? '');
  const [debouncedSearch] = useDebouncedValue(search, 300);
  // Only the debounced text drives the URL; the URL is not fed back into the box while typing…
  useEffect(() => {
    if (debouncedSearch !== (filter.search ?? '')) update({ q: debouncedSearch });
  }, [debouncedSearch]);
  // …but a change that did not come from typing (Clear filters, a link) is.
  useEffect(() => {
    if ((filter.search ?? '') !== debouncedSearch) setSearch(filter.search ?? '');
  }, [filter.search]);

  const filterKey = JSON.stringify([filter, sortKey]);
  const pages = useCursorPages(filterKey);
  const { sort, order } = SORTS[sortKey];
  const list = useBrandQuery([AUDIENCE_KEYS.contacts, 'list', filterKey, pages.cursor ?? ''], () => api.contacts.list({ ...filter, sort, order, limit: PAGE_SIZE, cursor: pages.cursor }), {
    placeholderData: keepPreviousData,
  });
  const count = useBrandQuery([AUDIENCE_KEYS.contacts, 'count', JSON.stringify(filter)], () => api.contacts.count(filter));
  const tags = useTags();

  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const selectionKey = `${filterKey}|${pages.cursor}`;
  useEffect(clearSelection, [selectionKey]);

  function clearSelection() {
    setSelected(new Set());
    setAllMatching(false);
  }

  const [adding, setAdding] = useState(false);
  const [editingFields, setEditingFields] = useState(false);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const [exporting, setExporting] = useState(false);

  async function exportCsv() {
    setExporting(true);
    try {
      await api.contacts.exportCsv(filter);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Export failed', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setExporting(false);
    }
  }

  const tagOptions = useMemo(() => (tags.data?.data ?? []).map((t) => ({ value: t.id, label: t.name })), [tags.data]);
  const total = count.data?.count;
  const selectedCount = allMatching ? (total ?? 0) : selected.size;

  return (
    <>
      <PageHeader
        title="Contacts"
        badge={total !== undefined && !active ? `${total.toLocaleString()}` : undefined}
        description={section.summary}
        actions={
          <>
            <Button variant="default" leftSection={<IconSettings size={16} />} onClick={() => setEditingFields(true)}>
              Custom fields
            </Button>
            <Button variant="default" leftSection={<IconDownload size={16} />} loading={exporting} onClick={() => void exportCsv()}>
              Export CSV
            </Button>
            {canWrite && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)}>
                Add contact
              </Button>
            )}
          </>
        }
      />

      <Group gap="sm" mb="md" wrap="wrap">
        <TextInput
          aria-label="Search contacts"
          placeholder="Search name or email, or @domain.com"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          style={{ flex: '1 1 260px' }}
        />
        <Select aria-label="Status" placeholder="Any status" data={STATUS_OPTIONS} value={filter.status ?? null} onChange={(v) => update({ status: v })} clearable w={170} />
        <MultiSelect
          aria-label="Tags"
          placeholder={filter.tagIds?.length ? undefined : 'Any tag'}
          data={tagOptions}
          value={filter.tagIds ?? []}
          onChange={(v) => update({ tags: v })}
          searchable
          clearable
          w={220}
          nothingFoundMessage="No such tag"
        />
        <Select aria-label="Sort" data={Object.entries(SORTS).map(([value, s]) => ({ value, label: s.label }))} value={sortKey} onChange={(v) => v && update({ sort: v })} allowDeselect={false} w={170} />
      </Group>

      {selectedCount > 0 && canWrite && (
        <Card padding="xs" px="md" mb="sm" bg="var(--mantine-primary-color-light)" style={{ borderColor: 'var(--mantine-primary-color-light-hover)' }}>
          <Group justify="space-between">
            <Group gap="sm">
              <Text size="sm" fw={500}>
                {selectedCount.toLocaleString()} selected
              </Text>
              {!allMatching && total !== undefined && total > selected.size && selected.size === list.data?.data.length && (
                <Button variant="subtle" size="compact-sm" onClick={() => setAllMatching(true)}>
                  Select all {total.toLocaleString()} matching
                </Button>
              )}
              <Button variant="subtle" color="gray" size="compact-sm" onClick={clearSelection}>
                Clear
              </Button>
            </Group>
            <Menu position="bottom-end" shadow="md">
              <Menu.Target>
                <Button size="xs" rightSection={<IconChevronDown size={14} />}>
                  Actions
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item onClick={() => setBulk('tag')}>Add tags</Menu.Item>
                <Menu.Item onClick={() => setBulk('untag')}>Remove tags</Menu.Item>
                <Menu.Item onClick={() => setBulk('set_status')}>Change status</Menu.Item>
                <Menu.Divider />
                <Menu.Item color="red" onClick={() => setBulk('delete')}>
                  Delete
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Card>
      )}

      <QueryState query={list} skeletonRows={8}>
        {({ data, nextCursor }) =>
          data.length === 0 ? (
            <NoContacts filtered={active} onClear={clear} onAdd={canWrite ? () => setAdding(true) : undefined} />
          ) : (
            <>
              <Card padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
                <Table.ScrollContainer minWidth={820} type="native">
                  <Table highlightOnHover verticalSpacing={8}>
                    <Table.Thead>
                      <Table.Tr>
                        {canWrite && (
                          <Table.Th w={44}>
                            <Checkbox
                              aria-label="Select all on this page"
                              checked={allMatching || (selected.size > 0 && selected.size === data.length)}
                              indeterminate={!allMatching && selected.size > 0 && selected.size < data.length}
                              onChange={(e) => {
                                setAllMatching(false);
                                setSelected(e.currentTarget.checked ? new Set(data.map((c) => c.id)) : new Set());
                              }}
                            />
                          </Table.Th>
                        )}
                        <Table.Th>Contact</Table.Th>
                        <Table.Th w={150}>Status</Table.Th>
                        <Table.Th>Tags</Table.Th>
                        <Table.Th w={90}>Country</Table.Th>
                        <Table.Th w={120}>Added</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.map((c) => (
                        <ContactRow
                          key={c.id}
                          contact={c}
                          selectable={canWrite}
                          selected={allMatching || selected.has(c.id)}
                          onSelect={(on) => {
                            setAllMatching(false);
                            setSelected((s) => {
                              const next = new Set(s);
                              if (on) next.add(c.id);
                              else next.delete(c.id);
                              return next;
                            });
                          }}
                          onOpen={() => navigate(`/audience/contacts/${c.id}`)}
                        />
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Card>
              <CursorPager
                page={pages.page}
                hasPrevious={pages.hasPrevious}
                nextCursor={nextCursor}
                busy={list.isPlaceholderData}
                onPrevious={pages.previous}
                onNext={pages.next}
                summary={total !== undefined ? `${total.toLocaleString()} ${total === 1 ? 'contact' : 'contacts'}${active ? ' match' : ''}` : undefined}
              />
            </>
          )
        }
      </QueryState>

      <AddContactModal opened={adding} onClose={() => setAdding(false)} />
      <CustomFieldsModal opened={editingFields} onClose={() => setEditingFields(false)} canWrite={canWrite} />
      {bulk && (
        <BulkActionModal
          kind={bulk}
          count={selectedCount}
          target={allMatching ? { filter } : { ids: [...selected] }}
          onClose={() => setBulk(null)}
          onDone={() => {
            setBulk(null);
            clearSelection();
          }}
        />
      )}
    </>
  );
}

function ContactRow({ contact: c, selectable, selected, onSelect, onOpen }: { contact: Contact; selectable: boolean; selected: boolean; onSelect(on: boolean): void; onOpen(): void }) {
  const name = contactName(c);
  return (
    <Table.Tr onClick={onOpen} style={{ cursor: 'pointer' }} data-testid={`contact-${c.email}`} bg={selected ? 'var(--mantine-primary-color-light)' : undefined}>
      {selectable && (
        <Table.Td onClick={(e) => e.stopPropagation()}>
          <Checkbox aria-label={`Select ${c.email}`} checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} />
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <div style={{ minWidth: 0 }}>
            <Text size="sm" fw={500} truncate c={name ? undefined : 'dimmed'}>
              <Link to={`/audience/contacts/${c.id}`} onClick={(e) => e.stopPropagation()} style={{ color: 'inherit', textDecoration: 'none' }}>
                {name ?? c.email}
              </Link>
            </Text>
            {name && (
              <Text size="xs" c="dimmed" truncate>
                {c.email}
              </Text>
            )}
          </div>
          <ValidationMark validation={c.validation} reason={c.validationReason} />
        </Group>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={c.status} />
      </Table.Td>
      <Table.Td>
        <TagList tags={c.tags} />
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={c.country ? undefined : 'dimmed'}>
          {c.country ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(c.createdAt)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function NoContacts({ filtered, onClear, onAdd }: { filtered: boolean; onClear(): void; onAdd?: () => void }) {
  if (filtered) {
    return (
      <Card padding={48}>
        <EmptyState icon={<IconFilterOff size={26} stroke={1.6} />} withIndicatorBackground title="No contacts match" description="Try another search, or clear the filters to see everyone.">
          <EmptyState.Actions>
            <Button variant="default" onClick={onClear}>
              Clear filters
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  }
  return (
    <Card padding={48}>
      <EmptyState variant="light" icon={<IconAddressBook size={26} stroke={1.6} />} title="No contacts yet" description="Import a CSV or JSON file from another tool, or add people one by one.">
        <EmptyState.Actions>
          <Button component={Link} to="/audience/import" variant="default" leftSection={<IconFileImport size={16} />}>
            Import contacts
          </Button>
          {onAdd && (
            <Button onClick={onAdd} leftSection={<IconPlus size={16} />}>
              Add contact
            </Button>
          )}
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

