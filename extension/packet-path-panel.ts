/**
 * The packet path panel: a webview beside the editor drawing the path of one `expect` statement.
 *
 * The panel is the webview's only link to the language server: it asks `vnet/packetPath` for the
 * expectation it follows and posts the answer to the webview (messages in webview-messages.ts).
 * Unless pinned, it follows the `expect` under the editor's cursor; after every analysis
 * (`vnet/analysisUpdated`, relayed by extension/main.ts through `refreshAll`) it asks again. A
 * WebviewPanelSerializer revives the panel after a window reload from the state the webview saved.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PacketPathRequest, type PacketPath, type Position } from '../server/protocol.js';
import { createNonce, packetPathHtml } from './webview-html.js';
import { isFromWebviewMessage, type FromWebviewMessage, type PacketPathViewState, type ToWebviewMessage } from './webview-messages.js';

interface Target { uri: string; position: Position }

export class PacketPathPanel {
  static readonly viewType = 'vnet.packetPath';
  /** Wait this long after the last cursor move before asking the server (typing moves the cursor a lot). */
  static followDelayMs = 150;
  private static readonly panels = new Set<PacketPathPanel>();

  private target: Target | undefined;
  private pinned: boolean;
  private path: PacketPath | undefined;
  private lastMessage: ToWebviewMessage | undefined;
  /** Only the answer to the newest request is shown. */
  private requestSeq = 0;
  private followTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly selectedDecoration: vscode.TextEditorDecorationType;
  private selectedOrigin: { uri: string; range: vscode.Range } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  /** Opens (or reuses an unpinned) panel on the `expect` statement at `position`. */
  static show(context: vscode.ExtensionContext, client: LanguageClient, uri: string, position: Position): void {
    const reusable = [...PacketPathPanel.panels].find(panel => !panel.pinned);
    if (reusable) {
      reusable.panel.reveal(reusable.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
      reusable.follow({ uri, position }, 'show');
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      PacketPathPanel.viewType,
      'Packet path',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(context),
    );
    new PacketPathPanel(panel, context, client, { uri, position }, false);
  }

  /** Revives panels after a window reload (call once, in activate, before the client starts). */
  static registerSerializer(context: vscode.ExtensionContext, client: LanguageClient): vscode.Disposable {
    const registration = vscode.window.registerWebviewPanelSerializer(PacketPathPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const saved = isViewState(state) ? state : undefined;
        const expectation = saved?.path?.expectation;
        const target = expectation ? { uri: expectation.uri, position: expectation.range.start } : undefined;
        panel.webview.options = webviewOptions(context);
        new PacketPathPanel(panel, context, client, target, saved?.pinned ?? false);
      },
    });
    context.subscriptions.push(registration);
    return registration;
  }

  /** Asks again for every open panel (after `vnet/analysisUpdated`). */
  static refreshAll(): void {
    for (const panel of PacketPathPanel.panels) panel.request('refresh');
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
    target: Target | undefined,
    pinned: boolean,
  ) {
    this.target = target;
    this.pinned = pinned;
    this.selectedDecoration = vscode.window.createTextEditorDecorationType({
      backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
      isWholeLine: true,
    });
    PacketPathPanel.panels.add(this);

    const webview = panel.webview;
    const resource = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, 'out', 'webview', file)).toString();
    webview.html = packetPathHtml(webview.cspSource, createNonce(size => randomBytes(size)), resource('main.js'), resource('packet-path.css'));

    this.disposables.push(
      this.selectedDecoration,
      webview.onDidReceiveMessage(message => {
        if (isFromWebviewMessage(message)) void this.onMessage(message);
      }),
      panel.onDidDispose(() => this.dispose()),
      vscode.window.onDidChangeTextEditorSelection(event => this.onSelectionChanged(event)),
      vscode.workspace.onDidChangeTextDocument(event => this.onDocumentChanged(event)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
    );
    this.request('refresh');
  }

  private async onMessage(message: FromWebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // The page (re)loaded: give it what we have; it shows its saved state until then.
        if (this.lastMessage) void this.panel.webview.postMessage(this.lastMessage);
        return;
      case 'pin':
        this.pinned = message.pinned;
        return;
      case 'select': {
        const hop = this.path?.result.hops[message.hopIndex];
        const origin = hop?.origin;
        this.selectedOrigin = origin
          ? { uri: origin.uri, range: new vscode.Range(origin.start.line, origin.start.character, origin.end.line, origin.end.character) }
          : undefined;
        this.decorate();
        return;
      }
      case 'reveal': {
        const { start, end } = message.range;
        const range = new vscode.Range(start.line, start.character, end.line, end.character);
        const uri = vscode.Uri.parse(message.uri);
        const open = vscode.window.visibleTextEditors.find(editor => editor.document.uri.toString() === uri.toString());
        try {
          const editor = await vscode.window.showTextDocument(uri, {
            viewColumn: open?.viewColumn ?? vscode.ViewColumn.One,
            selection: range,
            // Keep the keyboard in the view, so arrow keys go on walking the path.
            preserveFocus: true,
          });
          editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        } catch (error) {
          void vscode.window.showWarningMessage(`VNet: cannot open ${message.uri}: ${errorText(error)}`);
        }
        return;
      }
    }
  }

  /** Unless pinned, follow the `expect` statement under the cursor of a vnet editor. */
  private onSelectionChanged(event: vscode.TextEditorSelectionChangeEvent): void {
    if (this.pinned || event.textEditor.document.languageId !== 'vnet') return;
    const { line, character } = event.selections[0]?.active ?? event.textEditor.selection.active;
    const target = { uri: event.textEditor.document.uri.toString(), position: { line, character } };
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = setTimeout(() => this.follow(target, 'cursor'), PacketPathPanel.followDelayMs);
  }

  /**
   * Keeps the followed position on its statement while lines are inserted or deleted above it, so the
   * next analysis answers for the same `expect` (its range in the last answer is out of date by then).
   */
  private onDocumentChanged(event: vscode.TextDocumentChangeEvent): void {
    const target = this.target;
    if (!target || event.document.uri.toString() !== target.uri) return;
    let line = target.position.line;
    for (const change of event.contentChanges) {
      if (change.range.end.line >= target.position.line) continue;
      const added = change.text.split('\n').length - 1;
      const removed = change.range.end.line - change.range.start.line;
      line += added - removed;
    }
    this.target = { uri: target.uri, position: { line: Math.max(0, line), character: target.position.character } };
  }

  private follow(target: Target, why: 'show' | 'cursor'): void {
    const previous = this.target;
    this.target = target;
    // Moving the cursor off every `expect` keeps the last path on screen; an explicit show says why not.
    this.request(why === 'cursor' ? 'cursor' : 'refresh', previous);
  }

  private request(why: 'refresh' | 'cursor', previous?: Target): void {
    const target = this.target;
    if (this.disposed) return;
    if (!target) {
      this.post({ type: 'noPath', reason: 'Put the cursor on an expect statement and run "VNet: Show Packet Path".' });
      return;
    }
    const seq = ++this.requestSeq;
    this.client.sendRequest(PacketPathRequest.type, { textDocument: { uri: target.uri }, position: target.position }).then(
      path => {
        if (seq !== this.requestSeq || this.disposed) return;
        if (!path) {
          if (why === 'cursor') {
            this.target = previous;
            return;
          }
          this.path = undefined;
          this.post({ type: 'noPath', reason: `There is no expect statement at ${describe(target)}.` });
          return;
        }
        const unchanged = this.path !== undefined && this.lastMessage?.type === 'showPath'
          && this.path.analysisVersion === path.analysisVersion
          && this.path.expectation.uri === path.expectation.uri
          && this.path.expectation.text === path.expectation.text
          && samePosition(this.path.expectation.range.start, path.expectation.range.start);
        this.target = { uri: path.expectation.uri, position: path.expectation.range.start };
        // The cursor moved within the statement shown, and nothing was re-analysed: nothing to redraw.
        if (unchanged) return;
        this.path = path;
        this.panel.title = `Packet path: ${path.expectation.source} → ${path.expectation.destination}`;
        this.post({ type: 'showPath', path });
        this.decorate();
      },
      error => {
        if (seq !== this.requestSeq || this.disposed) return;
        if (why === 'cursor') this.target = previous;
        this.post({ type: 'noPath', reason: `The language server could not compute the path: ${errorText(error)}` });
      },
    );
  }

  private post(message: ToWebviewMessage): void {
    this.lastMessage = message;
    void this.panel.webview.postMessage(message);
  }

  /** Marks the declaration of the selected hop's component in the editors that show it. */
  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const selected = this.selectedOrigin;
      editor.setDecorations(this.selectedDecoration,
        selected && editor.document.uri.toString() === selected.uri ? [selected.range] : []);
    }
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    PacketPathPanel.panels.delete(this);
    if (this.followTimer) clearTimeout(this.followTimer);
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }
}

function webviewOptions(context: vscode.ExtensionContext): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'out', 'webview')],
  };
}

function isViewState(value: unknown): value is PacketPathViewState {
  return typeof value === 'object' && value !== null && typeof (value as PacketPathViewState).pinned === 'boolean';
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}

function describe(target: Target): string {
  const file = target.uri.slice(target.uri.lastIndexOf('/') + 1);
  let name = file;
  try {
    name = decodeURIComponent(file);
  } catch {
    // A malformed escape: show the name as it is.
  }
  return `${name}:${target.position.line + 1}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
