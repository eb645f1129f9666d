import { useState, type DragEvent } from 'react';
import { Box, Button, FileButton, Group, Progress, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';

interface Props {
  accept: string;
  hint: string;
  /** Upload progress 0..1 while a file is being sent; null when idle. */
  progress: number | null;
  onFile(file: File): void;
}

/** Drop a file here or pick one; shows the upload's progress while it is sent. */
export function FileDrop({ accept, hint, progress, onFile }: Props) {
  const [over, setOver] = useState(false);
  const busy = progress !== null;

  function drop(e: DragEvent) {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  }

  return (
    <Box
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      p={40}
      style={{
        border: `2px dashed ${over ? 'var(--mantine-primary-color-filled)' : 'var(--mantine-color-gray-3)'}`,
        borderRadius: 'var(--mantine-radius-lg)',
        background: over ? 'var(--mantine-primary-color-light)' : 'var(--mantine-color-gray-0)',
        transition: 'background-color 120ms ease, border-color 120ms ease',
      }}
    >
      <Stack align="center" gap="sm">
        <ThemeIcon size={52} radius="xl" variant="light">
          <IconUpload size={26} stroke={1.6} />
        </ThemeIcon>
        {busy ? (
          <Stack gap={6} w="100%" maw={360} align="center">
            <Text size="sm" fw={500}>
              Uploading… {Math.round(progress * 100)}%
            </Text>
            <Progress value={progress * 100} w="100%" animated />
          </Stack>
        ) : (
          <>
            <Text fw={600}>Drop a file here</Text>
            <Text size="sm" c="dimmed" ta="center" maw={460}>
              {hint}
            </Text>
            <Group mt={4}>
              <FileButton onChange={(f) => f && onFile(f)} accept={accept}>
                {(props) => <Button {...props}>Choose a file</Button>}
              </FileButton>
            </Group>
          </>
        )}
      </Stack>
    </Box>
  );
}
