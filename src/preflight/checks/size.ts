import postcss from 'postcss';
import type { MessageView } from '../dom.ts';
import { hit, kb, type Check, type CheckContext, type Hit } from './check.ts';

/** Gmail clips at ~102 KB of HTML; warn at 90 KB and fail at 100 KB to keep a margin (§5.1 #1). */
export const CLIP_WARNING_BYTES = 90 * 1024;
export const CLIP_ERROR_BYTES = 100 * 1024;
/** Gmail drops `<style>` content beyond about 16 KB (§5.1 #2). */
export const STYLE_LIMIT_BYTES = 16 * 1024;

/** Check 1: the final text/html part, as decoded, including tracking URLs and the footer. */
export const gmailClipCheck: Check = {
  id: 'size.gmail-clip',
  scope: 'persona',
  run(view: MessageView, ctx: CheckContext): Hit[] {
    let bytes = Buffer.byteLength(view.html);
    // The 'full' persona is also measured as sent: tracking rewrites make links longer.
    if (view.persona === 'full' && typeof ctx.sent.parsed.html === 'string') bytes = Math.max(bytes, Buffer.byteLength(ctx.sent.parsed.html));
    if (bytes < CLIP_WARNING_BYTES) return [];
    const critical = bytes >= CLIP_ERROR_BYTES;
    return [
      hit(
        critical ? 'critical' : 'important',
        `The HTML is ${kb(bytes)}; Gmail clips messages above about 102 KB and hides the rest (including the unsubscribe link) behind "View entire message".`,
        'Shorten the content, remove unused CSS and comments, or split it into two emails.',
        { excerpt: `${bytes.toLocaleString('en')} bytes` },
      ),
    ];
  },
};

/** Check 2: total `<style>` size, at-rules nested in at-rules, and CSS that does not parse. */
export const styleLimitCheck: Check = {
  id: 'css.gmail-style-limit',
  scope: 'message',
  run(view: MessageView): Hit[] {
    const hits: Hit[] = [];
    const blocks = view.$('style').toArray();
    const total = blocks.reduce((n, el) => n + Buffer.byteLength(view.$(el).text()), 0);
    if (total > STYLE_LIMIT_BYTES) {
      hits.push(hit('important', `<style> blocks total ${kb(total)}; Gmail drops style content beyond about 16 KB.`, 'Inline the CSS and keep only media queries and resets in <style>.', { el: blocks[0] }));
    }
    for (const el of blocks) {
      let root: postcss.Root;
      try {
        root = postcss.parse(view.$(el).text());
      } catch (err) {
        hits.push(hit('important', `A <style> block does not parse (${(err as Error).message.split('\n')[0]}); clients may drop all of it.`, 'Fix the CSS syntax.', { el }));
        continue;
      }
      root.walkAtRules((rule) => {
        if (rule.parent?.type === 'atrule') {
          const outer = rule.parent as postcss.AtRule;
          hits.push(
            hit('critical', `@${rule.name} is nested inside @${outer.name}; Gmail drops the whole <style> block when it sees an at-rule inside another.`, `Move @${rule.name} out of @${outer.name} to the top level.`, {
              el,
              excerpt: `@${outer.name} ${outer.params} { @${rule.name} … }`,
            }),
          );
        }
      });
    }
    return hits;
  },
};
