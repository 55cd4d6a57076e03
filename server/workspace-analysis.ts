/**
 * The server's and the CLI's one access to the language's workspace analysis (language/
 * vnet-analysis.ts): the engine's verdict on every expectation of the current workspace state,
 * computed at most once per build.
 */
import type { WorkspaceAnalysis } from '../language/vnet-analysis.js';
import type { VnetServices } from '../language/index.js';

export function currentAnalysis(services: VnetServices): WorkspaceAnalysis {
  return services.analysis.Analyzer.getAnalysis();
}
