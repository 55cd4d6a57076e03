/**
 * Loads the files of the command line as one vnet workspace, with the same language services as
 * the language server, and builds it (parse, link, validate, analyse).
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import type { Analysis } from '../engine/index.js';
import { createVnetServices } from '../language/index.js';
import { currentAnalysis } from '../server/workspace-analysis.js';
import type { InputFile } from './files.js';
import { normalizeUri } from '../server/expectation-at.js';

export interface LoadedWorkspace {
  analysis: Analysis;
  /** Diagnostics per file, in file order. */
  diagnostics: Array<{ file: InputFile; diagnostics: Diagnostic[] }>;
  /** The file a document URI (as the engine's origins spell it) belongs to. */
  fileOf(uri: string): InputFile | undefined;
}

export async function loadWorkspace(files: readonly InputFile[]): Promise<LoadedWorkspace> {
  // No file system access: the CLI already read exactly the files the user named.
  const { shared, Vnet } = createVnetServices(EmptyFileSystem);
  const documents: LangiumDocument[] = files.map((file) => {
    const document = shared.workspace.LangiumDocumentFactory.fromString(file.text, URI.file(file.absolute));
    shared.workspace.LangiumDocuments.addDocument(document);
    return document;
  });
  await shared.workspace.DocumentBuilder.build(documents, { validation: true });

  const byUri = new Map<string, InputFile>();
  documents.forEach((document, i) => byUri.set(normalizeUri(document.uri.toString()), files[i]));
  return {
    analysis: currentAnalysis(Vnet).analysis,
    diagnostics: documents.map((document, i) => ({
      file: files[i],
      diagnostics: [...(document.diagnostics ?? [])].sort(
        (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character),
    })),
    fileOf: (uri) => byUri.get(normalizeUri(uri)),
  };
}
