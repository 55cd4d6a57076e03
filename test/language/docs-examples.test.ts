/**
 * The examples of docs/language.md that are whole networks (they parse, every name resolves, and
 * they state expectations) hold: no error diagnostic, every expectation holds. The other blocks are
 * fragments (a clause shown on its own) and are only required not to crash the tools.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import { buildWorkspace, createServices, reset } from './helpers.js';

const DOC = readFileSync(new URL('../../docs/language.md', import.meta.url), 'utf8');

interface Block { line: number; text: string }

function vnetBlocks(markdown: string): Block[] {
    const blocks: Block[] = [];
    const fence = /```vnet\n([\s\S]*?)```/g;
    for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
        blocks.push({ line: markdown.slice(0, match.index).split('\n').length + 1, text: match[1] });
    }
    return blocks;
}

const services = createServices();

describe('docs/language.md examples', () => {
    afterEach(() => reset(services));

    it('every complete example network holds (no error, every expectation holds)', async () => {
        let complete = 0;
        for (const block of vnetBlocks(DOC)) {
            await reset(services);
            const [doc] = await buildWorkspace(services, { 'example.vnet': block.text });
            const diagnostics = doc.diagnostics ?? [];
            const codes = diagnostics.map(d => (d.data as { code?: string } | undefined)?.code);
            const fragment = doc.parseResult.parserErrors.length > 0 || doc.parseResult.lexerErrors.length > 0
                || codes.includes('linking-error') || !/^expect /m.test(block.text);
            if (fragment) continue;
            complete++;
            const errors = diagnostics.filter(d => d.severity === 1).map(d => `${block.line + d.range.start.line}: ${d.message}`);
            assert.deepStrictEqual(errors, [], `docs/language.md example at line ${block.line}`);
            const { expectations } = services.Vnet.analysis.Analyzer.getAnalysis();
            assert.ok(expectations.length > 0, `docs/language.md example at line ${block.line} has expectations`);
            assert.deepStrictEqual(expectations.filter(e => !e.holds).map(e => block.line + (e.node.$cstNode?.range.start.line ?? 0)), [],
                `docs/language.md example at line ${block.line}: expectations that do not hold (doc lines)`);
        }
        // The introduction's network and the IPv6 example at least: the test is not vacuous.
        assert.ok(complete >= 2, `only ${complete} complete examples found`);
    });
});
