/**
 * The custom `vnet/*` protocol between the language server and its clients.
 *
 * Declared once here; the server (server/) and the VS Code client (extension/) import this file,
 * and docs/protocol.md documents it for other editors' authors (a test fails when they drift).
 * Payloads are plain JSON: the hop list is the engine's own `TraceResult` (engine/path.ts).
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { TraceResult } from '../engine/path.js';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

/** Parameters of `vnet/packetPath`: the `expect` statement at (or containing) this position. */
export interface PacketPathParams {
  textDocument: { uri: string };
  position: Position;
}

/** One `expect` statement and the engine's verdict for it. */
export interface PacketPathExpectation {
  uri: string;
  /** Range of the whole `expect` statement. */
  range: Range;
  /** The statement's text, e.g. "expect client -> web tcp 443 reachable". */
  text: string;
  source: string;
  destination: string;
  protocol: string;
  port?: number;
  expected: 'reachable' | 'unreachable';
  holds: boolean;
}

export interface PacketPath {
  expectation: PacketPathExpectation;
  /** The packet's journey, forward then return; the same hops the hover and `vnet trace` show. */
  result: TraceResult;
  /** Increases with every analysis of the workspace; lets clients drop stale answers. */
  analysisVersion: number;
}

/**
 * Sent from the client to the server to get the packet path of the `expect` statement at a position.
 * Answers null when there is no `expect` statement there.
 */
export namespace PacketPathRequest {
  export const method: 'vnet/packetPath' = 'vnet/packetPath';
  export const type = new RequestType<PacketPathParams, PacketPath | null, void>(method);
}

export interface AnalysisUpdatedParams {
  /** The new analysis version (see PacketPath.analysisVersion). */
  analysisVersion: number;
  /** The documents whose analysis results were recomputed. */
  uris: string[];
}

/**
 * Sent from the server to the client after each analysis of the workspace (after the diagnostics
 * of that analysis were published), so that open packet-path views can ask again.
 */
export namespace AnalysisUpdatedNotification {
  export const method: 'vnet/analysisUpdated' = 'vnet/analysisUpdated';
  export const type = new NotificationType<AnalysisUpdatedParams>(method);
}
