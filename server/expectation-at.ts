/**
 * Finding the engine's result for an `expect` statement by document and position.
 * Expectations carry their origin (document URI and 0-based range), so the server needs nothing
 * from the AST: the same lookup serves `vnet/packetPath` and the code lenses.
 */
import { URI } from 'langium';
import type { Analysis, ExpectationResult } from '../engine/index.js';
import type { Position } from './protocol.js';

/** One spelling per document: clients and Langium may encode the same URI differently. */
export function normalizeUri(uri: string): string {
  return URI.parse(uri).toString();
}

/** The results of the expectations declared in one document, in source order. */
export function expectationsIn(analysis: Analysis, uri: string): ExpectationResult[] {
  const wanted = normalizeUri(uri);
  return analysis.results
    .filter((r) => r.expectation.origin !== undefined && normalizeUri(r.expectation.origin.uri) === wanted)
    .sort((a, b) => comparePositions(a.expectation.origin!.start, b.expectation.origin!.start));
}

/**
 * The expectation whose statement contains the position (both ends inclusive, so a cursor just
 * after the statement still counts), or undefined.
 */
export function expectationAt(analysis: Analysis, uri: string, position: Position): ExpectationResult | undefined {
  return expectationsIn(analysis, uri).find((r) => {
    const { start, end } = r.expectation.origin!;
    return comparePositions(start, position) <= 0 && comparePositions(position, end) <= 0;
  });
}

function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}
