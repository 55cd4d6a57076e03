/** How each hop action reads in the view: a class for its colour and a glyph, so colour is never the only cue. */
import type { HopAction } from '../../engine/path.js';

export type VerdictClass = 'pass' | 'fail' | 'translate' | 'neutral';

const VERDICT: Readonly<Record<HopAction, { cls: VerdictClass; glyph: string }>> = {
  send: { cls: 'neutral', glyph: '▸' },
  allow: { cls: 'pass', glyph: '✓' },
  deliver: { cls: 'pass', glyph: '✓' },
  deny: { cls: 'fail', glyph: '✕' },
  drop: { cls: 'fail', glyph: '✕' },
  translate: { cls: 'translate', glyph: '⇄' },
  route: { cls: 'neutral', glyph: '→' },
  forward: { cls: 'neutral', glyph: '→' },
  lookup: { cls: 'neutral', glyph: '?' },
  encapsulate: { cls: 'neutral', glyph: '+' },
  decapsulate: { cls: 'neutral', glyph: '−' },
};

export function verdictOf(action: HopAction): { cls: VerdictClass; glyph: string } {
  return VERDICT[action] ?? { cls: 'neutral', glyph: '·' };
}
