/**
 * The forwarding engine's public API. Pure TypeScript: no Langium, no LSP, no VS Code.
 *
 * compile() indexes a NetworkModel once; trace() walks one flow through it, forward then back;
 * analyze() does both for every expectation of the model.
 */
import type { EndpointRef, Expectation, NetworkModel, Protocol } from './model.js';
import type { Hop, TraceResult } from './path.js';
import { compile, type CompiledNetwork } from './compile.js';
import { trace as walk } from './walk.js';
import { Codes } from './codes.js';

export * from './model.js';
export * from './path.js';
export * from './ip.js';
export { compile, UNDECLARED_ACCOUNT } from './compile.js';
export type { CompiledNetwork } from './compile.js';
export { mappingEntry, type MappingEntry } from './mapping-service.js';
export { resolveEndpoint, endpointText } from './endpoints.js';
export { Codes } from './codes.js';
export { UNDERLAY_RANGE } from './ids.js';
export { VPC_MTU, INTERNET_MTU } from './walk.js';
export { renderTraceMarkdown, renderTraceText, renderMappingMarkdown } from './render.js';

export interface TraceQuery {
  source: EndpointRef;
  destination: EndpointRef;
  protocol: Protocol;
  port?: number;
  fromPort?: number;
  /** Packet size in bytes for the path-MTU check (`size N`, issue 4). */
  size?: number;
  /** Address family (Expectation.family); absent: from the endpoints. */
  family?: 4 | 6;
}

/** Walks the flow forward and, when it arrives, its reply back. Never throws. */
export function trace(network: CompiledNetwork, query: TraceQuery): TraceResult {
  return safeWalk(network, query, true);
}

function safeWalk(network: CompiledNetwork, query: TraceQuery, record: boolean): TraceResult {
  try {
    return walk(network, query, record);
  } catch (error) {
    // A last line of defence for the editor: a broken model must never take the server down.
    return {
      verdict: 'unreachable', code: Codes.INVALID_CONFIGURATION, direction: 'forward', component: 'engine',
      reason: `The engine could not analyse this flow: ${error instanceof Error ? error.message : String(error)}`,
      hops: [],
    };
  }
}

export interface ExpectationResult { expectation: Expectation; result: TraceResult; holds: boolean }
export interface Analysis { network: CompiledNetwork; results: ExpectationResult[] }

/**
 * The verdict now, the hops when first read: analyze() runs per keystroke over up to a thousand
 * expectations, and hops (details, header stacks) are read only for the paths someone looks at.
 * The walk is deterministic, so recording it later yields the path that decided the verdict.
 * `hops` is an enumerable accessor: JSON and spreads see a plain array.
 */
function lazyHops(network: CompiledNetwork, query: TraceQuery, verdict: TraceResult): TraceResult {
  let hops: Hop[] | undefined;
  return {
    ...verdict,
    get hops(): Hop[] { return hops ??= safeWalk(network, query, true).hops; },
    set hops(value: Hop[]) { hops = value; },
  };
}

/** Compiles the model and traces every expectation. */
export function analyze(model: NetworkModel): Analysis {
  const network = compile(model);
  const expectations = Array.isArray(model?.expectations) ? model.expectations.filter(e => e && typeof e === 'object') : [];
  const results = expectations.map(expectation => {
    const query: TraceQuery = {
      source: expectation.source, destination: expectation.destination, protocol: expectation.protocol,
      port: expectation.port, fromPort: expectation.fromPort, size: expectation.size,
    };
    if (expectation.family === 4 || expectation.family === 6) query.family = expectation.family;
    const result = lazyHops(network, query, safeWalk(network, query, false));
    return { expectation, result, holds: result.verdict === expectation.expected };
  });
  return { network, results };
}
