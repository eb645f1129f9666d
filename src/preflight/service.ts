import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../app/config.ts';
import type { AuthContext, Brand } from '../brands/model.ts';
import { parseInput } from '../brands/service.ts';
import type { AudienceService } from '../audience/service.ts';
import type { EmailsService } from '../emails/service.ts';
import { unknownVariables } from '../emails/compile.ts';
import { prepareMessage } from '../emails/render.ts';
import { toMime } from '../emails/mime.ts';
import { sampleRecipient } from '../emails/personas.ts';
import { PERSONAS, type CompiledEmail, type Email } from '../emails/model.ts';
import type { Store } from '../store/db.ts';
import type { Clock } from '../shared/clock.ts';
import { DomainError, invalid, notFound } from '../shared/errors.ts';
import { fromJson, toJson } from '../shared/json.ts';
import { FixInput, FIX_IDS, PREVIEW_NOTE, RunInput, type DevicePreview, type FixId, type PreflightInput, type PreflightReport, type ReachabilityOptions } from './model.ts';
import { findingsOf, prepareContext } from './runner.ts';
import { spamFindings, spamScore, type SpamOptions } from './spam.ts';
import { countsOf, scoreOf } from './score.ts';
import { attachAutofixes, FIXES, fixPatch } from './fixes.ts';
import { renderPreviews } from './previews.ts';
import { preflightRepo as repo } from './repo.ts';

/** What preflight needs of the Composer: subject ideas for the "shorten the subject" fix. */
export interface SubjectWriter {
  subjects(auth: AuthContext, emailId: string, input: unknown): Promise<{ subjects: Array<{ subject: string; preheader: string }> }>;
}

export interface PreflightOptions {
  store: Store;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'dataDir' | 'dkim' | 'preflight'>;
  /** Signs the tracking and unsubscribe links of the rendered personas, as a real send would. */
  secret: string;
  emails: EmailsService;
  audience: Pick<AudienceService, 'listFields'>;
  composer?: SubjectWriter;
  /** Test seams: the spam engine's binary, the DNS resolver of reachability checks, Chromium's path. */
  spam?: SpamOptions;
  lookup?: ReachabilityOptions['lookup'];
  chromiumPath?: string;
}

const PREVIEW_FILE = /^(\d+)-(600|375)-(light|dark)\.png$/;
/** Message-IDs of preflight renders: never a real send's, so tracking can tell them apart. */
const PREFLIGHT_MESSAGE_ID = 'preflight';

/**
 * Email Preflight (S4): runs every check on the email as it would be sent, for three personas,
 * plus the spam score; keeps the latest report per version; applies one-click fixes; draws device
 * previews.
 */
export class PreflightService {
  constructor(private opts: PreflightOptions) {
    // Reports go with the email (a foreign key); preview images are files and need removing here.
    opts.emails.onRemoved((_brandId, emailId) => this.removePreviews(emailId));
  }

  private get db() {
    return this.opts.store.db;
  }

  async run(auth: AuthContext, emailId: string, input: unknown = {}): Promise<PreflightReport> {
    const { online } = parseInput(RunInput, input ?? {});
    const started = performance.now();
    const { email, brand, compiled } = await this.opts.emails.compiled(auth.brandId, emailId);
    const checkInput = await preflightInput({
      email,
      brand,
      compiled,
      knownFields: (await this.opts.audience.listFields(auth.brandId)).map((f) => f.key),
      publicUrl: this.opts.config.publicUrl,
      secret: this.opts.secret,
      dkim: this.opts.config.dkim,
      now: this.opts.clock.now(),
      online: (online ?? this.opts.config.preflight.online) ? { allowPrivateHosts: this.opts.config.preflight.allowPrivateHosts, lookup: this.opts.lookup } : undefined,
    });
    const ctx = await prepareContext(checkInput);
    // SpamAssassin takes seconds in its own process; the checks run meanwhile.
    const spamRun = spamScore(ctx, this.opts.spam);
    const findings = await findingsOf(ctx);
    const checksMs = performance.now() - started;
    const spam = await spamRun;
    findings.push(...spamFindings(spam));
    const final = attachAutofixes(findings, email, { composer: !!this.opts.composer });
    const { ms: spamMs, ...spamReport } = spam;
    const report: PreflightReport = {
      emailId: email.id,
      version: email.version,
      score: scoreOf(final),
      ranAt: this.opts.clock.now().toISOString(),
      online: !!checkInput.online,
      spam: spamReport,
      counts: countsOf(final),
      findings: final,
      timings: { checksMs: Math.round(checksMs), spamMs: Math.round(spamMs) },
    };
    await this.save(auth.brandId, report);
    return report;
  }

  private async save(brandId: string, report: PreflightReport): Promise<void> {
    await repo.save(this.db, {
      email_id: report.emailId,
      version: report.version,
      brand_id: brandId,
      score: report.score,
      critical: report.counts.critical,
      important: report.counts.important,
      suggested: report.counts.suggested,
      report: toJson(report),
      ran_at: report.ranAt,
    });
    await this.opts.emails.recordPreflight(brandId, report.emailId, { score: report.score, ...report.counts, at: report.ranAt });
  }

  async latest(brandId: string, emailId: string): Promise<PreflightReport> {
    const row = await repo.latest(this.db, brandId, emailId);
    const report = row ? fromJson<PreflightReport | null>(row.report, null) : null;
    if (!report) throw notFound('preflight report for email', emailId);
    return report;
  }

  /** Applies one fix as a new version of the email ("preflight fix: …") and checks it again. */
  async applyFix(auth: AuthContext, emailId: string, input: unknown): Promise<{ email: Email; report: PreflightReport }> {
    if (!auth.scopes.has('email:write')) throw new DomainError('forbidden', 'applying a fix changes the email: it needs the email:write scope');
    const { fixId } = parseInput(FixInput, input);
    if (!(FIX_IDS as readonly string[]).includes(fixId)) throw invalid('fixId', `unknown fix "${fixId}" (one of ${FIX_IDS.join(', ')})`);
    const id = fixId as FixId;
    const current = await this.opts.emails.get(auth.brandId, emailId);
    const composer = this.opts.composer;
    const patch = await fixPatch(id, current, composer ? { subjects: async () => (await composer.subjects(auth, emailId, { count: 5 })).subjects } : {});
    if (!patch) throw invalid('fixId', `"${id}" has nothing to change in this email`);
    const email = await this.opts.emails.update(auth, emailId, patch, `preflight fix: ${FIXES[id].label}`);
    return { email, report: await this.run(auth, emailId) };
  }

  /** Screenshots at 600 and 375 px, light and dark, of the current version. */
  async previews(auth: AuthContext, emailId: string): Promise<{ previews: DevicePreview[]; note: string }> {
    const message = await this.opts.emails.renderPreview(auth.brandId, emailId, { persona: 'full', tracking: false });
    const email = await this.opts.emails.get(auth.brandId, emailId);
    const shots = await renderPreviews(
      message.html,
      { dir: this.previewDir(emailId), prefix: String(email.version) },
      { allowPrivateHosts: this.opts.config.preflight.allowPrivateHosts, lookup: this.opts.lookup, chromiumPath: this.opts.chromiumPath },
    ).catch((err: Error) => {
      throw new DomainError('internal', `device previews failed: ${err.message}`);
    });
    return {
      previews: shots.map((s) => ({ width: s.width, scheme: s.scheme, url: `/api/v1/emails/${emailId}/previews/${path.basename(s.file)}` })),
      note: PREVIEW_NOTE,
    };
  }

  /** The path of a stored preview image of one of the brand's emails. */
  async previewFile(brandId: string, emailId: string, file: string): Promise<string> {
    await this.opts.emails.get(brandId, emailId);
    const full = path.join(this.previewDir(emailId), file);
    if (!PREVIEW_FILE.test(file) || !fs.existsSync(full)) throw notFound('preview', file);
    return full;
  }

  private async removePreviews(emailId: string): Promise<void> {
    await fs.promises.rm(this.previewDir(emailId), { recursive: true, force: true });
  }

  private previewDir(emailId: string): string {
    // Email ids are our own (eml_…); the check keeps a forged one from walking out of the folder.
    if (!/^[A-Za-z0-9_-]+$/.test(emailId)) throw notFound('email', emailId);
    return path.join(this.opts.config.dataDir, 'previews', emailId);
  }
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

export interface InputSources {
  email: Email;
  brand: Brand;
  compiled: CompiledEmail;
  /** The brand's custom field keys: merge tags for anything else are undefined. */
  knownFields: string[];
  publicUrl: string;
  secret: string;
  dkim: Config['dkim'];
  now: Date;
  online?: ReachabilityOptions;
}

/**
 * What the checks read: each persona rendered as a recipient would get it (tracking off, so links
 * show where they go), and the 'full' persona as it is sent (tracked links, open pixel) in MIME.
 */
export async function preflightInput(src: InputSources): Promise<PreflightInput> {
  const { email, brand, compiled } = src;
  const prepared = prepareMessage(compiled);
  const renderOptions = { baseUrl: src.publicUrl, secret: src.secret, brand };
  const personas = PERSONAS.map((persona) => {
    const recipient = sampleRecipient(null, persona);
    return { persona, recipient, message: prepared.render(recipient, { ...renderOptions, tracking: false }) };
  });
  const sent = prepared.render({ ...personas[0].recipient, messageId: PREFLIGHT_MESSAGE_ID }, { ...renderOptions, tracking: true });
  const mime = await toMime(sent, { messageIdDomain: domainOf(sent.from.email), date: src.now, dkim: src.dkim });
  return {
    email: { category: email.category, language: email.language, format: email.format, document: email.document, source: email.source },
    brand: { name: brand.name, postalAddress: brand.postalAddress },
    publicUrl: src.publicUrl,
    dkimDomain: src.dkim?.domain ?? null,
    personas,
    mime,
    unknownVariables: unknownVariables(compiled, src.knownFields),
    ...(src.online ? { online: src.online } : {}),
  };
}
