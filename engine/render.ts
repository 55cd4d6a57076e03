/**
 * Renders a TraceResult for people: Markdown for editor hovers, plain text for `vnet trace`.
 * Both show the same content: the verdict, a hop table, then each hop's header stack and leg MTU.
 */
import type { Header, Hop, TraceResult } from './path.js';
import type { MappingEntry } from './mapping-service.js';

const ARROW: Record<Hop['direction'], string> = { forward: '→', return: '←' };

function flowLine(result: TraceResult): string {
  const f = result.flow;
  if (!f) return '';
  const ported = f.protocol === 'tcp' || f.protocol === 'udp';
  const src = ported ? `${f.srcIp}:${f.srcPort}` : f.srcIp;
  const dst = ported ? `${f.dstIp}:${f.dstPort}` : f.dstIp;
  return `${f.protocol} ${src} → ${dst}`;
}

function verdictSentence(result: TraceResult): string {
  if (result.verdict === 'reachable') {
    return `reachable${result.pathMtu !== undefined ? ` (path MTU ${result.pathMtu})` : ''}: ${result.reason}`;
  }
  return `unreachable on the ${result.direction ?? 'forward'} path at ${result.component ?? '?'} (${result.code ?? 'no code'}): ${result.reason}`;
}

function decision(hop: Hop): string {
  return hop.code ? `${hop.action} (${hop.code})` : hop.action;
}

/** Escapes the characters that would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(text: string): string {
  return '`' + text.replace(/`/g, "'") + '`';
}

function headerMarkdown(h: Header): string {
  const fields = h.fields.map(f => (f.changed ? `**${f.name} ${code(f.value)} (changed)**` : `${f.name} ${code(f.value)}`)).join(', ');
  return `- ${h.modelled ? `*${h.name}*` : h.name} (${h.bytes} B): ${fields}`;
}

function headerText(h: Header): string {
  const fields = h.fields.map(f => `${f.name}=${f.value}${f.changed ? ' (changed)' : ''}`).join(' ');
  return `    ${h.name} [${h.bytes} B]: ${fields}`;
}

function stackChanged(hop: Hop): boolean {
  return hop.headers !== hop.headersBefore && hop.headers.length > 0;
}

export function renderTraceMarkdown(result: TraceResult, title?: string): string {
  const out: string[] = [];
  if (title) out.push(`**${cell(title)}**`, '');
  const verdict = result.verdict === 'reachable' ? '✅ **Reachable**' : '⛔ **Unreachable**';
  const flow = flowLine(result);
  out.push(`${verdict}${flow ? ` — ${code(flow)}` : ''}${result.verdict === 'reachable' && result.pathMtu !== undefined ? ` — path MTU ${result.pathMtu}` : ''}`);
  if (result.verdict === 'unreachable') {
    out.push('', `${result.direction === 'return' ? 'Return' : 'Forward'} path, ${code(result.component ?? '?')}${result.code ? ` — ${code(result.code)}` : ''}: ${result.reason}`);
    if (result.rule) out.push('', `Rule: ${code(result.rule.text)}`);
  }
  if (result.hops.length === 0) return out.join('\n');
  out.push('', '| # | dir | component | decision | rule |', '|---|---|---|---|---|');
  result.hops.forEach((hop, i) => {
    out.push(`| ${i + 1} | ${ARROW[hop.direction]} | ${code(hop.component)} | ${cell(decision(hop))} | ${hop.rule ? code(cell(hop.rule.text)) : ''} |`);
  });
  out.push('', '---', '');
  result.hops.forEach((hop, i) => {
    const mtu = hop.mtu !== undefined ? ` — leg MTU ${hop.mtu}` : '';
    out.push(`**${i + 1}. ${ARROW[hop.direction]} ${code(hop.component)}** ${hop.action}${mtu}  `);
    out.push(cell(hop.detail));
    if (stackChanged(hop)) {
      out.push('');
      for (const h of hop.headers) out.push(headerMarkdown(h));
    } else if (hop.headers.length > 0) {
      out.push('', '- headers unchanged');
    }
    out.push('');
  });
  out.push('*Modelled* headers: AWS does not publish the VPC encapsulation; the outer headers show a model of it.');
  return out.join('\n');
}

export function renderTraceText(result: TraceResult): string {
  const out: string[] = [];
  const flow = flowLine(result);
  if (flow) out.push(`flow: ${flow}`);
  out.push(`verdict: ${verdictSentence(result)}`);
  if (result.rule) out.push(`rule: ${result.rule.text}`);
  result.hops.forEach((hop, i) => {
    out.push('');
    const mtu = hop.mtu !== undefined ? `  [MTU ${hop.mtu}]` : '';
    out.push(`${String(i + 1).padStart(2)} ${ARROW[hop.direction]} ${hop.component}  ${decision(hop)}${mtu}`);
    out.push(`    ${hop.detail}`);
    if (hop.rule) out.push(`    rule: ${hop.rule.text}`);
    if (stackChanged(hop)) for (const h of hop.headers) out.push(headerText(h) + (h.modelled ? ' (modelled)' : ''));
  });
  return out.join('\n');
}

export function renderMappingMarkdown(entry: MappingEntry): string {
  const rows: [string, string][] = [
    ['VPC', `${entry.vpc} (${entry.vpcId})`],
    ['account / region', `${entry.account} / ${entry.region}`],
    ['subnet', `${entry.subnet} (${entry.subnetId}), ${entry.az}`],
    ['instance', `${entry.instance} (${entry.instanceId})`],
    ['interface', `${entry.interfaceId}, MAC ${entry.mac}`],
    ['private IP', entry.privateIp],
    ['public IP', entry.publicIp ?? '—'],
    ...(entry.ipv6 ? [['IPv6', entry.ipv6.join(', ')] as [string, string]] : []),
    ['host', `${entry.host}, underlay ${entry.underlayIp}`],
  ];
  return [
    `**Mapping service entry** for ${code(`${entry.vpc}.${entry.instance}`)}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${code(cell(v))} |`),
    '',
    '*Ids, MAC, host and underlay address are derived from the names (modelled, deterministic).*',
  ].join('\n');
}
