import { Badge, Group, Stack, Text, Textarea } from '@mantine/core';

/** Chips longer than this are shortened; the full example goes into the box. */
const CHIP_CHARS = 44;

/**
 * The composer's prompt box, with example prompts as chips underneath that fill it in: a blank box
 * is where people get stuck, one click on an example shows what a good prompt looks like.
 */
export function PromptField(props: { label: string; description: string; examples: string[]; value: string; onChange: (value: string) => void; error?: string }) {
  return (
    <Stack gap="xs">
      <Textarea
        label={props.label}
        description={props.description}
        placeholder={props.examples[0]}
        autosize
        minRows={3}
        maxRows={8}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        error={props.error}
        data-autofocus
      />
      <Group gap={6}>
        <Text size="xs" c="dimmed">
          Try:
        </Text>
        {props.examples.map((x) => (
          <Badge key={x} variant="default" radius="sm" tt="none" fw={400} style={{ cursor: 'pointer' }} onClick={() => props.onChange(x)} component="button" type="button">
            {x.length > CHIP_CHARS ? `${x.slice(0, CHIP_CHARS - 2)}…` : x}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}
