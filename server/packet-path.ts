/**
 * `vnet/packetPath`: the packet path of the `expect` statement at a position, as the engine
 * computed it in the latest analysis of the workspace (the same hops as the hover and the CLI).
 */
import type { Analysis } from '../engine/index.js';
import { expectationAt } from './expectation-at.js';
import type { PacketPath, PacketPathParams } from './protocol.js';

export function packetPath(analysis: Analysis, params: PacketPathParams, analysisVersion: number, documentText: string): PacketPath | null {
  const found = expectationAt(analysis, params.textDocument.uri, params.position);
  if (!found) return null;
  const { expectation, result, holds } = found;
  const origin = expectation.origin!;
  return {
    expectation: {
      uri: origin.uri,
      range: { start: origin.start, end: origin.end },
      text: textOf(documentText, origin.start, origin.end),
      source: expectation.sourceText,
      destination: expectation.destinationText,
      protocol: expectation.protocol,
      ...(expectation.port === undefined ? {} : { port: expectation.port }),
      expected: expectation.expected,
      holds,
    },
    result,
    analysisVersion,
  };
}

/** The statement's source text on one line (a statement may span lines; newlines are not significant). */
function textOf(text: string, start: { line: number; character: number }, end: { line: number; character: number }): string {
  const lines = text.split(/\r?\n/);
  const slice = start.line === end.line
    ? (lines[start.line] ?? '').slice(start.character, end.character)
    : [
      (lines[start.line] ?? '').slice(start.character),
      ...lines.slice(start.line + 1, end.line),
      (lines[end.line] ?? '').slice(0, end.character),
    ].join(' ');
  return slice.replace(/\s+/g, ' ').trim();
}
