import { Fragment } from 'react';
import { ActionIcon, Badge, Box, Button, Group as Row, MultiSelect, NumberInput, Paper, SegmentedControl, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconSquarePlus, IconX } from '@tabler/icons-react';
import type { Condition, CustomFieldDef, EngagementCondition, Group, Rule, Tag, TimeUnit } from '../../../api.ts';
import { STATUS_OPTIONS } from '../../../components/AudienceBadges.tsx';
import {
  ENGAGEMENT_LABELS,
  fieldOptions,
  issuesAt,
  MAX_DEPTH,
  newCondition,
  OP_LABELS,
  opsFor,
  TIME_UNIT_LABELS,
  typeOf,
  updateAt,
  withOp,
  type EngagementEvent,
  type RulePath,
} from './filterModel.ts';


interface Context {
  custom: CustomFieldDef[];
  tags: Tag[];
  issues: Record<string, string>;
  disabled: boolean;
  /** Replace (or, with null, remove) the rule at a path of the root group. */
  change(path: RulePath, next: (rule: Rule) => Rule | null): void;
}

interface Props {
  filter: Group;
  onChange(filter: Group): void;
  custom: CustomFieldDef[];
  tags: Tag[];
  issues: Record<string, string>;
  disabled?: boolean;
}

/** The nested AND/OR editor of a segment's filter. */
export function FilterBuilder({ filter, onChange, custom, tags, issues, disabled = false }: Props) {
  const ctx: Context = { custom, tags, issues, disabled, change: (path, next) => onChange(updateAt(filter, path, next)) };
  return (
    <GroupEditor
      group={filter}
      path={[]}
      depth={1}
      ctx={ctx}
      onGroupChange={(g) => onChange(g)}
    />
  );
}

function GroupEditor({ group, path, depth, ctx, onGroupChange, onRemove }: { group: Group; path: RulePath; depth: number; ctx: Context; onGroupChange(g: Group): void; onRemove?: () => void }) {
  const add = (rule: Rule) => onGroupChange({ ...group, rules: [...group.rules, rule] });
  const joiner = group.op === 'and' ? 'AND' : 'OR';
  const problems = issuesAt(ctx.issues, path);
  return (
    <Stack gap="sm">
      <Row justify="space-between" wrap="nowrap">
        <Row gap="xs">
          <Text size="sm">Contacts matching</Text>
          <SegmentedControl
            size="xs"
            value={group.op}
            onChange={(v) => onGroupChange({ ...group, op: v as Group['op'] })}
            data={[
              { value: 'and', label: 'all' },
              { value: 'or', label: 'any' },
            ]}
            disabled={ctx.disabled}
            aria-label="Match all or any"
          />
          <Text size="sm">of these conditions</Text>
        </Row>
        {onRemove && (
          <Tooltip label="Remove group">
            <ActionIcon variant="subtle" color="gray" onClick={onRemove} aria-label="Remove group" disabled={ctx.disabled}>
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Row>
      {problems.map((p) => (
        <Text key={p} size="xs" c="red">
          {p}
        </Text>
      ))}
      {group.rules.length === 0 && (
        <Text size="sm" c="dimmed">
          {depth === 1 ? 'No conditions yet: this segment is everyone in the brand.' : 'An empty group adds no condition.'}
        </Text>
      )}
      {group.rules.map((rule, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <Badge variant="light" color="gray" radius="sm" size="sm" w="fit-content" ml={4}>
              {joiner}
            </Badge>
          )}
          {'rules' in rule ? (
            <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)" style={{ borderLeft: '3px solid var(--mantine-primary-color-filled)' }}>
              <GroupEditor
                group={rule}
                path={[...path, i]}
                depth={depth + 1}
                ctx={ctx}
                onGroupChange={(g) => ctx.change([...path, i], () => g)}
                onRemove={() => ctx.change([...path, i], () => null)}
              />
            </Paper>
          ) : (
            <ConditionRow condition={rule} path={[...path, i]} ctx={ctx} />
          )}
        </Fragment>
      ))}
      {!ctx.disabled && (
        <Row gap="xs">
          <Button variant="subtle" size="compact-sm" leftSection={<IconPlus size={14} />} onClick={() => add(newCondition('status', ctx.custom))}>
            Add condition
          </Button>
          {depth < MAX_DEPTH && (
            <Button variant="subtle" size="compact-sm" color="gray" leftSection={<IconSquarePlus size={14} />} onClick={() => add({ op: group.op === 'and' ? 'or' : 'and', rules: [newCondition('status', ctx.custom)] })}>
              Add group
            </Button>
          )}
        </Row>
      )}
    </Stack>
  );
}

function ConditionRow({ condition, path, ctx }: { condition: Condition; path: RulePath; ctx: Context }) {
  const set = (next: Condition) => ctx.change(path, () => next);
  const problems = issuesAt(ctx.issues, path);
  const error = problems.length > 0 ? ' ' : undefined; // marks the inputs invalid; the message is shown below
  return (
    <Box data-testid="segment-condition">
      <Row gap="xs" wrap="nowrap" align="flex-start">
        <Select
          aria-label="Field"
          size="sm"
          w={165}
          style={{ flexShrink: 0 }}
          data={fieldOptions(ctx.custom)}
          value={condition.field}
          onChange={(f) => f && f !== condition.field && set(newCondition(f, ctx.custom))}
          allowDeselect={false}
          searchable
          disabled={ctx.disabled}
        />
        {condition.field === 'engagement' ? (
          <Box style={{ flex: 1, minWidth: 0 }}>
            <EngagementEditor condition={condition as EngagementCondition} set={set} disabled={ctx.disabled} error={error} />
          </Box>
        ) : (
          <>
            <Select
              aria-label="Operator"
              size="sm"
              w={150}
              style={{ flexShrink: 0 }}
              data={opsFor(condition.field, ctx.custom).map((op) => ({ value: op, label: OP_LABELS[op] ?? op }))}
              value={'op' in condition ? condition.op : null}
              onChange={(op) => op && set(withOp(condition, op, ctx.custom))}
              allowDeselect={false}
              disabled={ctx.disabled}
            />
            <Box style={{ flex: 1, minWidth: 0 }}>
              <ValueEditor condition={condition} set={set} ctx={ctx} error={error} />
            </Box>
          </>
        )}
        {!ctx.disabled && (
          <Tooltip label="Remove condition">
            <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => ctx.change(path, () => null)} aria-label="Remove condition">
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Row>
      {problems.map((p) => (
        <Text key={p} size="xs" c="red" mt={4}>
          {p}
        </Text>
      ))}
    </Box>
  );
}

const VALIDATION_OPTIONS = [
  { value: 'valid', label: 'Valid' },
  { value: 'risky', label: 'Risky' },
  { value: 'invalid', label: 'Invalid' },
  { value: 'unknown', label: 'Not checked' },
];

function ValueEditor({ condition, set, ctx, error }: { condition: Condition; set(c: Condition): void; ctx: Context; error?: string }) {
  if (!('value' in condition)) return null;
  const c = condition as Condition & { value: unknown };
  const put = (value: unknown) => set({ ...c, value } as Condition);
  const common = { size: 'sm' as const, disabled: ctx.disabled, error, 'aria-label': 'Value' };

  if (c.field === 'tags') {
    return <MultiSelect {...common} placeholder={(c.value as string[]).length ? undefined : 'Choose tags'} data={ctx.tags.map((t) => ({ value: t.id, label: t.name }))} value={c.value as string[]} onChange={put} searchable />;
  }
  if (c.field === 'status' || c.field === 'validation') {
    const options = c.field === 'status' ? STATUS_OPTIONS : VALIDATION_OPTIONS;
    return Array.isArray(c.value) ? (
      <MultiSelect {...common} data={options} value={c.value as string[]} onChange={put} />
    ) : (
      <Select {...common} data={options} value={(c.value as string) || null} onChange={(v) => put(v ?? '')} allowDeselect={false} />
    );
  }
  const type = typeOf(c.field, ctx.custom) ?? 'string';
  const op = 'op' in c ? c.op : '';
  if (op === 'between') {
    const [a, b] = c.value as [unknown, unknown];
    return (
      <Row gap={6} align="center" wrap="nowrap">
        <ScalarInput type={type} value={a} onChange={(v) => put([v, b])} common={common} />
        <Text size="sm" c="dimmed">
          and
        </Text>
        <ScalarInput type={type} value={b} onChange={(v) => put([a, v])} common={common} />
      </Row>
    );
  }
  if (op === 'in_last' || op === 'not_in_last') {
    const rel = c.value as { amount: number; unit: TimeUnit };
    return (
      <Row gap={6} wrap="nowrap">
        <NumberInput {...common} w={90} min={1} value={rel.amount} onChange={(v) => put({ ...rel, amount: typeof v === 'number' ? v : 0 })} />
        <Select
          size="sm"
          w={110}
          aria-label="Unit"
          data={Object.entries(TIME_UNIT_LABELS).map(([value, label]) => ({ value, label }))}
          value={rel.unit}
          onChange={(u) => u && put({ ...rel, unit: u as TimeUnit })}
          allowDeselect={false}
          disabled={ctx.disabled}
        />
      </Row>
    );
  }
  return <ScalarInput type={type} value={c.value} onChange={put} common={common} />;
}

function ScalarInput({ type, value, onChange, common }: { type: string; value: unknown; onChange(v: unknown): void; common: { size: 'sm'; disabled: boolean; error?: string; 'aria-label': string } }) {
  switch (type) {
    case 'number':
      return <NumberInput {...common} style={{ flex: 1 }} value={typeof value === 'number' ? value : ''} onChange={(v) => onChange(typeof v === 'number' ? v : null)} />;
    case 'boolean':
      return (
        <Select
          {...common}
          style={{ flex: 1 }}
          data={[
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]}
          value={String(value === true)}
          onChange={(v) => onChange(v === 'true')}
          allowDeselect={false}
        />
      );
    case 'date':
      return <TextInput {...common} style={{ flex: 1 }} type="date" value={typeof value === 'string' ? value.slice(0, 10) : ''} onChange={(e) => onChange(e.currentTarget.value)} />;
    default:
      return <TextInput {...common} style={{ flex: 1 }} placeholder="Value" value={typeof value === 'string' ? value : String(value ?? '')} onChange={(e) => onChange(e.currentTarget.value)} />;
  }
}

function EngagementEditor({ condition: c, set, disabled, error }: { condition: EngagementCondition; set(c: Condition): void; disabled: boolean; error?: string }) {
  const put = (patch: Partial<EngagementCondition>) => {
    const next = { ...c, ...patch };
    // Optional numbers are left out rather than sent empty.
    if (!next.withinDays) delete next.withinDays;
    if (!next.atLeast || next.atLeast <= 1) delete next.atLeast;
    if (!next.negate) delete next.negate;
    set(next);
  };
  return (
    <Row gap={6} wrap="wrap" align="center">
      <Select
        aria-label="Did or did not"
        size="sm"
        w={110}
        data={[
          { value: 'did', label: 'has' },
          { value: 'not', label: 'has not' },
        ]}
        value={c.negate ? 'not' : 'did'}
        onChange={(v) => put({ negate: v === 'not' })}
        allowDeselect={false}
        disabled={disabled}
      />
      <Select
        aria-label="Event"
        size="sm"
        w={170}
        data={Object.entries(ENGAGEMENT_LABELS).map(([value, label]) => ({ value, label }))}
        value={c.event}
        onChange={(v) => v && put({ event: v as EngagementEvent })}
        allowDeselect={false}
        disabled={disabled}
        error={error}
      />
      <Text size="sm" c="dimmed">
        at least
      </Text>
      <NumberInput aria-label="At least (times)" size="sm" w={70} min={1} value={c.atLeast ?? 1} onChange={(v) => put({ atLeast: typeof v === 'number' ? v : undefined })} disabled={disabled} />
      <Text size="sm" c="dimmed">
        {(c.atLeast ?? 1) === 1 ? 'time' : 'times'}
      </Text>
      <Select
        aria-label="When"
        size="sm"
        w={130}
        data={[
          { value: 'ever', label: 'ever' },
          { value: 'window', label: 'in the last' },
        ]}
        value={c.withinDays ? 'window' : 'ever'}
        onChange={(v) => put({ withinDays: v === 'window' ? 30 : undefined })}
        allowDeselect={false}
        disabled={disabled}
      />
      {c.withinDays !== undefined && (
        <>
          <NumberInput aria-label="Within days" size="sm" w={80} min={1} value={c.withinDays} onChange={(v) => put({ withinDays: typeof v === 'number' ? v : undefined })} disabled={disabled} />
          <Text size="sm" c="dimmed">
            days
          </Text>
        </>
      )}
    </Row>
  );
}
