/**
 * The selected hop in detail: what decided, the header stacks on arrival and on leaving as nested
 * boxes (outermost header outside), each field labelled, fields this hop changed marked with their
 * old value, "modelled" on headers whose format AWS does not publish, and the leg's MTU.
 */
import type { Header, HeaderField, Hop } from '../../engine/path.js';
import type { Range } from '../../server/protocol.js';
import { h } from './dom.js';
import { verdictOf } from './verdict.js';

export interface DetailHandlers {
  reveal(uri: string, range: Range): void;
}

export function drawHopDetails(hop: Hop, hopIndex: number, handlers: DetailHandlers): HTMLElement {
  const verdict = verdictOf(hop.action);
  const section = h('section', { class: 'hop-details', attrs: { 'aria-label': `Hop ${hopIndex + 1} details`, 'data-hop': String(hopIndex) } });

  section.appendChild(h('h2', { class: 'hop-title' },
    h('span', { class: `verdict-chip verdict-${verdict.cls}`, text: `${verdict.glyph} ${hop.action}` }),
    ' ',
    h('span', { class: 'hop-component', text: hop.component }),
    ' ',
    h('span', { class: 'hop-meta', text: `#${hopIndex + 1} · ${hop.direction} · ${hop.kind}` })));
  section.appendChild(h('p', { class: 'hop-detail', text: hop.detail }));

  const facts = h('dl', { class: 'facts' });
  if (hop.code) addFact(facts, 'Explanation code', h('code', { class: 'code', text: hop.code }));
  if (hop.rule) {
    const origin = hop.rule.origin;
    addFact(facts, 'Rule', origin
      ? linkButton(hop.rule.text, 'rule-link', () => handlers.reveal(origin.uri, { start: origin.start, end: origin.end }))
      : h('span', { class: 'rule-text', text: hop.rule.text }));
  }
  const origin = hop.origin;
  addFact(facts, 'Component', origin
    ? linkButton(hop.component, 'component-link', () => handlers.reveal(origin.uri, { start: origin.start, end: origin.end }))
    : h('span', { text: hop.component }));
  addFact(facts, 'Place', h('span', { text: hop.place }));
  addFact(facts, 'Leg MTU', h('span', { class: 'mtu', text: hop.mtu !== undefined ? `${hop.mtu} bytes` : 'not sent onto a link here' }));
  section.appendChild(facts);

  const stacks = h('div', { class: 'stacks' });
  if (isDropAction(hop)) {
    stacks.appendChild(drawStack('On arrival (dropped here: nothing leaves)', 'stack-before', hop.headersBefore));
  } else if (sameStack(hop.headersBefore, hop.headers)) {
    stacks.appendChild(drawStack('Headers (unchanged by this hop)', 'stack-through', hop.headers));
  } else {
    stacks.appendChild(drawStack('On arrival', 'stack-before', hop.headersBefore));
    stacks.appendChild(drawStack('On leaving', 'stack-after', hop.headers, hop.headersBefore));
  }
  section.appendChild(stacks);
  return section;
}

function isDropAction(hop: Hop): boolean {
  return hop.action === 'drop' || hop.action === 'deny';
}

function addFact(list: HTMLElement, term: string, value: Node): void {
  list.appendChild(h('dt', { text: term }));
  list.appendChild(h('dd', {}, value));
}

function linkButton(text: string, cls: string, onClick: () => void): HTMLButtonElement {
  const button = h('button', { class: `link ${cls}`, text, attrs: { type: 'button', title: 'Show in the editor' } });
  button.addEventListener('click', onClick);
  return button;
}

function sameStack(a: Header[], b: Header[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Nested boxes, outermost header outside. `before` (the stack on arrival) supplies the old value of
 * each changed field: the header of the same kind at the same depth counted from the innermost
 * header, because hops add and remove encapsulation on the outside while the inner packet stays.
 */
function drawStack(title: string, cls: string, headers: Header[], before?: Header[]): HTMLElement {
  const container = h('div', { class: `stack ${cls}` }, h('h3', { text: title }));
  if (headers.length === 0) {
    container.appendChild(h('p', { class: 'empty', text: 'No headers recorded.' }));
    return container;
  }
  const total = headers.reduce((sum, header) => sum + header.bytes, 0);
  container.appendChild(h('p', { class: 'stack-total', text: `${headers.length} headers, ${total} bytes of headers` }));
  let parent: HTMLElement = container;
  headers.forEach((header, i) => {
    const previous = before ? counterpart(headers, i, before) : undefined;
    const box = drawHeader(header, previous, before && !previous ? replaced(headers, i, before) : undefined);
    parent.appendChild(box);
    parent = box;
  });
  return container;
}

const IP_KINDS = new Set(['ipv4', 'ipv6']);

/**
 * A header the packet did not have on arrival: the IP header of the other family it replaces (at the
 * same depth from the innermost header: NAT64 or a dual-stack load balancer turned IPv6 into IPv4), or
 * null when it was added (an encapsulation put around the packet).
 */
function replaced(stack: Header[], index: number, before: Header[]): Header | null {
  const kind = stack[index].kind;
  const other = before[before.length - stack.length + index];
  return other && IP_KINDS.has(kind) && IP_KINDS.has(other.kind) && other.kind !== kind ? other : null;
}

/** The header of `other` with the same kind as `stack[index]` and as many headers of that kind inside it. */
function counterpart(stack: Header[], index: number, other: Header[]): Header | undefined {
  const kind = stack[index].kind;
  const depth = stack.slice(index + 1).filter(header => header.kind === kind).length;
  const sameKind = other.filter(header => header.kind === kind);
  return sameKind[sameKind.length - 1 - depth];
}

/** `replaces`: undefined when the header is not new (or no arrival stack to compare), null when added. */
function drawHeader(header: Header, previous: Header | undefined, replaces?: Header | null): HTMLElement {
  const box = h('div', {
    class: `header header-${header.kind}${header.modelled ? ' modelled' : ''}${replaces !== undefined ? ' new-header' : ''}`,
    attrs: { 'data-kind': header.kind },
  });
  box.appendChild(h('div', { class: 'header-title' },
    h('span', { class: 'header-name', text: header.name }),
    header.modelled
      ? h('span', { class: 'badge badge-modelled', text: 'modelled', attrs: { title: 'AWS does not publish this format: vnet shows a model of it' } })
      : null,
    replaces
      ? h('span', { class: 'badge badge-replaces', text: `replaces ${replaces.name} (${replaces.bytes} B)`, attrs: { title: 'This hop translated the packet into another header' } })
      : replaces === null ? h('span', { class: 'badge badge-added', text: 'added', attrs: { title: 'This hop put this header around the packet' } }) : null,
    h('span', { class: 'header-bytes', text: `${header.bytes} B` })));
  const table = h('table', { class: 'fields' });
  for (const field of header.fields) table.appendChild(drawField(field, previous));
  if (header.fields.length > 0) box.appendChild(table);
  return box;
}

function drawField(field: HeaderField, previous: Header | undefined): HTMLTableRowElement {
  const old = field.changed ? previous?.fields.find(candidate => candidate.name === field.name) : undefined;
  const value = h('td', { class: 'field-value' });
  if (old && old.value !== field.value) {
    value.appendChild(h('del', { class: 'old-value', text: old.value }));
    value.appendChild(document.createTextNode(' → '));
  }
  value.appendChild(h('span', { class: 'new-value', text: field.value }));
  if (field.changed) value.appendChild(h('span', { class: 'badge badge-changed', text: 'changed' }));
  return h('tr', { class: field.changed ? 'field changed' : 'field', attrs: { 'data-field': field.name } },
    h('th', { class: 'field-name', text: field.name, attrs: { scope: 'row' } }),
    value);
}
