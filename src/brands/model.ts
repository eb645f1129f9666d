import { z } from 'zod';

export const ROLES = ['manager', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = [
  'audience:read',
  'audience:write',
  'email:read',
  'email:write',
  'email:send',
  'email:validate',
  'email:preview',
  'campaign:read',
  'campaign:write',
  'series:read',
  'series:write',
  'export',
  'webhook:read',
  'webhook:write',
  'brand:write',
] as const;
export type Scope = (typeof SCOPES)[number];

const READ_SCOPES: Scope[] = SCOPES.filter((s) => s.endsWith(':read') || s === 'email:preview' || s === 'email:validate');

/** What each role may do, expressed in the same scopes API keys carry, so one check serves both. */
export function scopesForRole(role: Role): Scope[] {
  switch (role) {
    case 'manager':
      return [...SCOPES];
    case 'editor':
      // Editors may write and send, but not change brand settings or members (S1.2).
      return SCOPES.filter((s) => s !== 'brand:write');
    case 'commenter':
    case 'viewer':
      return READ_SCOPES;
  }
}

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');

export const BrandColors = z.object({
  primary: hex,
  secondary: hex,
  text: hex,
  background: hex,
  accent: hex,
});
export type BrandColors = z.infer<typeof BrandColors>;

export const DEFAULT_COLORS: BrandColors = {
  primary: '#2f6fed',
  secondary: '#14b8a6',
  text: '#1f2933',
  background: '#ffffff',
  accent: '#f59e0b',
};

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/Paris');

export const BrandInput = z.object({
  name: z.string().trim().min(1, 'is required').max(120),
  colors: BrandColors.partial().optional(),
  headingFont: z.string().max(120).optional(),
  bodyFont: z.string().max(120).optional(),
  logoUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  voice: z.string().max(4000).optional(),
  fromName: z.string().trim().min(1).max(120).optional(),
  fromEmail: z.email('must be an email address').optional(),
  replyTo: z.email('must be an email address').nullable().optional(),
  postalAddress: z.string().max(500).optional(),
  defaultLanguage: z.string().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or pt-BR').optional(),
  timeZone: timeZone.optional(),
  knowledge: z.string().max(20000).optional(),
});
export type BrandInput = z.infer<typeof BrandInput>;

export interface Brand {
  id: string;
  name: string;
  colors: BrandColors;
  headingFont: string;
  bodyFont: string;
  logoUrl: string | null;
  voice: string;
  fromName: string;
  fromEmail: string;
  replyTo: string | null;
  postalAddress: string;
  defaultLanguage: string;
  timeZone: string;
  knowledge: string;
  createdAt: string;
  updatedAt: string;
}

export const PasswordSchema = z.string().min(10, 'must be at least 10 characters').max(200);

export const UserInput = z.object({
  email: z.email('must be an email address').transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1, 'is required').max(120),
  password: PasswordSchema,
});
export type UserInput = z.infer<typeof UserInput>;

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface Membership {
  brandId: string;
  brandName: string;
  role: Role;
}

export const ApiKeyInput = z.object({
  name: z.string().trim().min(1, 'is required').max(120),
  scopes: z.array(z.enum(SCOPES)).min(1, 'needs at least one scope'),
});
export type ApiKeyInput = z.infer<typeof ApiKeyInput>;

export interface ApiKey {
  id: string;
  brandId: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Who is making a request, resolved once by the HTTP layer (or the CLI) and passed to services. */
export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
}

export interface AuthContext {
  brandId: string;
  actor: Actor;
  scopes: ReadonlySet<Scope>;
  role: Role | null;
}
