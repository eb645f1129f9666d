import type { Scope } from '../../api.ts';

/** Keyed by the server's Scope type, so a scope added there fails the type check here until it is described. */
export const SCOPE_INFO: Record<Scope, { group: string; label: string; description: string }> = {
  'audience:read': { group: 'Audience', label: 'Read', description: 'Contacts, tags, segments, topics and suppression' },
  'audience:write': { group: 'Audience', label: 'Write', description: 'Create, import, change and erase contacts and lists' },
  'email:read': { group: 'Emails', label: 'Read', description: 'Emails and their versions' },
  'email:write': { group: 'Emails', label: 'Write', description: 'Create, generate and edit emails' },
  'email:send': { group: 'Emails', label: 'Send', description: 'Test sends' },
  'email:validate': { group: 'Emails', label: 'Validate', description: 'Run preflight checks' },
  'email:preview': { group: 'Emails', label: 'Preview', description: 'Render HTML and device previews' },
  'campaign:read': { group: 'Campaigns', label: 'Read', description: 'Campaigns, progress and results' },
  'campaign:write': { group: 'Campaigns', label: 'Write', description: 'Create, schedule, send and cancel campaigns' },
  'series:read': { group: 'Series', label: 'Read', description: 'Series, enrolments and results' },
  'series:write': { group: 'Series', label: 'Write', description: 'Plan, edit, start and stop series' },
  export: { group: 'Exports', label: 'Export', description: 'Export files and push to other platforms' },
  'webhook:read': { group: 'Webhooks', label: 'Read', description: 'Outgoing webhook endpoints and deliveries' },
  'webhook:write': { group: 'Webhooks', label: 'Write', description: 'Add, change and remove webhook endpoints' },
  'brand:write': { group: 'Brand', label: 'Manage', description: 'Brand kit, members, API keys and audit log' },
};

export const ALL_SCOPES = Object.keys(SCOPE_INFO) as Scope[];

/** What viewers can do: reading, previewing and validating, never changing or sending. */
export const READ_ONLY_SCOPES = ALL_SCOPES.filter((s) => s.endsWith(':read') || s === 'email:preview' || s === 'email:validate');

const GROUP_SUMMARY: Record<string, string> = {
  Audience: 'Contacts, tags, segments, topics, suppression',
  Emails: 'Emails, versions, previews, preflight, test sends',
  Campaigns: 'Campaigns, schedules and results',
  Series: 'Series, drips and enrolments',
  Exports: 'Files and pushes to other platforms',
  Webhooks: 'Outgoing webhook endpoints',
  Brand: 'Kit, members, API keys, audit log',
};

export const SCOPE_GROUPS: { group: string; summary: string; scopes: Scope[] }[] = [...new Set(ALL_SCOPES.map((s) => SCOPE_INFO[s].group))].map((group) => ({
  group,
  summary: GROUP_SUMMARY[group] ?? '',
  scopes: ALL_SCOPES.filter((s) => SCOPE_INFO[s].group === group),
}));
