/**
 * The files named on the command line: .vnet files and directories searched recursively.
 * Each file keeps the name the user will recognise: the path as given, or the directory as given
 * joined with the path inside it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface InputFile {
  /** The path as given on the command line (or relative to the directory given). */
  display: string;
  /** Absolute path. */
  absolute: string;
  text: string;
}

/** A file the user named cannot be used; the message is one line for stderr (exit status 2). */
export class FileError extends Error {}

/** Directories never searched: tools' folders that hold no user networks. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function collectFiles(paths: readonly string[]): InputFile[] {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  const add = (display: string, absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push({ display, absolute, text: readText(display, absolute) });
  };
  for (const path of paths) {
    const absolute = resolve(path);
    const kind = statKind(path, absolute);
    if (kind === 'file') {
      if (!path.endsWith('.vnet')) throw new FileError(`${path}: not a .vnet file`);
      add(path, absolute);
    } else {
      const found = findVnetFiles(absolute);
      if (found.length === 0) throw new FileError(`${path}: no .vnet files in this directory`);
      for (const relative of found) add(join(path, relative), join(absolute, relative));
    }
  }
  return files;
}

function statKind(path: string, absolute: string): 'file' | 'directory' {
  try {
    const stat = statSync(absolute);
    if (stat.isDirectory()) return 'directory';
    if (stat.isFile()) return 'file';
    throw new FileError(`${path}: not a file or directory`);
  } catch (error) {
    if (error instanceof FileError) throw error;
    throw new FileError(`${path}: ${systemMessage(error)}`);
  }
}

/** Paths of the .vnet files under `dir`, relative to it, in a stable (sorted) order. */
function findVnetFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    let entries;
    try {
      entries = readdirSync(join(dir, relative), { withFileTypes: true });
    } catch (error) {
      throw new FileError(`${join(dir, relative)}: ${systemMessage(error)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = relative ? join(relative, entry.name) : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(child);
      } else if (entry.isFile() && entry.name.endsWith('.vnet')) {
        out.push(child);
      }
    }
  };
  walk('');
  return out;
}

function readText(display: string, absolute: string): string {
  try {
    return readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new FileError(`${display}: ${systemMessage(error)}`);
  }
}

function systemMessage(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ENOTDIR': return 'not a directory';
    default: return error instanceof Error ? error.message : String(error);
  }
}
