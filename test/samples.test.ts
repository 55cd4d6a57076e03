/**
 * Every sample under samples/ is a correct network whose expectations all hold.
 *
 * Each sample folder is loaded as one workspace with the same language services the language
 * server and the CLI use, and built with validation. The test then checks that
 * - no file has an error or warning diagnostic (samples are what users copy from),
 * - the analysis traced exactly the `expect` statements the files contain (so a sample whose
 *   expectations were silently dropped cannot pass), and every one of them holds,
 * - every unreachable expectation's trailing comment names the explanation code and the direction
 *   (`// SUBNET_ACL_RESTRICTION, return`), and the engine gives exactly that code and direction, so
 *   the comments that teach the reader what happens are checked too,
 * - every sample shows both verdicts, and all samples together (as `vnet check samples`, part of
 *   `npm start`, loads them) form one workspace without errors where everything still holds.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import type { ExpectationResult } from '../engine/index.js';
import { createVnetServices } from '../language/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samplesDir = join(root, 'samples');

interface SampleFile { path: string; text: string }

/** An `expect` statement as written in a sample, found without the language's parser. */
interface WrittenExpectation {
  file: string;
  /** 0-based line. */
  line: number;
  statement: string;
  /** Explanation code and direction stated in the trailing comment, if any. */
  code?: string;
  direction?: 'forward' | 'return';
}

function vnetFilesUnder(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return vnetFilesUnder(path);
    return name.endsWith('.vnet') ? [path] : [];
  });
}

function readSample(dir: string): SampleFile[] {
  return vnetFilesUnder(dir).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/** Samples write one `expect` per line, at the start of the line; a trailing comment may name the code. */
function writtenExpectations(files: readonly SampleFile[]): WrittenExpectation[] {
  return files.flatMap((file) => file.text.split('\n').flatMap((raw, line) => {
    if (!/^\s*expect\s/.test(raw)) return [];
    const [statement, comment = ''] = raw.split('//');
    const annotation = /^\s*([A-Z][A-Z0-9_]+),\s*(forward|return)\s*$/.exec(comment);
    return [{
      file: file.path,
      line,
      statement: statement.trim(),
      ...(annotation ? { code: annotation[1], direction: annotation[2] as 'forward' | 'return' } : {}),
    }];
  }));
}

interface LoadedSample {
  diagnostics: Array<{ file: string; diagnostic: Diagnostic }>;
  results: ExpectationResult[];
  /** The markdown the editor shows when hovering the first occurrence of `text` in `file`. */
  hover(file: string, text: string): Promise<string>;
}

async function load(files: readonly SampleFile[]): Promise<LoadedSample> {
  const { shared, Vnet } = createVnetServices(EmptyFileSystem);
  const documents: LangiumDocument[] = files.map((file) => {
    const document = shared.workspace.LangiumDocumentFactory.fromString(file.text, URI.file(file.path));
    shared.workspace.LangiumDocuments.addDocument(document);
    return document;
  });
  await shared.workspace.DocumentBuilder.build(documents, { validation: true });
  const diagnostics = documents.flatMap((document, i) =>
    (document.diagnostics ?? []).map((diagnostic) => ({ file: files[i].path, diagnostic })));
  const analysis = Vnet.analysis.Analyzer.getAnalysis();
  const hover = async (file: string, text: string): Promise<string> => {
    const document = documents[files.findIndex((f) => f.path === file)];
    const offset = document.textDocument.getText().indexOf(text);
    assert.ok(offset >= 0, `${text} not found in ${file}`);
    const position = document.textDocument.positionAt(offset);
    const result = await Vnet.lsp.HoverProvider!.getHoverContent(document, { textDocument: { uri: document.uri.toString() }, position });
    const contents = result?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
  };
  return { diagnostics, results: analysis.analysis.results, hover };
}

function fileOfOrigin(uri: string | undefined): string | undefined {
  return uri === undefined ? undefined : URI.parse(uri).fsPath;
}

function describeDiagnostic(d: { file: string; diagnostic: Diagnostic }): string {
  const { range, message, code } = d.diagnostic;
  return `${relative(root, d.file)}:${range.start.line + 1}:${range.start.character + 1} ${code ?? ''} ${message}`;
}

function describeResult(r: ExpectationResult): string {
  const e = r.expectation;
  const where = `${relative(root, fileOfOrigin(e.origin?.uri) ?? '?')}:${(e.origin?.start.line ?? -1) + 1}`;
  return `${where} expect ${e.sourceText} -> ${e.destinationText} ${e.protocol}${e.port === undefined ? '' : ` ${e.port}`}`
    + ` ${e.expected}: got ${r.result.verdict}${r.result.code ? ` ${r.result.code}` : ''}`
    + `${r.result.direction ? ` (${r.result.direction})` : ''}${r.result.component ? ` at ${r.result.component}` : ''}: ${r.result.reason}`;
}

/** The result of the expectation written at `written.line` of `written.file`. */
function resultAt(results: readonly ExpectationResult[], written: WrittenExpectation): ExpectationResult | undefined {
  return results.find((r) =>
    fileOfOrigin(r.expectation.origin?.uri) === written.file && r.expectation.origin?.start.line === written.line);
}

const sampleNames = readdirSync(samplesDir).filter((name) => statSync(join(samplesDir, name)).isDirectory()).sort();

describe('samples', () => {
  it('there are samples, each in its own folder with .vnet files', () => {
    assert.ok(sampleNames.length >= 4, `expected at least 4 samples, found ${sampleNames.join(', ')}`);
    for (const name of sampleNames) assert.ok(vnetFilesUnder(join(samplesDir, name)).length > 0, `${name} has no .vnet file`);
  });

  for (const name of sampleNames) {
    describe(name, () => {
      const files = readSample(join(samplesDir, name));
      const written = writtenExpectations(files);
      let loaded: LoadedSample;

      before(async () => { loaded = await load(files); });

      it('has no error or warning diagnostics', () => {
        const problems = loaded.diagnostics.filter((d) => d.diagnostic.severity === 1 || d.diagnostic.severity === 2);
        assert.deepEqual(problems.map(describeDiagnostic), []);
      });

      it('the analysis traces every expect statement of the sample', () => {
        assert.ok(written.length > 0, 'a sample without expectations proves nothing');
        assert.equal(loaded.results.length, written.length,
          `the files hold ${written.length} expect statements, the analysis traced ${loaded.results.length}`);
        for (const w of written) {
          assert.ok(resultAt(loaded.results, w), `no analysis result for ${relative(root, w.file)}:${w.line + 1} ${w.statement}`);
        }
      });

      it('every expectation holds', () => {
        const failing = loaded.results.filter((r) => !r.holds);
        assert.deepEqual(failing.map(describeResult), []);
        // `holds` must mean what it says: the verdict equals the expected one.
        for (const r of loaded.results) assert.equal(r.result.verdict, r.expectation.expected, describeResult(r));
      });

      it('shows both a reachable and an unreachable expectation', () => {
        const verdicts = new Set(loaded.results.map((r) => r.expectation.expected));
        assert.deepEqual([...verdicts].sort(), ['reachable', 'unreachable']);
      });

      it('the explanation codes and directions its comments state are the engine\'s', () => {
        // Every drop is explained to the reader, so every `unreachable` line names its code.
        const unexplained = written.filter((w) => / unreachable$/.test(w.statement) && w.code === undefined);
        assert.deepEqual(unexplained.map((w) => `${relative(root, w.file)}:${w.line + 1} ${w.statement}`), []);
        const annotated = written.filter((w) => w.code !== undefined);
        for (const w of annotated) {
          const r = resultAt(loaded.results, w);
          assert.ok(r, `no analysis result for ${w.statement}`);
          assert.equal(r.expectation.expected, 'unreachable', `${w.statement}: only drops have a code`);
          assert.deepEqual(
            { code: r.result.code, direction: r.result.direction },
            { code: w.code, direction: w.direction },
            `${relative(root, w.file)}:${w.line + 1} ${w.statement}: ${r.result.reason}`);
        }
      });
    });
  }

  describe('blackfoot shows the walk-through of the article', () => {
    const file = join(samplesDir, 'blackfoot', 'blackfoot.vnet');
    let loaded: LoadedSample;

    before(async () => { loaded = await load(readSample(join(samplesDir, 'blackfoot'))); });

    it('vm1 10.1.0.5 reaches 8.8.8.8 through the internet gateway, which rewrites the source to 52.0.0.9', () => {
      const r = loaded.results.find((x) => x.expectation.sourceText === 'vm1' && x.expectation.destinationText === 'google-dns'
        && x.expectation.protocol === 'udp');
      assert.ok(r);
      assert.equal(r.result.verdict, 'reachable');
      const nat = r.result.hops.find((h) => h.direction === 'forward' && h.kind === 'internet-gateway' && h.action === 'translate');
      assert.ok(nat, 'no translating internet gateway hop on the forward path');
      assert.equal(nat.place, 'blackfoot');
      const ipv4 = (stack: typeof nat.headers) => stack.filter((h) => h.kind === 'ipv4').at(-1);
      const field = (stack: typeof nat.headers, name: string) => ipv4(stack)?.fields.find((f) => f.name === name);
      assert.equal(field(nat.headersBefore, 'src')?.value, '10.1.0.5');
      assert.deepEqual({ ...field(nat.headers, 'src') }, { name: 'src', value: '52.0.0.9', changed: true });
      assert.equal(field(nat.headers, 'dst')?.value, '8.8.8.8');
      // On the way back the edge reverses the translation: destination 52.0.0.9 becomes 10.1.0.5.
      const back = r.result.hops.find((h) => h.direction === 'return' && h.kind === 'internet-gateway' && h.action === 'translate');
      assert.ok(back, 'no translating internet gateway hop on the return path');
      assert.equal(field(back.headersBefore, 'dst')?.value, '52.0.0.9');
      assert.equal(field(back.headers, 'dst')?.value, '10.1.0.5');
    });

    it('hovering the expectation shows the hop table with the Blackfoot NAT', async () => {
      const markdown = await loaded.hover(file, 'expect vm1 -> google-dns udp 53');
      assert.match(markdown, /Reachable/);
      assert.match(markdown, /zigi-vpc1\.zigi-igw/);
      assert.match(markdown, /translate/);
      assert.match(markdown, /src `52\.0\.0\.9` \(changed\)/);
    });
  });

  describe('all samples as one workspace (as `vnet check samples` loads them)', () => {
    const files = readSample(samplesDir);
    const written = writtenExpectations(files);
    let loaded: LoadedSample;

    before(async () => { loaded = await load(files); });

    it('has no error diagnostics', () => {
      const errors = loaded.diagnostics.filter((d) => d.diagnostic.severity === 1);
      assert.deepEqual(errors.map(describeDiagnostic), []);
    });

    it('traces every expectation of every sample and each one holds', () => {
      assert.equal(loaded.results.length, written.length);
      assert.deepEqual(loaded.results.filter((r) => !r.holds).map(describeResult), []);
    });
  });
});
