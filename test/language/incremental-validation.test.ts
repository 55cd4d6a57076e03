/**
 * After an edit, the other files re-run only the checks that read other files (the 'workspace'
 * validation category): their own diagnostics are kept as they were, while names, public
 * addresses, ambiguous endpoints and the engine's verdicts follow the edited file.
 */
import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'mocha';
import { TextDocument, URI } from 'langium';
import { setTextDocument } from 'langium/test';
import { isExpectation, type Model } from '../../language/generated/ast.js';
import { IssueCodes } from '../../language/vnet-validator.js';
import { buildWorkspace, codes, createServices, reset } from './helpers.js';

const services = createServices();
const NET = readFileSync(new URL('./fixtures/analysis-net.vnet', import.meta.url), 'utf8');
const HOSTS = 'internet { host client 198.51.100.7 host dns 8.8.8.8 }\n';

const uri = (name: string) => URI.parse(`file:///ws/${name}`);
const versions = new Map<string, number>();

/** Sets the files' texts (as an editor would) and runs one update over them, as the server does on an edit. */
async function edit(files: Record<string, string>): Promise<void> {
    for (const [name, text] of Object.entries(files)) {
        const version = (versions.get(name) ?? 0) + 1;
        versions.set(name, version);
        setTextDocument(services.Vnet, TextDocument.create(uri(name).toString(), 'vnet', version, text));
    }
    await services.shared.workspace.DocumentBuilder.update(Object.keys(files).map(uri), []);
}

function document(name: string) {
    return services.shared.workspace.LangiumDocuments.getDocument(uri(name))!;
}

describe('incremental validation after an edit in another file', () => {
    afterEach(async () => {
        versions.clear();
        await reset(services);
    });

    it('keeps the other file\'s own diagnostics as they were and updates its verdicts', async () => {
        // A CIDR with host bits set (a per-node check) and an expectation on the other file's server, by address.
        const expectations = `${HOSTS}vpc lab { cidr 10.9.0.1/16 }\nexpect client -> 54.0.0.10 tcp 443 reachable`;
        await edit({ 'net.vnet': NET, 'expect.vnet': expectations });
        assert.deepStrictEqual(codes(document('expect.vnet').diagnostics), [IssueCodes.CidrNotCanonical]);
        const warning = document('expect.vnet').diagnostics![0];

        await edit({ 'net.vnet': NET.replace('inbound tcp 443 from 0.0.0.0/0', 'inbound tcp 80 from 0.0.0.0/0') });
        assert.deepStrictEqual(codes(document('expect.vnet').diagnostics).sort(), ['ENI_SG_RULES_MISMATCH', IssueCodes.CidrNotCanonical].sort());
        // Kept, not recomputed: the same diagnostic object, and only once.
        assert.ok(document('expect.vnet').diagnostics!.includes(warning));

        await edit({ 'net.vnet': NET });
        assert.deepStrictEqual(document('expect.vnet').diagnostics, [warning]);
    });

    it('reports a VPC name another file takes, and stops when it is given back', async () => {
        await edit({ 'a.vnet': 'vpc shop { cidr 10.0.0.0/16 }', 'b.vnet': 'vpc lab { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(codes(document('a.vnet').diagnostics), []);

        await edit({ 'b.vnet': 'vpc shop { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(codes(document('a.vnet').diagnostics), [IssueCodes.DuplicateName]);

        await edit({ 'b.vnet': 'vpc lab { cidr 10.1.0.0/16 }' });
        assert.deepStrictEqual(codes(document('a.vnet').diagnostics), []);
    });

    it('reports a bare endpoint name that another file makes ambiguous, though no reference ties the two files', async () => {
        const shop = 'vpc shop { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { instance web 10.0.0.10 } }';
        const lab = (name: string) => `vpc lab { cidr 10.1.0.0/16 subnet s 10.1.0.0/24 in us-east-1a { instance ${name} 10.1.0.10 } }`;
        const ambiguous = () => codes(document('expect.vnet').diagnostics).filter(c => c === IssueCodes.AmbiguousName);
        const target = () => ((document('expect.vnet').parseResult.value as Model).elements.find(isExpectation)!).source.target?.ref;
        await edit({ 'shop.vnet': shop, 'lab.vnet': lab('app'), 'expect.vnet': 'expect web -> shop.web icmp unreachable' });
        assert.deepStrictEqual(ambiguous(), []);
        assert.strictEqual(target()?.$container?.$container, (document('shop.vnet').parseResult.value as Model).elements[0]);

        await edit({ 'lab.vnet': lab('web') });
        assert.deepStrictEqual(ambiguous(), [IssueCodes.AmbiguousName]);
        assert.strictEqual(target(), undefined);

        await edit({ 'lab.vnet': lab('app') });
        assert.deepStrictEqual(ambiguous(), []);
        assert.ok(target());
    });

    it('analyses each state of the edits exactly as a fresh workspace of the same files does (lowered fragments are reused only while valid)', async () => {
        // A bare endpoint resolved through the other file: the lowering of expect.vnet depends on
        // the other files' names although expect.vnet itself never changes.
        const shop = (port: number) => `vpc shop { cidr 10.0.0.0/16 internet-gateway igw
  subnet s 10.0.0.0/24 in us-east-1a { route-table r instance web 10.0.0.10 { public-ip 54.0.0.10 security-groups g } }
  route-table r { 0.0.0.0/0 -> igw }
  security-group g { inbound tcp ${port} from 0.0.0.0/0 outbound all to 0.0.0.0/0 } }`;
        const lab = (name: string) => `vpc lab { cidr 10.1.0.0/16 subnet s 10.1.0.0/24 in us-east-1a { instance ${name} 10.1.0.10 } }`;
        const expectations = `${HOSTS}expect client -> web tcp 443 reachable\nexpect client -> shop.web tcp 443 reachable`;
        const states: Array<Record<string, string>> = [
            { 'shop.vnet': shop(443), 'lab.vnet': lab('app'), 'expect.vnet': expectations },
            { 'shop.vnet': shop(80) },
            { 'lab.vnet': lab('web') },
            { 'shop.vnet': shop(443) },
            { 'lab.vnet': lab('app') },
        ];
        const current: Record<string, string> = {};
        const verdicts = (analysis: ReturnType<typeof services.Vnet.analysis.Analyzer.getAnalysis>) =>
            analysis.expectations.map(e => `${e.expectation.sourceText} -> ${e.expectation.destinationText}: ${e.holds} ${e.result.code ?? ''}`);
        const seen = new Set<string>();
        for (const state of states) {
            Object.assign(current, state);
            await edit(state);
            const fresh = createServices();
            await buildWorkspace(fresh, current);
            const expected = verdicts(fresh.Vnet.analysis.Analyzer.getAnalysis());
            assert.deepStrictEqual(verdicts(services.Vnet.analysis.Analyzer.getAnalysis()), expected, JSON.stringify(state));
            seen.add(expected.join('; '));
        }
        // The states differ in what the engine says, or the comparison would prove little.
        assert.ok(seen.size >= 3, [...seen].join('\n'));
    });

    it('lowers again only the edited file and the files relinked with it', async () => {
        const vpc = (name: string, cidr: string) => `vpc ${name} { cidr ${cidr} }`;
        await edit({ 'a.vnet': vpc('a', '10.0.0.0/16'), 'b.vnet': vpc('b', '10.1.0.0/16') });
        const analyzer = services.Vnet.analysis.Analyzer;
        const [a1, b1] = analyzer.getAnalysis().model.vpcs;
        await edit({ 'a.vnet': vpc('a', '10.2.0.0/16') });
        const [a2, b2] = analyzer.getAnalysis().model.vpcs;
        assert.notStrictEqual(a2, a1);
        assert.deepStrictEqual(a2.cidrs, ['10.2.0.0/16']);
        assert.strictEqual(b2, b1);
    });

    it('resolves a qualified endpoint once another file defines it', async () => {
        const shop = (name: string) => `vpc shop { cidr 10.0.0.0/16 subnet s 10.0.0.0/24 in us-east-1a { instance ${name} 10.0.0.10 } }`;
        await edit({ 'shop.vnet': shop('app'), 'expect.vnet': 'expect shop.web -> 8.8.8.8 icmp unreachable' });
        assert.deepStrictEqual(codes(document('expect.vnet').diagnostics), ['linking-error']);

        await edit({ 'shop.vnet': shop('web') });
        assert.deepStrictEqual(codes(document('expect.vnet').diagnostics).filter(c => c === 'linking-error'), []);
    });
    it('lowers a relinked file again when its references resolve elsewhere, and reuses it when they do not', async () => {
        // expect.vnet names `web` bare; editing shop.vnet relinks it. A rule edit leaves `web` where it
        // was (the cached lowering is reused); renaming the VPC moves it (the lowering must follow).
        const shop = (vpc: string, port: number) =>
            `vpc ${vpc} { cidr 10.0.0.0/16 internet-gateway igw subnet s 10.0.0.0/24 in us-east-1a { route-table rt ` +
            `instance web 10.0.0.10 { public-ip 54.0.0.10 security-groups web-sg } } route-table rt { 0.0.0.0/0 -> igw } ` +
            `security-group web-sg { inbound tcp ${port} from 0.0.0.0/0 } }`;
        const expectations = `${HOSTS}expect client -> web tcp 443 reachable`;
        const analyzer = services.Vnet.analysis.Analyzer;
        const destination = () => analyzer.getAnalysis().model.expectations[0].destination;
        const holds = () => analyzer.getAnalysis().expectations.map(e => e.holds);

        await edit({ 'shop.vnet': shop('shop', 443), 'expect.vnet': expectations });
        const first = destination();
        assert.deepStrictEqual(first, { kind: 'instance', vpc: 'shop', name: 'web' });
        assert.deepStrictEqual(holds(), [true]);

        await edit({ 'shop.vnet': shop('shop', 80) });
        assert.strictEqual(destination(), first, 'same targets: the lowered fragment is reused');
        assert.deepStrictEqual(holds(), [false]);

        await edit({ 'shop.vnet': shop('store', 443) });
        assert.deepStrictEqual(destination(), { kind: 'instance', vpc: 'store', name: 'web' });
        assert.deepStrictEqual(holds(), [true]);
    });
});
