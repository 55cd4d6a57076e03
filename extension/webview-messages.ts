/**
 * Messages between the packet path panel (extension host) and its webview.
 *
 * One discriminated union per direction, imported by extension/packet-path-panel.ts and
 * extension/webview/main.ts, so both sides agree at compile time. The webview never speaks LSP:
 * the panel asks the language server (vnet/packetPath) and relays the answer here.
 */
import type { PacketPath, Range } from '../server/protocol.js';

/** Extension → webview. */
export type ToWebviewMessage =
  /** Draw this path (replaces the previous one; the webview keeps the selected hop when it still exists). */
  | { type: 'showPath'; path: PacketPath }
  /** Nothing to draw, and why (no `expect` under the cursor, the statement was deleted, the server failed). */
  | { type: 'noPath'; reason: string };

/** Webview → extension. */
export type FromWebviewMessage =
  /** The webview's script is running and listens; the panel (re)sends what it has. */
  | { type: 'ready' }
  /** Open `uri` in an editor and select `range` (a hop's deciding rule, else its component). */
  | { type: 'reveal'; uri: string; range: Range }
  /** The user selected hop number `hopIndex` (index into `result.hops`). */
  | { type: 'select'; hopIndex: number }
  /** Pinned: keep this expectation; unpinned: follow the `expect` under the editor's cursor. */
  | { type: 'pin'; pinned: boolean };

/** What the webview stores with vscode.setState; the panel serializer reads it after a window reload. */
export interface PacketPathViewState {
  path?: PacketPath;
  noPathReason?: string;
  pinned: boolean;
  selectedHop?: number;
}

export function isFromWebviewMessage(value: unknown): value is FromWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready': return true;
    case 'reveal': return typeof m.uri === 'string' && isRange(m.range);
    case 'select': return typeof m.hopIndex === 'number' && Number.isInteger(m.hopIndex) && m.hopIndex >= 0;
    case 'pin': return typeof m.pinned === 'boolean';
    default: return false;
  }
}

function isPosition(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return typeof p.line === 'number' && typeof p.character === 'number';
}

function isRange(value: unknown): value is Range {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return isPosition(r.start) && isPosition(r.end);
}
