import type { ComponentType } from 'react';
import {
  IconAddressBook,
  IconBan,
  IconBrush,
  IconChartDots3,
  IconFileImport,
  IconFileExport,
  IconHistory,
  IconInbox,
  IconKey,
  IconLayoutGrid,
  IconMail,
  IconPlugConnected,
  IconSend,
  IconStack2,
  IconTags,
  IconToggleRight,
  IconUsersGroup,
  IconWorldWww,
} from '@tabler/icons-react';

export interface Section {
  path: string;
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  /** What the section is for, in one sentence (shown under the page title). */
  summary: string;
  /** What you will be able to do there; shown while the section is being built. */
  capabilities: string[];
  /** Spec reference, e.g. "S3". */
  spec: string;
}

export interface NavGroup {
  label: string | null;
  sections: Section[];
}

export const NAV: NavGroup[] = [
  {
    label: 'Audience',
    sections: [
      {
        path: '/audience/contacts',
        label: 'Contacts',
        icon: IconAddressBook,
        spec: 'S2.1',
        summary: 'Everyone you can email, with their subscription status, consent and history.',
        capabilities: [
          'Email, names, phone, country, language and time zone, plus typed custom fields',
          'Status: subscribed, unsubscribed, non-subscribed, bounced or complained, with consent source and time',
          'Validation flag with a reason: syntax, disposable domain, role address, no MX',
          'An activity timeline for every contact',
        ],
      },
      {
        path: '/audience/import',
        label: 'Import',
        icon: IconFileImport,
        spec: 'S2.2',
        summary: 'Bring contacts in from CSV or JSON, and export them back out.',
        capabilities: [
          'CSV from Excel or LibreOffice (any delimiter, quoting and BOM) and JSON bulk',
          'Columns mapped automatically; unknown columns become custom fields',
          'Skip or update existing contacts, tag everyone on the way in',
          'A result for every row — imported, updated, skipped or failed with the reason',
        ],
      },
      {
        path: '/audience/tags',
        label: 'Tags',
        icon: IconTags,
        spec: 'S2.3',
        summary: 'Label contacts with coloured tags and see how many carry each one.',
        capabilities: ['Name, colour and description for each tag', 'Live counts', 'Send a campaign or start a series for a tag'],
      },
      {
        path: '/audience/segments',
        label: 'Segments',
        icon: IconChartDots3,
        spec: 'S2.3',
        summary: 'Saved filters that stay live as your audience changes.',
        capabilities: [
          'Nested AND/OR rules on tags, status, validation and any contact or custom field',
          'Relative dates such as “in the last 30 days”',
          'Engagement: received, opened, clicked, bounced or unsubscribed — or not',
          'Count and preview in well under a second, even at a million contacts',
        ],
      },
      {
        path: '/audience/topics',
        label: 'Topics',
        icon: IconToggleRight,
        spec: 'S2.4',
        summary: 'Subscription preferences your contacts can opt in to or out of.',
        capabilities: ['Default opt-in or opt-out, public or private', 'Campaigns carry a topic; marketing sends skip contacts who opted out'],
      },
      {
        path: '/audience/suppression',
        label: 'Suppression',
        icon: IconBan,
        spec: 'S2.5',
        summary: 'Addresses that must never receive marketing email.',
        capabilities: ['Bounces, complaints, unsubscribes and manual entries with source and date', 'Checked before every marketing send', 'Per-contact data export and erasure (GDPR)'],
      },
    ],
  },
  {
    label: 'Create and send',
    sections: [
      {
        path: '/emails',
        label: 'Emails',
        icon: IconMail,
        spec: 'S3–S4',
        summary: 'Write, generate and check emails built from structured blocks.',
        capabilities: [
          'Sections and blocks — heading, text, button, image, columns, social, footer — compiled to email-safe HTML',
          'Generate a complete email from a prompt and your brand kit, or edit one by instruction',
          'Import HTML, MJML or .eml; every save is a version you can compare or restore',
          'Preflight on the final message: a score, findings by severity and one-click fixes',
          'Device previews at desktop and mobile widths, light and dark, and test sends',
        ],
      },
      {
        path: '/campaigns',
        label: 'Campaigns',
        icon: IconSend,
        spec: 'S5',
        summary: 'Deliver one approved email to one audience — now, or at a scheduled time.',
        capabilities: [
          'Pick an email, a segment or tag, a topic and a provider; send now or schedule in any time zone',
          'Preflight runs before send; critical findings block',
          'Every skipped recipient is listed with exactly one reason',
          'Live progress with an ETA, then opens, clicks, bounces and per-link results — machine opens shown apart',
        ],
      },
      {
        path: '/series',
        label: 'Series',
        icon: IconStack2,
        spec: 'S6',
        summary: 'Plan several related emails from one brief and run them as a drip.',
        capabilities: [
          'Welcome flows, onboarding, launch arcs, nurture paths and winbacks of 1–12 emails',
          'Add, remove and reorder steps, change offsets, or edit every email at once by instruction',
          'Run for an audience or as an automation, at each contact’s send hour and time zone',
          'A visible trail for each enrolment and per-step analytics',
        ],
      },
      {
        path: '/canvas',
        label: 'Canvas',
        icon: IconLayoutGrid,
        spec: 'S7',
        summary: 'A zoomable planning surface for every email, series and campaign of the brand.',
        capabilities: [
          'Live email thumbnails; series drawn as chains labelled with their day offsets',
          'Campaigns with their dates, plus sticky notes, pasted HTML, images and links',
          'Drag an email within a chain to reorder it; edit an offset right on the edge',
        ],
      },
      {
        path: '/exports',
        label: 'Exports',
        icon: IconFileExport,
        spec: 'S8',
        summary: 'Take emails and whole series to other platforms.',
        capabilities: [
          'Files: HTML, MJML, plain text, .eml, ZIP, PDF and PNG',
          'Klaviyo, Mailchimp, HubSpot, Brevo and SendGrid, with merge tags translated',
          'Push with an API key: re-exports update the remote template instead of duplicating it',
        ],
      },
      {
        path: '/inbox',
        label: 'Inbox',
        icon: IconInbox,
        spec: 'S9.1',
        summary: 'The built-in capture inbox: every message sent without a provider lands here.',
        capabilities: ['Read captured messages as recipients would see them, like Mailpit', 'Inspect headers, the plain-text part and the raw source', 'Safe by default: nothing leaves the machine until a provider is configured'],
      },
    ],
  },
  {
    label: 'Settings',
    sections: [
      { path: '/settings/brand', label: 'Brand kit', icon: IconBrush, spec: 'S1.1', summary: 'Colours, fonts, logo, voice and sender details used by every email of this brand.', capabilities: [] },
      { path: '/settings/providers', label: 'Providers', icon: IconPlugConnected, spec: 'S9.1', summary: 'The services that deliver your email, and the built-in capture inbox that keeps it on this machine.', capabilities: [] },
      { path: '/settings/domains', label: 'Domains', icon: IconWorldWww, spec: 'S9.3', summary: 'The domains you send from: the DNS records to publish, their verification and sending health.', capabilities: [] },
      { path: '/settings/members', label: 'Members', icon: IconUsersGroup, spec: 'S1.2', summary: 'Who can use this brand, and what they may do.', capabilities: [] },
      { path: '/settings/api-keys', label: 'API keys', icon: IconKey, spec: 'S1.3', summary: 'Keys for the REST API, the CLI and the MCP server, each with its own scopes.', capabilities: [] },
      { path: '/settings/audit', label: 'Audit log', icon: IconHistory, spec: 'S1.2', summary: 'Who sent, scheduled, changed or deleted what, newest first.', capabilities: [] },
    ],
  },
];

export const ALL_SECTIONS: Section[] = NAV.flatMap((g) => g.sections);

export const sectionAt = (path: string): Section => {
  const found = ALL_SECTIONS.find((s) => s.path === path);
  if (!found) throw new Error(`no section at ${path}`);
  return found;
};

export const HOME_PATH = '/audience/contacts';
