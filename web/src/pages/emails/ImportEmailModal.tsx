import { useState } from 'react';
import { Alert, Modal, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { FileDrop } from '../../components/FileDrop.tsx';
import { useInvalidateBrand } from '../../lib/queries.ts';
import { emailsApi } from './api.ts';
import { EMAILS } from './queries.ts';

const ACCEPT = '.html,.htm,.mjml,.eml,text/html,message/rfc822';

/** Upload an .html, .mjml or .eml file; it becomes an email edited as code, opened in the editor. */
export function ImportEmailModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const invalidate = useInvalidateBrand();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function importFile(file: File) {
    setError(null);
    if (!/\.(html?|mjml|eml)$/i.test(file.name)) {
      setError(`${file.name} is not an .html, .htm, .mjml or .eml file.`);
      return;
    }
    setProgress(0);
    try {
      const email = await emailsApi.importFile(file, setProgress);
      await invalidate(EMAILS, 'list');
      onClose();
      navigate(`/emails/${email.id}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  }

  return (
    <Modal opened={opened} onClose={progress === null ? onClose : () => undefined} size="lg" title={<Text fw={600}>Import an email</Text>}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Bring an email you already have. HTML and MJML stay editable as code; an .eml file brings its subject, sender and HTML body along.
        </Text>
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Not imported">
            {error}
          </Alert>
        )}
        <FileDrop accept={ACCEPT} hint=".html, .htm, .mjml or .eml — up to 5 MB" progress={progress} onFile={(f) => void importFile(f)} />
      </Stack>
    </Modal>
  );
}
