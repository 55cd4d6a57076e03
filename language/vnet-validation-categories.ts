/**
 * Validation categories of vnet, beyond Langium's 'built-in', 'fast' and 'slow'.
 *
 * 'workspace': the checks whose result depends on other documents (names and public addresses
 * unique across the workspace, the engine's verdict on every expectation). After an edit, every
 * other document re-runs only these: its own parse, links and per-node checks cannot have changed
 * (docs/performance.md, item 1).
 */
export const WorkspaceCategory = 'workspace';
