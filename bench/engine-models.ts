/**
 * Writes the engine's input for the two benchmark workspaces as JSON, so the engine can be timed and
 * profiled alone (bench/engine-time.ts) without Langium in the process:
 *   npx tsx bench/engine-models.ts [DIR]   (default /tmp/vnet-models) → DIR/estate.json, DIR/hybrid.json
 * Same generation (bench/generate.ts, bench/generate-hybrid.ts), same services and lowering as
 * bench/engine-share.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmptyFileSystem, URI } from 'langium';
import type { NetworkModel } from '../engine/model.js';
import { createVnetServices, isModel, lowerInto } from '../language/index.js';
import { DEFAULT_OPTIONS, generateWorkspace } from './generate.js';
import { generateHybridWorkspace } from './generate-hybrid.js';

async function lowerWorkspace(files: { name: string; text: string }[]): Promise<NetworkModel> {
  const { shared } = createVnetServices(EmptyFileSystem);
  const documents = files.map((f) => {
    const document = shared.workspace.LangiumDocumentFactory.fromString(f.text, URI.file(`/bench/${f.name}`));
    shared.workspace.LangiumDocuments.addDocument(document);
    return document;
  });
  await shared.workspace.DocumentBuilder.build(documents, { validation: false });
  const model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
  for (const document of documents) {
    const root = document.parseResult.value;
    if (isModel(root)) lowerInto(root, model);
  }
  return model;
}

const dir = process.argv[2] ?? '/tmp/vnet-models';
mkdirSync(dir, { recursive: true });
for (const [name, ws] of [['estate', generateWorkspace(DEFAULT_OPTIONS)], ['hybrid', generateHybridWorkspace()]] as const) {
  const model = await lowerWorkspace(ws.files);
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(model));
  console.log(`${name}: ${model.vpcs.length} VPCs, ${model.expectations.length} expectations → ${join(dir, `${name}.json`)}`);
}
