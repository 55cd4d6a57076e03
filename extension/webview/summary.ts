/** The header line: the expectation, expected vs actual, whether it holds, and where the packet died. */
import type { PacketPath } from '../../server/protocol.js';
import { h } from './dom.js';

export interface SummaryHandlers {
  togglePin(): void;
}

export function drawSummary(path: PacketPath, pinned: boolean, handlers: SummaryHandlers): HTMLElement {
  const { expectation, result } = path;
  const header = h('header', { class: `summary ${expectation.holds ? 'holds' : 'fails'}` });

  const pin = pinButton(pinned, handlers);
  header.appendChild(h('div', { class: 'summary-line' },
    h('code', { class: 'expectation', text: expectation.text }),
    h('span', {
      class: `badge ${expectation.holds ? 'badge-holds' : 'badge-fails'}`,
      text: expectation.holds ? '✓ holds' : '✕ does not hold',
    }),
    pin));

  header.appendChild(h('p', { class: 'verdicts' },
    'Expected ', h('strong', { class: 'expected', text: expectation.expected }),
    ', actual ', h('strong', { class: `actual actual-${result.verdict}`, text: result.verdict }),
    result.flow ? h('span', { class: 'flow', text: ` · ${describeFlow(result.flow)}` }) : null));

  if (result.verdict === 'unreachable') {
    header.appendChild(h('p', { class: 'drop-summary' },
      '✕ Dropped',
      result.component ? ' at ' : '', result.component ? h('strong', { class: 'drop-component', text: result.component }) : null,
      result.direction ? ` on the ${result.direction} path` : '',
      result.code ? ' · ' : '', result.code ? h('code', { class: 'code', text: result.code }) : null,
      h('span', { class: 'reason', text: ` — ${result.reason}` })));
    if (result.rule) header.appendChild(h('p', { class: 'drop-rule' }, 'Rule: ', h('span', { class: 'rule-text', text: result.rule.text })));
  } else {
    const forward = result.hops.filter(hop => hop.direction === 'forward').length;
    const back = result.hops.length - forward;
    header.appendChild(h('p', { class: 'ok-summary', text: `✓ Reachable: ${forward} hops out, ${back} back. ${result.reason}` }));
  }
  return header;
}

export function pinButton(pinned: boolean, handlers: SummaryHandlers): HTMLButtonElement {
  const pin = h('button', {
    class: 'pin',
    text: pinned ? 'Pinned' : 'Pin',
    attrs: {
      type: 'button',
      'aria-pressed': String(pinned),
      title: pinned ? 'Pinned to this expectation; click to follow the cursor again' : 'Follows the expect under the cursor; click to keep this one',
    },
  });
  pin.addEventListener('click', () => handlers.togglePin());
  return pin;
}

function describeFlow(flow: NonNullable<PacketPath['result']['flow']>): string {
  const src = flow.srcPort !== undefined ? `${flow.srcIp}:${flow.srcPort}` : flow.srcIp;
  const dst = flow.dstPort !== undefined ? `${flow.dstIp}:${flow.dstPort}` : flow.dstIp;
  return `${flow.protocol} ${src} → ${dst}`;
}
