/**
 * A minimal LSP client for tests: spawns the bundled language server over stdio and speaks real
 * JSON-RPC (vscode-jsonrpc). Waits are "until the server says so" (the mocha timeout bounds them);
 * nothing asserts on elapsed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  DidChangeTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializedNotification, InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest,
  type Diagnostic, type InitializeResult, type Position,
} from 'vscode-languageserver-protocol';
import { AnalysisUpdatedNotification, type AnalysisUpdatedParams } from '../../server/protocol.js';

export function fileUri(path: string): string {
  return pathToFileURL(path).toString();
}

/** The position of `match` in `text` (its first occurrence), plus `offset` characters into it. */
export function positionOf(text: string, match: string, offset = 0): Position {
  const index = text.indexOf(match);
  if (index < 0) throw new Error(`'${match}' not found in the document`);
  const before = text.slice(0, index + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

interface Waiter<T> { test: (value: T) => boolean; resolve: (value: T) => void }

export class LspSession {
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly analysisUpdates: AnalysisUpdatedParams[] = [];
  readonly stderr: string[] = [];
  codeLensRefreshes = 0;
  private readonly process: ChildProcess;
  private readonly diagnosticWaiters: Array<Waiter<{ uri: string; diagnostics: Diagnostic[] }>> = [];
  private readonly updateWaiters: Array<Waiter<AnalysisUpdatedParams>> = [];
  private versions = new Map<string, number>();
  exited: Promise<number | null>;

  constructor(serverBundle: string) {
    this.process = spawn(process.execPath, [serverBundle, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('client/unregisterCapability', () => null);
    this.connection.onRequest('workspace/codeLens/refresh', () => { this.codeLensRefreshes++; return null; });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics }) => {
      this.diagnostics.set(uri, diagnostics);
      this.settle(this.diagnosticWaiters, { uri, diagnostics });
    });
    this.connection.onNotification(AnalysisUpdatedNotification.type, (params) => {
      this.analysisUpdates.push(params);
      this.settle(this.updateWaiters, params);
    });
    this.connection.listen();
  }

  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async initialize(workspaceFolders: string[]): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspaceFolders.map((path) => ({ uri: fileUri(path), name: path })),
      capabilities: {
        workspace: { workspaceFolders: true, codeLens: { refreshSupport: true } },
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          publishDiagnostics: { relatedInformation: true },
          codeLens: {},
        },
      },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  async open(uri: string, text: string): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'vnet', version: 1, text },
    });
  }

  /** Replaces the whole text of an open document. */
  async change(uri: string, text: string): Promise<void> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version }, contentChanges: [{ text }],
    });
  }

  /** Resolves with the first diagnostics published for `uri` (from now on) that satisfy `test`. */
  nextDiagnostics(uri: string, test: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    return new Promise((resolve) => this.diagnosticWaiters.push({
      test: (p) => p.uri === uri && test(p.diagnostics),
      resolve: (p) => resolve(p.diagnostics),
    }));
  }

  /** Resolves with the latest diagnostics of `uri` once they satisfy `test` (now or later). */
  diagnosticsWhen(uri: string, test: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const current = this.diagnostics.get(uri);
    if (current && test(current)) return Promise.resolve(current);
    return this.nextDiagnostics(uri, test);
  }

  nextAnalysisUpdate(test: (p: AnalysisUpdatedParams) => boolean = () => true): Promise<AnalysisUpdatedParams> {
    return new Promise((resolve) => this.updateWaiters.push({ test, resolve }));
  }

  async shutdown(): Promise<void> {
    if (!this.alive) return;
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    await this.exited;
    this.connection.dispose();
  }

  kill(): void {
    if (this.alive) this.process.kill();
    this.connection.dispose();
  }

  private settle<T>(waiters: Array<Waiter<T>>, value: T): void {
    for (const waiter of [...waiters]) {
      if (waiter.test(value)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(value);
      }
    }
  }
}
