import { NumberInput, Select, TextInput } from '@mantine/core';
import type { CustomFieldDef, FieldValue } from '../../../api.ts';

interface Props {
  def: CustomFieldDef;
  value: FieldValue;
  error?: string;
  disabled?: boolean;
  onChange(value: FieldValue): void;
}

/** One custom field, with the input its type calls for; clearing it sends null. */
export function CustomFieldInput({ def, value, error, disabled, onChange }: Props) {
  const common = { label: def.label, description: def.key !== def.label ? def.key : undefined, error, disabled };
  switch (def.type) {
    case 'number':
      return <NumberInput {...common} value={typeof value === 'number' ? value : ''} onChange={(v) => onChange(typeof v === 'number' ? v : null)} />;
    case 'boolean':
      return (
        <Select
          {...common}
          data={[
            { value: 'true', label: 'Yes' },
            { value: 'false', label: 'No' },
          ]}
          placeholder="Not set"
          value={value === null ? null : String(value)}
          onChange={(v) => onChange(v === null ? null : v === 'true')}
          clearable
        />
      );
    case 'date':
      return <TextInput {...common} type="date" value={typeof value === 'string' ? value.slice(0, 10) : ''} onChange={(e) => onChange(e.currentTarget.value || null)} />;
    case 'string':
      return <TextInput {...common} value={value === null ? '' : String(value)} onChange={(e) => onChange(e.currentTarget.value === '' ? null : e.currentTarget.value)} />;
  }
}
