import type { Brand, BrandColors, BrandKitInput } from '../../api.ts';

/** The brand kit as the form edits it: every field a string, colours flattened. */
export interface KitDraft {
  name: string;
  colors: BrandColors;
  headingFont: string;
  bodyFont: string;
  logoUrl: string;
  voice: string;
  fromName: string;
  fromEmail: string;
  replyTo: string;
  postalAddress: string;
  defaultLanguage: string;
  timeZone: string;
  knowledge: string;
}

export const COLOR_ROLES: { key: keyof BrandColors; label: string; description: string }[] = [
  { key: 'primary', label: 'Primary', description: 'Buttons, links and this app’s accent' },
  { key: 'secondary', label: 'Secondary', description: 'Supporting highlights' },
  { key: 'accent', label: 'Accent', description: 'Badges and call-outs' },
  { key: 'text', label: 'Text', description: 'Body copy' },
  { key: 'background', label: 'Background', description: 'Behind the email' },
];

export const FONT_STACKS = [
  'Helvetica, Arial, sans-serif',
  'Inter, Helvetica, Arial, sans-serif',
  'Verdana, Geneva, sans-serif',
  '"Trebuchet MS", Tahoma, sans-serif',
  'Lato, Helvetica, Arial, sans-serif',
  'Montserrat, Helvetica, Arial, sans-serif',
  'Georgia, serif',
  '"Times New Roman", Times, serif',
  'Merriweather, Georgia, serif',
  '"Playfair Display", Georgia, serif',
  '"Courier New", Courier, monospace',
];

export const LANGUAGES = ['en', 'en-US', 'en-GB', 'fr', 'de', 'es', 'es-MX', 'it', 'pt', 'pt-BR', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'tr', 'ja', 'ko', 'zh-CN', 'zh-TW'];

export function draftOf(b: Brand): KitDraft {
  return {
    name: b.name,
    colors: { ...b.colors },
    headingFont: b.headingFont,
    bodyFont: b.bodyFont,
    logoUrl: b.logoUrl ?? '',
    voice: b.voice,
    fromName: b.fromName,
    fromEmail: b.fromEmail,
    replyTo: b.replyTo ?? '',
    postalAddress: b.postalAddress,
    defaultLanguage: b.defaultLanguage,
    timeZone: b.timeZone,
    knowledge: b.knowledge,
  };
}

/** The PATCH body: optional links become null when emptied; required fields go as typed so the server can say what is wrong. */
export function patchOf(d: KitDraft): BrandKitInput {
  return {
    ...d,
    name: d.name.trim(),
    logoUrl: d.logoUrl.trim() === '' ? null : d.logoUrl.trim(),
    replyTo: d.replyTo.trim() === '' ? null : d.replyTo.trim(),
    fromEmail: d.fromEmail.trim(),
    fromName: d.fromName.trim(),
  };
}

export const sameDraft = (a: KitDraft, b: KitDraft) => JSON.stringify(a) === JSON.stringify(b);

export const KIT_FIELDS = [
  'name',
  'colors.primary',
  'colors.secondary',
  'colors.text',
  'colors.background',
  'colors.accent',
  'headingFont',
  'bodyFont',
  'logoUrl',
  'voice',
  'fromName',
  'fromEmail',
  'replyTo',
  'postalAddress',
  'defaultLanguage',
  'timeZone',
  'knowledge',
] as const;

let zones: string[] | null = null;
/** IANA zones known to this browser, with the brand's current zone kept even if the browser lacks it. */
export function timeZones(current: string): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones.includes(current) ? zones : [current, ...zones];
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
export function languageName(tag: string): string {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
