/**
 * The workspace manager of vnet: the files found when a folder opens are validated in that first
 * build, so their problems (and every expectation's verdict) are published before any file is
 * opened. Langium's default (`initialBuildOptions = {}`) only parses and links them: until an
 * editor opened a file, the Problems panel stayed empty (docs/performance.md, item 3).
 */
import { DefaultWorkspaceManager, type BuildOptions } from 'langium';

export class VnetWorkspaceManager extends DefaultWorkspaceManager {
    override initialBuildOptions: BuildOptions = { validation: true };
}
