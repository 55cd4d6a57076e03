/**
 * The engine's share of the work, measured in process on the same files the server gets: the full
 * Langium build (parse, link, validate — validation runs the analysis), then separately the
 * lowering of the ASTs into the engine's model and the engine's analysis of every expectation.
 *
 * Same services as the server and the CLI (createVnetServices), same lowering (lowerInto) and the
 * same engine entry point (analyze) that language/vnet-analysis.ts calls on every build.
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { performance } from 'node:perf_hooks';
import { analyze } from '../engine/index.js';
import type { NetworkModel } from '../engine/model.js';
import { createVnetServices, isModel, lowerInto } from '../language/index.js';

export interface EngineShare {
  /** Full builds in fresh services (ms). */
  build: number[];
  /** Lowering every document into one model (ms). */
  lower: number[];
  /**
   * Lowering one document (ms): what an edit re-lowers since the analyzer keeps each document's
   * fragment until it is reparsed or relinked (language/vnet-analysis.ts).
   */
  lowerOne: number[];
  /** analyze(model) on that model (ms). */
  analyse: number[];
  expectations: number;
  holding: number;
}

export async function measureEngineShare(
  files: { path: string; text: string }[], builds = 3, runs = 20,
): Promise<EngineShare> {
  const share: EngineShare = { build: [], lower: [], lowerOne: [], analyse: [], expectations: 0, holding: 0 };
  let documents: LangiumDocument[] = [];
  for (let b = 0; b < builds; b++) {
    const { shared } = createVnetServices(EmptyFileSystem);
    documents = files.map((f) => {
      const document = shared.workspace.LangiumDocumentFactory.fromString(f.text, URI.file(f.path));
      shared.workspace.LangiumDocuments.addDocument(document);
      return document;
    });
    const t = performance.now();
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    share.build.push(performance.now() - t);
  }

  // The last build's ASTs are linked: lower and analyse them as the analyzer does on each build.
  let model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    model = { vpcs: [], internetHosts: [], expectations: [] };
    for (const document of documents) {
      const root = document.parseResult.value;
      if (isModel(root)) lowerInto(root, model);
    }
    share.lower.push(performance.now() - t);
  }
  for (let r = 0; r < runs; r++) {
    // A different file each time (the generated files are alike), into a throw-away model.
    const root = documents[r % documents.length]!.parseResult.value;
    const t = performance.now();
    if (isModel(root)) lowerInto(root, { vpcs: [], internetHosts: [], expectations: [] });
    share.lowerOne.push(performance.now() - t);
  }
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const analysis = analyze(model);
    share.analyse.push(performance.now() - t);
    share.expectations = analysis.results.length;
    share.holding = analysis.results.filter((x) => x.holds).length;
  }
  return share;
}
