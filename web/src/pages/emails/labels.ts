import type { EmailCategory, EmailFormat } from './api.ts';

export const FORMAT_LABELS: Record<EmailFormat, string> = { blocks: 'Blocks', mjml: 'MJML', html: 'HTML' };

export const CATEGORY_INFO: Record<EmailCategory, { label: string; color: string }> = {
  marketing: { label: 'Marketing', color: 'grape' },
  transactional: { label: 'Transactional', color: 'cyan' },
};
