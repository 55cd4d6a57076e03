/**
 * Any text gives diagnostics, never an exception or a hang: binary garbage, every prefix of the
 * contract example (half-typed lines), and lines with tokens dropped. Parsing, linking,
 * validation, the analysis, lowering and hovers all run on the broken documents.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { validationHelper } from 'langium/test';
import type { Model } from '../../language/generated/ast.js';
import { readFileSync } from 'node:fs';
import { lowerDocuments } from '../../language/vnet-lower.js';
import { CONTRACT, createServices, reset } from './helpers.js';

/** Every construct of issues 3 and 4 (test/language/networks.test.ts). */
const NETWORKS = readFileSync(new URL('./fixtures/networks.vnet', import.meta.url), 'utf8');
/** Dual stack, declared node addresses, zones and families (test/language/dual-stack.test.ts). */
const DUAL_STACK = readFileSync(new URL('./fixtures/dual-stack.vnet', import.meta.url), 'utf8');
/** Site routes, IPv6 site and internet hosts, tunnel-inside, Direct Connect IPv6 (test/language/site-ipv6.test.ts). */
const SITE_IPV6 = readFileSync(new URL('./fixtures/site-ipv6.vnet', import.meta.url), 'utf8')
    + 'direct-connect-gateway dxgw { associate hub }\ndirect-connect dx1 from office to dxgw vlan 101 mtu 8500 ipv6\n';

const services = createServices();
const validate = validationHelper<Model>(services.Vnet);

/** A small deterministic generator (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
    let a = seed;
    return () => {
        a |= 0; a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

async function survive(text: string): Promise<number> {
    const result = await validate(text);
    const { document } = result;
    // Hover over a few positions of the broken text, and read the analysis.
    const hoverProvider = services.Vnet.lsp.HoverProvider!;
    for (const offset of [0, Math.floor(text.length / 2), text.length]) {
        await hoverProvider.getHoverContent(document, { textDocument: { uri: document.uri.toString() }, position: document.textDocument.positionAt(offset) });
    }
    services.Vnet.analysis.Analyzer.getAnalysis();
    lowerDocuments([document]);
    // A check that throws is reported by Langium as a diagnostic instead of failing the build.
    const crashes = result.diagnostics.filter(d => String(d.message).includes('An error occurred'));
    assert.deepStrictEqual(crashes.map(d => d.message), []);
    // A message about a half-typed element names what is there, never "undefined" for what is not.
    assert.deepStrictEqual(result.diagnostics.filter(d => /\bundefined\b/.test(String(d.message))).map(d => d.message), []);
    const count = result.diagnostics.length;
    await result.dispose();
    return count;
}

describe('robustness', () => {
    afterEach(() => reset(services));

    it('binary garbage gives diagnostics, not an exception', async () => {
        const next = random(7);
        for (let round = 0; round < 5; round++) {
            const bytes = Array.from({ length: 400 }, () => String.fromCharCode(Math.floor(next() * 256)));
            assert.ok(await survive(bytes.join('')) > 0);
        }
    });

    it('every prefix of the contract example (half-typed text) is handled', async () => {
        for (let end = 0; end <= CONTRACT.length; end += 11) {
            await survive(CONTRACT.slice(0, end));
        }
    });

    it('lines with a token dropped give diagnostics', async () => {
        const lines = CONTRACT.split('\n');
        const next = random(11);
        for (let round = 0; round < 40; round++) {
            const i = Math.floor(next() * lines.length);
            const words = lines[i].split(' ').filter(w => w.length > 0 && !w.startsWith('//'));
            if (words.length < 2) continue;
            words.splice(Math.floor(next() * words.length), 1);
            const text = [...lines.slice(0, i), words.join(' '), ...lines.slice(i + 1)].join('\n');
            await survive(text);
        }
    });

    it('every prefix of the issue 3 and 4 constructs (half-typed text) is handled', async () => {
        for (let end = 0; end <= NETWORKS.length; end += 13) {
            await survive(NETWORKS.slice(0, end));
        }
    });

    it('lines of the issue 3 and 4 constructs with a token dropped give diagnostics, not exceptions', async () => {
        const lines = NETWORKS.split('\n');
        const next = random(23);
        for (let round = 0; round < 80; round++) {
            const i = Math.floor(next() * lines.length);
            const words = lines[i].split(' ').filter(w => w.length > 0 && !w.startsWith('//'));
            if (words.length < 2) continue;
            words.splice(Math.floor(next() * words.length), 1);
            await survive([...lines.slice(0, i), words.join(' '), ...lines.slice(i + 1)].join('\n'));
        }
    });

    it('every prefix of the dual-stack constructs (half-typed mappings, zones, families) is handled', async () => {
        for (let end = 0; end <= DUAL_STACK.length; end += 11) {
            await survive(DUAL_STACK.slice(0, end));
        }
    });

    it('lines of the dual-stack constructs with a token dropped give diagnostics, not exceptions', async () => {
        const lines = DUAL_STACK.split('\n');
        const next = random(29);
        for (let round = 0; round < 80; round++) {
            const i = Math.floor(next() * lines.length);
            const words = lines[i].split(' ').filter(w => w.length > 0 && !w.startsWith('//'));
            if (words.length < 2) continue;
            words.splice(Math.floor(next() * words.length), 1);
            await survive([...lines.slice(0, i), words.join(' '), ...lines.slice(i + 1)].join('\n'));
        }
    });

    it('every prefix of the site route and IPv6-on-premises constructs is handled', async () => {
        for (let end = 0; end <= SITE_IPV6.length; end += 13) {
            await survive(SITE_IPV6.slice(0, end));
        }
    });

    it('lines of the site route and IPv6-on-premises constructs with a token dropped give diagnostics, not exceptions', async () => {
        const lines = SITE_IPV6.split('\n');
        const next = random(31);
        for (let round = 0; round < 80; round++) {
            const i = Math.floor(next() * lines.length);
            const words = lines[i].split(' ').filter(w => w.length > 0 && !w.startsWith('//'));
            if (words.length < 2) continue;
            words.splice(Math.floor(next() * words.length), 1);
            await survive([...lines.slice(0, i), words.join(' '), ...lines.slice(i + 1)].join('\n'));
        }
    });

    it('a half-typed load balancer or attachment line gives no message with "undefined" in it', async () => {
        const vpc = (line: string) => `vpc v { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a\n${line}\n}`;
        for (const line of ['load-balancer', 'load-balancer nlb', 'interface-endpoint', 'gwlb-endpoint']) assert.ok(await survive(vpc(line)) > 0, line);
        for (const line of ['attachment', 'attachment x', 'attachment x vpc']) {
            assert.ok(await survive(`${vpc('')}\ntransit-gateway hub { ${line} route-table t { } }`) > 0, line);
        }
    });

    it('an unterminated block comment and stray symbols are diagnostics', async () => {
        assert.ok(await survive('vpc a { cidr 10.0.0.0/16 } /* never closed') > 0);
        assert.ok(await survive('vpc a { cidr 10.0.0.0/16 ; : # @ }') > 0);
        assert.ok(await survive('expect -> -> -> tcp') > 0);
    });
});
