/**
 * What `vnet check` prints: diagnostics and expectation verdicts as text or as the contract's JSON
 * (shared/vnet-language.md, "CLI contract"). Plain functions from data to strings.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { ExpectationResult, Hop } from '../engine/index.js';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticRecord {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  code: string | null;
  message: string;
}

export interface ExpectationRecord {
  file: string;
  line: number;
  column: number;
  source: string;
  destination: string;
  protocol: string;
  port: number | null;
  fromPort: number | null;
  /** `size N` of the statement; null when not given. */
  size: number | null;
  /** `ipv6` written in the statement (an IPv6 flow). */
  ipv6: boolean;
  expected: 'reachable' | 'unreachable';
  actual: 'reachable' | 'unreachable';
  holds: boolean;
  code: string | null;
  direction: 'forward' | 'return' | null;
  component: string | null;
  reason: string;
  hops: Hop[];
}

export interface CheckReport {
  diagnostics: DiagnosticRecord[];
  expectations: ExpectationRecord[];
}

const SEVERITIES: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

export function diagnosticRecord(file: string, d: Diagnostic): DiagnosticRecord {
  const dataCode = (d.data as { code?: unknown } | undefined)?.code;
  const code = d.code ?? dataCode;
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: SEVERITIES[d.severity ?? 1] ?? 'error',
    code: code === undefined || code === null ? null : String(code),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
}

export function expectationRecord(file: string, r: ExpectationResult): ExpectationRecord {
  const { expectation, result } = r;
  const start = expectation.origin?.start ?? { line: 0, character: 0 };
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    source: expectation.sourceText,
    destination: expectation.destinationText,
    protocol: expectation.protocol,
    port: expectation.port ?? null,
    fromPort: expectation.fromPort ?? null,
    size: expectation.size ?? null,
    ipv6: expectation.family === 6,
    expected: expectation.expected,
    actual: result.verdict,
    holds: r.holds,
    // The contract: null when the expectation holds with a reachable verdict.
    code: result.verdict === 'reachable' ? null : result.code,
    direction: result.direction,
    component: result.component ?? null,
    reason: result.reason,
    hops: result.hops,
  };
}

/** Exit status of `vnet check`: 0 when nothing is wrong, 1 otherwise. */
export function checkStatus(report: CheckReport): 0 | 1 {
  const failed = report.diagnostics.some((d) => d.severity === 'error') || report.expectations.some((e) => !e.holds);
  return failed ? 1 : 0;
}

export function renderCheckText(report: CheckReport): string {
  const out: string[] = [];
  for (const d of report.diagnostics) {
    out.push(`${d.file}:${d.line}:${d.column} ${d.severity}${d.code === null ? '' : ` ${d.code}`} ${d.message}`);
  }
  if (report.diagnostics.length > 0 && report.expectations.length > 0) out.push('');
  for (const e of report.expectations) {
    const statement = `expect ${e.source} -> ${e.destination}${e.ipv6 ? ' ipv6' : ''} ${e.protocol}${e.port === null ? '' : ` ${e.port}`}`
      + `${e.fromPort === null ? '' : ` from-port ${e.fromPort}`}${e.size === null ? '' : ` size ${e.size}`} ${e.expected}`;
    out.push(`${e.file}:${e.line}:${e.column} ${e.holds ? 'holds' : 'FAILS'}: ${statement}`);
    if (e.actual === 'unreachable') {
      const leg = e.direction === null ? '' : ` on the ${e.direction} path`;
      const at = e.component === null ? '' : ` at ${e.component}`;
      out.push(`    unreachable: dropped${at}${leg}${e.code === null ? '' : ` (${e.code})`}: ${e.reason}`);
    } else if (!e.holds) {
      out.push(`    reachable: ${e.reason}`);
    }
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = report.diagnostics.filter((d) => d.severity === 'warning').length;
  const holding = report.expectations.filter((e) => e.holds).length;
  out.push('');
  out.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}; `
    + `expectations holding: ${holding} of ${report.expectations.length}`);
  return out.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
