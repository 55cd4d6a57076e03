/**
 * Shared set-up for the language tests: one set of services per test file, documents built
 * together as one workspace, positions from `<|>` markers.
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { clearDocuments, replaceIndices } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver';
import { readFileSync } from 'node:fs';
import { createVnetServices } from '../../language/vnet-module.js';

export function createServices() {
    return createVnetServices(EmptyFileSystem);
}

export type Services = ReturnType<typeof createServices>;

/** The Part 1 contract example of ../shared/vnet-language.md, verbatim. */
export const CONTRACT = readFileSync(new URL('./fixtures/contract.vnet', import.meta.url), 'utf8');

/** Builds several documents together, as one workspace (file name → text). */
export async function buildWorkspace(services: Services, files: Record<string, string>): Promise<LangiumDocument[]> {
    const { shared } = services;
    const docs = Object.entries(files).map(([name, text]) =>
        shared.workspace.LangiumDocumentFactory.fromString(text, URI.parse(`file:///ws/${name}`)));
    for (const doc of docs) shared.workspace.LangiumDocuments.addDocument(doc);
    await shared.workspace.DocumentBuilder.build(docs, { validation: true });
    return docs;
}

/** Removes every document (call in afterEach). */
export async function reset(services: Services): Promise<void> {
    await clearDocuments(services.shared);
}

/** Text without markers and the offsets of its `<|>` markers. */
export function markers(text: string): { text: string; indices: number[] } {
    const { output, indices } = replaceIndices({ text });
    return { text: output, indices };
}

export function codes(diagnostics: Diagnostic[] | undefined): string[] {
    return (diagnostics ?? []).map(d => String((d.data as { code?: string } | undefined)?.code));
}
