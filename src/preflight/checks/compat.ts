import { caniemail } from 'caniemail';
import postcss from 'postcss';
import type { Element } from 'domhandler';
import { isElement, type MessageView } from '../dom.ts';
import { hit, type Check, type CheckContext, type Hit } from './check.ts';

/**
 * Check 3, `compat.client-support`: HTML and CSS features the email uses that email clients drop,
 * from the Can I Email data (the `caniemail` package), weighted by how many opens each client has.
 *
 * caniemail walks every node for every client, which is slow on a real email (≈ 75 ms for 40 KB).
 * What it detects depends only on the tag, the attribute names (and a few values), each CSS
 * declaration, selector and at-rule, so we hand it a skeleton with each distinct one once and
 * map its answers back to the first element that has it.
 */

/**
 * Share of opens per client. Families from Litmus' client market share (April 2025, quoted in
 * reference/preflight.md §1.2: Apple Mail ≈ 49 %, Gmail ≈ 28 %, Outlook ≈ 8 %, Yahoo ≈ 3 %); the
 * split inside a family and the small clients are our estimates. Normalised below.
 */
const OPENS: Record<string, number> = {
  'apple-mail.ios': 34,
  'apple-mail.macos': 15,
  'gmail.desktop-webmail': 12,
  'gmail.android': 8,
  'gmail.ios': 7,
  'gmail.mobile-webmail': 1,
  'outlook.windows': 4,
  'outlook.windows-mail': 1,
  'outlook.macos': 1,
  'outlook.ios': 1,
  'outlook.android': 1,
  'yahoo.desktop-webmail': 2,
  'yahoo.ios': 0.5,
  'yahoo.android': 0.5,
  'samsung-email.android': 1.5,
  'aol.desktop-webmail': 0.5,
  'aol.ios': 0.25,
  'aol.android': 0.25,
  'thunderbird.macos': 0.5,
  'protonmail.desktop-webmail': 0.1,
  'protonmail.ios': 0.1,
  'protonmail.android': 0.1,
  'fastmail.desktop-webmail': 0.1,
  'hey.desktop-webmail': 0.1,
  'mail-ru.desktop-webmail': 0.2,
  'orange.desktop-webmail': 0.1,
  'orange.ios': 0.1,
  'orange.android': 0.1,
  'sfr.desktop-webmail': 0.1,
  'sfr.ios': 0.1,
  'sfr.android': 0.1,
  'laposte.desktop-webmail': 0.1,
};
const TOTAL_OPENS = Object.values(OPENS).reduce((a, b) => a + b, 0);
const shareOf = (clients: Iterable<string>) => [...clients].reduce((s, c) => s + (OPENS[c] ?? 0), 0) / TOTAL_OPENS;

const FAMILY: Record<string, string> = {
  'apple-mail': 'Apple Mail',
  gmail: 'Gmail',
  outlook: 'Outlook',
  yahoo: 'Yahoo Mail',
  'samsung-email': 'Samsung Email',
  aol: 'AOL',
  thunderbird: 'Thunderbird',
  protonmail: 'Proton Mail',
  fastmail: 'Fastmail',
  hey: 'HEY',
  'mail-ru': 'Mail.ru',
  orange: 'Orange',
  sfr: 'SFR',
  laposte: 'La Poste',
};
const PLATFORM: Record<string, string> = { ios: 'iOS', android: 'Android', macos: 'macOS', windows: 'Windows', 'windows-mail': 'Windows Mail', 'desktop-webmail': 'webmail', 'mobile-webmail': 'mobile webmail' };
const clientName = (c: string) => {
  const [family, platform] = c.split('.');
  return `${FAMILY[family] ?? family} (${PLATFORM[platform] ?? platform})`;
};

/**
 * Features whose absence changes nothing a reader sees, or that other checks own: selectors and
 * `@media` degrade to the inlined styles (compiled email is inlined), `<style>` limits are check 2,
 * dark-mode queries check 31, and accessibility hints (role, aria-*, lang, dir) are simply ignored.
 */
const HARMLESS = new Set([
  '<body> element',
  '<style> element',
  '<div> element',
  'HTML comments',
  'target attribute',
  'role attribute',
  'lang attribute',
  'dir attribute',
  'title attribute',
  'cursor',
  '!important keyword',
  'Class selector',
  'Type selector',
  'ID selector',
  'Descendant combinator',
  'Child combinator',
  'Chaining selectors',
  'Grouping selectors',
  'Attribute selector',
  ':hover',
  '@media',
  'display:none',
]);
const isHarmless = (title: string) => HARMLESS.has(title) || title.startsWith('aria-') || title.startsWith('@media (');

/** Features that move or size things: if they are dropped the layout breaks, not just the polish. */
const LAYOUT = /^(display|position|float|flex|grid|columns?\b|column-|width|max-width|min-width|height|max-height|min-height|margin|padding|left, right, top, bottom)/;

/** Thresholds (ours, after reference/preflight.md §5.1 #3): share of opens that do not support a feature. */
const IMPORTANT_SHARE = 0.1;
const CRITICAL_LAYOUT_SHARE = 0.2;
const SUGGESTED_SHARE = 0.05;

interface SkeletonLine {
  el: Element;
  where: string;
  /** The CSS property of a declaration line: caniemail matches property titles by substring. */
  property?: string;
}

/** Attributes whose value changes what caniemail detects; every other value is irrelevant to it. */
const normaliseAttr = (name: string, value: string) => {
  if (name === 'href') return value.startsWith('#') ? '#' : /^mailto:/i.test(value) ? 'mailto:x' : 'x';
  if (name === 'type') return value.toLowerCase().replace(/[^a-z]/g, '');
  return 'x';
};

/** The shape caniemail needs to detect each at-rule (it only looks at the rule's type). */
const AT_RULE_LINES: Record<string, string> = {
  media: '@media x{}',
  'font-face': '@font-face{}',
  import: '@import url(x);',
  keyframes: '@keyframes x{}',
  supports: '@supports (x:y){}',
  charset: '@charset "x";',
  page: '@page{}',
  namespace: '@namespace x;',
};

/** Every skeleton entry must stay on one line: caniemail reports positions as line numbers. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const declarationKey = (prop: string, value: string) => {
  const p = prop.toLowerCase();
  return /^-?[a-z][a-z0-9-]*$/.test(p) ? `${p}:${oneLine(value).replace(/["<>]/g, "'")}` : null;
};

function skeleton(view: MessageView) {
  const htmlLines: string[] = [];
  const htmlAt: SkeletonLine[] = [];
  const seen = new Set<string>();
  const declarations = new Map<string, SkeletonLine>();
  const add = (line: string, at: SkeletonLine) => {
    if (seen.has(line)) return;
    seen.add(line);
    htmlLines.push(line);
    htmlAt.push(at);
  };
  for (const el of view.$('*').toArray()) {
    if (!isElement(el) || el.name === 'style' || el.name === 'script' || !/^[a-z][a-z0-9:-]*$/i.test(el.name)) continue;
    const attrs = Object.entries(el.attribs)
      .filter(([name]) => name !== 'style' && /^[a-z][\w:-]*$/i.test(name))
      .map(([name, value]) => `${name}="${normaliseAttr(name, value)}"`)
      .sort()
      .join(' ');
    add(`<${el.name}${attrs ? ' ' + attrs : ''}></${el.name}>`, { el, where: `<${el.name}>` });
    // Hidden elements (the preheader) lay nothing out: how a client treats their styles is moot.
    if (view.hiddenReason(el)) continue;
    for (const [prop, value] of view.style(el)) {
      const key = declarationKey(prop, value);
      if (key && !declarations.has(key)) declarations.set(key, { el, where: `style="${key}"`, property: prop });
    }
  }
  const cssLines: string[] = [];
  const cssAt: SkeletonLine[] = [];
  const addCss = (line: string, at: SkeletonLine) => {
    if (seen.has(line)) return;
    seen.add(line);
    cssLines.push(line);
    cssAt.push(at);
  };
  for (const styleEl of view.$('style').toArray()) {
    let root: postcss.Root;
    try {
      root = postcss.parse(view.$(styleEl).text());
    } catch {
      continue; // a <style> that does not parse is reported by css.gmail-style-limit
    }
    root.walkRules((rule) => addCss(`${oneLine(rule.selector)}{}`, { el: styleEl, where: rule.selector }));
    root.walkDecls((d) => {
      const key = declarationKey(d.prop, d.value);
      if (key && !declarations.has(key)) declarations.set(key, { el: styleEl, where: `${d.prop}: ${d.value}`, property: d.prop.toLowerCase() });
    });
    root.walkAtRules((a) => {
      const line = AT_RULE_LINES[a.name.toLowerCase()];
      if (line) addCss(line, { el: styleEl, where: `@${a.name} ${a.params}` });
    });
  }
  for (const [key, at] of declarations) add(`<x-decl style="${key}"></x-decl>`, at);
  return { htmlLines, htmlAt, cssLines, cssAt };
}

interface FeatureUse {
  title: string;
  unsupported: Set<string>;
  at: SkeletonLine;
}

/** caniemail matches property titles ("height property") by substring, so `line-height` hits "height". */
function reallyUses(title: string, at: SkeletonLine): boolean {
  if (!at.property) return true;
  const bare = title.replace(/ (shorthand|property)$/, '');
  if (bare === 'left, right, top, bottom') return ['left', 'right', 'top', 'bottom'].includes(at.property);
  return /^[a-z-]+$/.test(bare) ? bare === at.property : true;
}

type LineVerdict = Map<string, string[]>; // feature title → clients without support

/**
 * What caniemail says about each skeleton line, kept for the life of the process: the answer for
 * a line never changes, and emails of one brand share most of their lines (same template), so a
 * re-run after an edit only asks about the lines the edit introduced. Bounded; cleared when full.
 */
const verdicts = new Map<string, LineVerdict>();
const MAX_VERDICTS = 20_000;

function verdictsFor(lines: string[], kind: 'html' | 'css'): LineVerdict[] {
  let fresh = [...new Set(lines.filter((l) => !verdicts.has(kind + l)))];
  if (verdicts.size + fresh.length > MAX_VERDICTS) {
    verdicts.clear();
    fresh = [...new Set(lines)];
  }
  if (fresh.length > 0) {
    let found: LineVerdict[];
    try {
      found = ask(fresh, kind);
    } catch {
      // One line caniemail's parser chokes on must not cost the others their answers.
      found = fresh.map((line) => {
        try {
          return ask([line], kind)[0];
        } catch {
          return new Map();
        }
      });
    }
    fresh.forEach((line, i) => verdicts.set(kind + line, found[i]));
  }
  return lines.map((l) => verdicts.get(kind + l)!);
}

function ask(lines: string[], kind: 'html' | 'css'): LineVerdict[] {
  const found = lines.map((): LineVerdict => new Map());
  const result = caniemail({ clients: ['*'], [kind]: lines.join('\n') });
  for (const [client, issues] of result.issues.errors) {
    for (const issue of issues) {
      // At-rule issues carry no position: they belong to the line of that at-rule.
      const index = issue.position ? issue.position.start.line - 1 : lines.indexOf(AT_RULE_LINES[issue.title.slice(1).split(' ')[0]] ?? '');
      const verdict = found[index];
      if (verdict) verdict.set(issue.title, [...(verdict.get(issue.title) ?? []), client]);
    }
  }
  return found;
}

function collect(lines: string[], at: SkeletonLine[], kind: 'html' | 'css', into: Map<string, FeatureUse>) {
  verdictsFor(lines, kind).forEach((verdict, i) => {
    for (const [title, clients] of verdict) {
      if (isHarmless(title) || !reallyUses(title, at[i])) continue;
      const use = into.get(title) ?? { title, unsupported: new Set<string>(), at: at[i] };
      for (const c of clients) use.unsupported.add(c);
      into.set(title, use);
    }
  });
}

/** Features used and the clients that do not support them at all. */
export function unsupportedFeatures(view: MessageView): FeatureUse[] {
  const s = skeleton(view);
  const uses = new Map<string, FeatureUse>();
  collect(s.htmlLines, s.htmlAt, 'html', uses);
  collect(s.cssLines, s.cssAt, 'css', uses);
  return [...uses.values()];
}

const pct = (share: number) => `${Math.round(share * 100)} %`;

function describeClients(clients: Set<string>): string {
  const names = [...clients].sort((a, b) => (OPENS[b] ?? 0) - (OPENS[a] ?? 0)).map(clientName);
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

export const compatCheck: Check = {
  id: 'compat.client-support',
  scope: 'message',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    const hits: Hit[] = [];
    const minor: string[] = [];
    for (const f of unsupportedFeatures(view)) {
      const share = shareOf(f.unsupported);
      const where = { el: f.at.el, excerpt: f.at.where };
      if (share >= IMPORTANT_SHARE) {
        const layout = LAYOUT.test(f.title);
        const severity = layout && share > CRITICAL_LAYOUT_SHARE ? 'critical' : 'important';
        hits.push(
          hit(
            severity,
            `\`${f.title}\` is not supported by ${pct(share)} of opens (${describeClients(f.unsupported)})${layout ? '; the layout will break there' : ''}.`,
            layout ? 'Use table-based layout (or a fallback for Outlook and Gmail) instead of this feature.' : 'Remove it or add a fallback that those clients understand.',
            where,
          ),
        );
      } else if (share >= SUGGESTED_SHARE) minor.push(`\`${f.title}\` (${describeClients(f.unsupported)})`);
    }
    // Block emails are compiled by us with fallbacks for these; only hand-written code gets the list.
    if (minor.length > 0 && ctx.input.email.format !== 'blocks') {
      hits.push(hit('suggested', `Some clients ignore: ${minor.join('; ')}.`, 'Check the previews in those clients, or provide fallbacks (for example VML or conditional comments for Outlook).'));
    }
    return hits;
  },
};
