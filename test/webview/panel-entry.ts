/** Bundle entry for panel.test.ts: the real panel, with `vscode` resolved to the fake (same instance). */
export { PacketPathPanel } from '../../extension/packet-path-panel.js';
export * as vscode from './fake-vscode.js';
