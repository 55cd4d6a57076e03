/**
 * Code lenses above every `expect` statement: the verdict at a glance, and a click opens the
 * packet path view (command `vnet.showPacketPath` with the statement's URI and position).
 *
 *   ▶ path: reachable in 7 hops
 *   ✕ dropped at shop.edge rule 100 (SUBNET_ACL_RESTRICTION)
 */
import type { CodeLens } from 'vscode-languageserver';
import type { Analysis, ExpectationResult, TraceResult } from '../engine/index.js';
import { expectationsIn } from './expectation-at.js';

/** The client command a lens runs; the VS Code extension registers it. */
export const SHOW_PACKET_PATH_COMMAND = 'vnet.showPacketPath';

export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  return expectationsIn(analysis, uri).map((r) => {
    const start = r.expectation.origin!.start;
    return {
      range: { start, end: start },
      command: {
        title: codeLensTitle(r),
        command: SHOW_PACKET_PATH_COMMAND,
        arguments: [r.expectation.origin!.uri, start],
      },
    };
  });
}

/** The lens text; says when the verdict disagrees with the expectation. */
export function codeLensTitle(r: ExpectationResult): string {
  const verdict = verdictTitle(r.result);
  return r.holds ? verdict : `${verdict} — expected ${r.expectation.expected}`;
}

function verdictTitle(result: TraceResult): string {
  if (result.verdict === 'reachable') {
    const hops = result.hops.filter((h) => h.direction === 'forward').length;
    return `▶ path: reachable in ${hops} ${hops === 1 ? 'hop' : 'hops'}`;
  }
  const drop = [...result.hops].reverse().find((h) => h.action === 'drop');
  const component = result.component ?? drop?.component;
  const where = component === undefined ? 'dropped' : `dropped at ${component}`;
  const rule = ruleNumber(result.rule?.text ?? drop?.rule?.text);
  const code = result.code === null ? '' : ` (${result.code})`;
  const leg = result.direction === 'return' ? ' on the return path' : '';
  return `✕ ${where}${rule === undefined ? '' : ` rule ${rule}`}${code}${leg}`;
}

/** "inbound 100 allow tcp 443 from 0.0.0.0/0" → "100"; "* deny" → "*"; other rules have no number. */
function ruleNumber(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /^(?:inbound|outbound)\s+(\d+|\*)\s/.exec(text)?.[1];
}
