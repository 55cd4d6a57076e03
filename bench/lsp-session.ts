/**
 * A language client for the benchmark: spawns the bundled server (out/language/main.cjs --stdio),
 * speaks JSON-RPC to it the way an editor does, and timestamps every notification it receives, so
 * that the benchmark can measure from "edit sent" to "diagnostics published".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification,
  InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest,
  type Diagnostic, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol';
import { AnalysisUpdatedNotification, type AnalysisUpdatedParams } from '../server/protocol.js';

export interface Published { at: number; uri: string; diagnostics: Diagnostic[] }
export interface Analysed { at: number; params: AnalysisUpdatedParams }

export interface SessionOptions {
  serverPath: string;
  workspaceDir: string;
  /** Extra node flags for the server process, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Where the server's stderr goes. */
  stderr?: 'inherit' | 'ignore';
}

export class LspSession {
  readonly published: Published[] = [];
  readonly analysed: Analysed[] = [];
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly proc: ChildProcess;
  private readonly conn: MessageConnection;
  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  private exited = false;

  constructor(private readonly options: SessionOptions) {
    this.proc = spawn(process.execPath, [...(options.nodeFlags ?? []), options.serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', options.stderr ?? 'inherit'],
      cwd: options.workspaceDir,
    });
    this.proc.on('exit', () => { this.exited = true; this.wake(); });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      this.published.push({ at: performance.now(), uri: p.uri, diagnostics: p.diagnostics });
      this.diagnostics.set(p.uri, p.diagnostics);
      this.wake();
    });
    this.conn.onNotification(AnalysisUpdatedNotification.type, (p) => {
      this.analysed.push({ at: performance.now(), params: p });
      this.wake();
    });
    // What VS Code answers: no settings, accept dynamic registrations, ignore refresh requests.
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.onRequest('workspace/semanticTokens/refresh', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.listen();
  }

  get pid(): number | undefined { return this.proc.pid; }

  uriOf(fileName: string): string {
    return pathToFileURL(`${this.options.workspaceDir}/${fileName}`).toString();
  }

  async initialize(): Promise<void> {
    const root = pathToFileURL(this.options.workspaceDir).toString();
    await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: root,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
      workspaceFolders: [{ uri: root, name: 'bench' }],
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  async open(fileName: string, text: string): Promise<void> {
    const uri = this.uriOf(fileName);
    this.versions.set(uri, 1);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'vnet', version: 1, text },
    });
  }

  /** Replaces one whole line (0-based) of an open document, as an incremental change. */
  async replaceLine(fileName: string, line: number, oldText: string, newText: string): Promise<void> {
    const uri = this.uriOf(fileName);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{
        range: { start: { line, character: 0 }, end: { line, character: oldText.length } },
        text: newText,
      }],
    });
  }

  /** Sends a request and returns its result and how long the answer took (ms). */
  async timedRequest<R>(method: string, params: unknown): Promise<{ result: R; ms: number }> {
    const t = performance.now();
    const result = await this.conn.sendRequest<R>(method, params);
    return { result, ms: performance.now() - t };
  }

  /** Resolves when `done()` holds, checking after every notification; rejects after `timeoutMs`. */
  waitFor(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.waiters.delete(check); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
      const check = () => {
        if (this.exited) { clearTimeout(timer); this.waiters.delete(check); reject(new Error(`server exited while waiting for ${what}`)); return; }
        if (done()) { clearTimeout(timer); this.waiters.delete(check); resolve(); }
      };
      this.waiters.add(check);
    });
  }

  /** Resolves once no notification arrived for `quietMs`. */
  async settle(quietMs: number): Promise<void> {
    for (;;) {
      const before = this.published.length + this.analysed.length;
      await new Promise((r) => setTimeout(r, quietMs));
      if (this.published.length + this.analysed.length === before) return;
    }
  }

  async close(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 5000))]);
        await this.conn.sendNotification(ExitNotification.type);
      } catch { /* the server is gone already */ }
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 5000))]);
      if (!this.exited) this.proc.kill('SIGKILL');
    }
    this.conn.dispose();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
