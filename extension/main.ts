/**
 * The VS Code extension: starts the vnet language server and opens the packet path panel.
 *
 * Everything the user sees about a network (diagnostics, hovers, code lenses, paths) comes from the
 * language server; this file only connects VS Code to it and relays `vnet/analysisUpdated` to the
 * open panels. The webview never speaks LSP (the panel asks the server on its behalf).
 */
import * as vscode from 'vscode';
import {
  LanguageClient, TransportKind,
  type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { AnalysisUpdatedNotification, type Position } from '../server/protocol.js';
import { PacketPathPanel } from './packet-path-panel.js';

export const SHOW_PACKET_PATH = 'vnet.showPacketPath';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  // Registered before the client starts so a panel restored after a window reload finds it.
  PacketPathPanel.registerSerializer(context, client);
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_PACKET_PATH, (...args: unknown[]) => showPacketPath(context, args)),
  );
  await client.start();
  context.subscriptions.push(
    client.onNotification(AnalysisUpdatedNotification.type, () => PacketPathPanel.refreshAll()),
  );
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('out/language/main.cjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: 'vnet' }, { scheme: 'untitled', language: 'vnet' }],
  };
  // The id 'vnet' makes the client honour the `vnet.trace.server` setting.
  return new LanguageClient('vnet', 'VNet', serverOptions, clientOptions);
}

/**
 * The command is invoked three ways: from a code lens with `(uri, position)` of its `expect`, from
 * the editor title button or context menu with the editor's resource `Uri`, and from the command
 * palette with nothing. The last two use the cursor of the active vnet editor.
 */
function showPacketPath(context: vscode.ExtensionContext, args: unknown[]): void {
  if (!client) return;
  const [first, second] = args;
  if (typeof first === 'string' && isPosition(second)) {
    PacketPathPanel.show(context, client, first, second);
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'vnet') {
    void vscode.window.showInformationMessage('VNet: place the cursor on an `expect` statement in a .vnet file to see its packet path.');
    return;
  }
  const { line, character } = editor.selection.active;
  PacketPathPanel.show(context, client, editor.document.uri.toString(), { line, character });
}

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null
    && typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number';
}
