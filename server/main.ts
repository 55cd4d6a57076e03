/**
 * The vnet language server. This is the one file that binds the connection: Langium's standard
 * features (diagnostics, hover, completion, ...) through `startLanguageServer`, and the vnet
 * additions — code lenses, `vnet/packetPath`, `vnet/analysisUpdated` — whose logic lives in their
 * own files and never touches the connection.
 *
 * Transport from the command line: `--stdio`, `--node-ipc`, `--socket=<port>` or `--pipe=<name>`.
 */
import { DocumentState, isOperationCancelled, URI } from 'langium';
import { startLanguageServer, WorkspaceState } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import {
  CodeLensRefreshRequest, createConnection, LSPErrorCodes, ProposedFeatures, ResponseError,
  type CancellationToken, type ClientCapabilities, type Connection,
} from 'vscode-languageserver/node';
import { createVnetServices } from '../language/index.js';
import { codeLenses } from './code-lens.js';
import { packetPath } from './packet-path.js';
import {
  AnalysisUpdatedNotification, PacketPathRequest,
  type AnalysisUpdatedParams, type PacketPath, type PacketPathParams,
} from './protocol.js';
import { currentAnalysis } from './workspace-analysis.js';

const connection = createConnection(ProposedFeatures.all);
advertiseCodeLenses(connection);

const { shared, Vnet } = createVnetServices({ connection, ...NodeFileSystem });
let clientCapabilities: ClientCapabilities = {};
shared.lsp.LanguageServer.onInitialize((params) => { clientCapabilities = params.capabilities; });

// The engine analyses the whole workspace, so whatever shows its results waits until every
// document is validated, not only the one asked about.
startLanguageServer(shared, {
  HoverProvider: WorkspaceState.Validated,
});

// By method name: vscode-languageserver 10.1 ships its own vscode-jsonrpc (9.x), whose message types
// TypeScript does not equate with those of vscode-jsonrpc 10 that protocol.ts (shared with the
// client) is declared with; the method and payload types are the same.
connection.onRequest(PacketPathRequest.method, async (params: PacketPathParams, token: CancellationToken): Promise<PacketPath | null | ResponseError<void>> => {
  try {
    await shared.workspace.WorkspaceManager.ready;
    await shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, token);
    return await shared.workspace.WorkspaceLock.read(async () => {
      const document = shared.workspace.LangiumDocuments.getDocument(parseUri(params.textDocument.uri));
      if (!document) return null;
      const analysis = currentAnalysis(Vnet);
      return packetPath(analysis.analysis, params, analysis.version, document.textDocument.getText());
    });
  } catch (error) {
    return requestFailure(error);
  }
});

connection.onCodeLens(async (params, token) => {
  try {
    const enabled = await shared.workspace.ConfigurationProvider.getConfiguration('vnet', 'codeLens');
    if ((enabled as { enabled?: boolean } | undefined)?.enabled === false) return [];
    await shared.workspace.WorkspaceManager.ready;
    await shared.workspace.DocumentBuilder.waitUntil(DocumentState.Validated, token);
    return await shared.workspace.WorkspaceLock.read(async () => codeLenses(currentAnalysis(Vnet).analysis, params.textDocument.uri));
  } catch (error) {
    return requestFailure(error);
  }
});

// After every build the workspace has a new analysis: its diagnostics are published already
// (Langium sends them per document as it validates); tell clients to ask again for the rest.
// The analysis is computed here if no validation needed it (a workspace without expectations), so
// the version announced is the one `vnet/packetPath` answers carry until the next build.
shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, (documents) => {
  let version: number;
  try {
    version = currentAnalysis(Vnet).version;
  } catch (error) {
    // The diagnostics already say what is wrong with the files; an engine failure must not stop the server.
    console.error(`vnet: analysis failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return;
  }
  const update: AnalysisUpdatedParams = { analysisVersion: version, uris: documents.map((d) => d.uri.toString()) };
  void connection.sendNotification(AnalysisUpdatedNotification.method, update);
  if (clientCapabilities.workspace?.codeLens?.refreshSupport) {
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }
});

// A changed `vnet.codeLens.enabled` shows or hides the lenses at once.
shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate((update) => {
  if (update.section === 'vnet' && clientCapabilities.workspace?.codeLens?.refreshSupport) {
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }
});

/**
 * Langium announces code lenses only when a language registers a CodeLensProvider service; ours
 * is served by the handler above (it needs the workspace analysis, which only the server binds),
 * so the capability is added to Langium's answer to `initialize`. Must run before
 * startLanguageServer registers that answer.
 */
function advertiseCodeLenses(conn: Connection): void {
  const onInitialize = conn.onInitialize.bind(conn);
  conn.onInitialize = (handler) => onInitialize(async (params, token, progress) => {
    const result = await handler(params, token, progress);
    if (result instanceof ResponseError) return result;
    result.capabilities.codeLensProvider ??= { resolveProvider: false };
    return result;
  });
}

function parseUri(uri: string): URI {
  return URI.parse(uri);
}

/** A cancelled request answers as LSP expects; anything else fails this request, never the server. */
function requestFailure(error: unknown): ResponseError<void> {
  if (isOperationCancelled(error)) {
    return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request has been cancelled.');
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(`vnet: request failed: ${error instanceof Error && error.stack ? error.stack : message}`);
  return new ResponseError(LSPErrorCodes.RequestFailed, message);
}
