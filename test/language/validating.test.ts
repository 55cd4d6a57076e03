/**
 * Every validation rule, each with the code it reports (in `data.code` and as the LSP `code`) on
 * the range marked `<|...|>`, and the near-miss that must not report it.
 */
import assert from 'node:assert';
import { afterEach, describe, it } from 'mocha';
import { expectIssue, expectNoIssues, replaceIndices, validationHelper } from 'langium/test';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Model } from '../../language/generated/ast.js';
import { IssueCodes, azInRegion } from '../../language/vnet-validator.js';
import { CONTRACT, createServices, reset } from './helpers.js';

const services = createServices();
const validate = validationHelper<Model>(services.Vnet);
const { Error: E, Warning: W } = DiagnosticSeverity;

/** A VPC with an internet gateway around `body`. */
const vpc = (body: string, head = 'cidr 10.0.0.0/16 internet-gateway igw') => `vpc shop { ${head} ${body} }`;

interface Case { rule: string; text: string; code: string; severity?: DiagnosticSeverity; message?: RegExp; data?: Record<string, unknown> }

const cases: Case[] = [
    { rule: 'an invalid IPv4 CIDR is an error saying why', text: vpc('', 'cidr <|10.0.0.300/16|>'), code: IssueCodes.InvalidCidr, message: /300 is greater than 255/ },
    { rule: 'a CIDR prefix length above 32 is invalid', text: vpc('', 'cidr <|10.0.0.0/33|>'), code: IssueCodes.InvalidCidr, message: /greater than 32/ },
    { rule: 'an address where a CIDR is expected is invalid', text: vpc('', 'cidr <|10.0.0.0|>'), code: IssueCodes.InvalidCidr, message: /CIDR block is expected/ },
    { rule: 'an invalid instance address is an error', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.256|> }'), code: IssueCodes.InvalidAddress, message: /256 is greater than 255/ },
    { rule: 'a CIDR where an address is expected is invalid', text: 'expect internet -> <|10.0.0.0/8|> icmp reachable', code: IssueCodes.InvalidAddress },
    { rule: 'a CIDR with host bits set is a warning giving the canonical form', text: vpc('', 'cidr <|10.0.0.5/16|>'), code: IssueCodes.CidrNotCanonical, severity: W, message: /10\.0\.0\.0\/16/, data: { canonical: '10.0.0.0/16' } },
    { rule: 'a VPC needs a CIDR block', text: 'vpc <|shop|> { }', code: IssueCodes.VpcCidrMissing },
    { rule: 'a VPC CIDR larger than /16 is refused', text: vpc('', 'cidr <|10.0.0.0/15|>'), code: IssueCodes.VpcCidrSize },
    { rule: 'a VPC CIDR smaller than /28 is refused', text: vpc('', 'cidr <|10.0.0.0/29|>'), code: IssueCodes.VpcCidrSize },
    { rule: '169.254.0.0/16 is never a VPC CIDR', text: vpc('', 'cidr <|169.254.0.0/16|>'), code: IssueCodes.VpcCidrLinkLocal },
    { rule: 'the CIDR blocks of a VPC do not overlap', text: vpc('', 'cidr 10.0.0.0/16 cidr <|10.0.128.0/17|>'), code: IssueCodes.VpcCidrOverlap },
    { rule: 'a secondary CIDR from another RFC 1918 range than the primary is refused', text: vpc('', 'cidr 10.0.0.0/16 cidr <|192.168.0.0/16|>'), code: IssueCodes.VpcCidrRestricted },
    { rule: 'a subnet outside every VPC CIDR is refused', text: vpc('subnet a <|10.1.0.0/24|> in us-east-1a'), code: IssueCodes.SubnetCidrOutsideVpc },
    { rule: 'a subnet larger than /16 is refused', text: vpc('subnet a <|10.0.0.0/15|> in us-east-1a', 'cidr 10.0.0.0/16'), code: IssueCodes.SubnetCidrSize },
    { rule: 'a subnet smaller than /28 is refused', text: vpc('subnet a <|10.0.0.0/29|> in us-east-1a'), code: IssueCodes.SubnetCidrSize },
    { rule: 'subnets of a VPC do not overlap', text: vpc('subnet a 10.0.0.0/24 in us-east-1a subnet b <|10.0.0.128/25|> in us-east-1a'), code: IssueCodes.SubnetCidrOverlap },
    { rule: "a subnet's availability zone is in the VPC's region", text: vpc('subnet a 10.0.0.0/24 in <|eu-west-1a|>'), code: IssueCodes.AzNotInRegion, message: /us-east-1/ },
    { rule: 'the default region is us-east-1 when none is given', text: vpc('subnet a 10.0.0.0/24 in <|us-east-2a|>'), code: IssueCodes.AzNotInRegion },
    { rule: "an instance's address is inside its subnet", text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.1.10|> }'), code: IssueCodes.InstanceIpOutsideSubnet },
    { rule: 'the network address of a subnet is reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.0|> }'), code: IssueCodes.InstanceIpReserved, data: { role: 'network address' } },
    { rule: 'the VPC router address (+1) is reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.1|> }'), code: IssueCodes.InstanceIpReserved, data: { role: 'VPC router' } },
    { rule: 'the Amazon DNS address (+2) is reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.2|> }'), code: IssueCodes.InstanceIpReserved, data: { role: 'Amazon DNS server' } },
    { rule: 'the future-use address (+3) is reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.3|> }'), code: IssueCodes.InstanceIpReserved, data: { role: 'reserved by AWS for future use' } },
    { rule: 'the last address of a subnet is reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x <|10.0.0.255|> }'), code: IssueCodes.InstanceIpReserved, data: { role: 'broadcast address' } },
    { rule: 'a private address belongs to one instance of a VPC', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 instance y <|10.0.0.10|> }'), code: IssueCodes.DuplicateAddress },
    { rule: 'a public address belongs to one owner in the workspace', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { public-ip 54.0.0.1 } }') + ' internet { host h <|54.0.0.1|> }', code: IssueCodes.DuplicateAddress },
    { rule: 'a public IP must be a public address', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { public-ip <|100.64.0.9|> } }'), code: IssueCodes.PublicIpNotPublic },
    { rule: 'a public IP in a VPC without internet gateway is a warning', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { public-ip <|54.0.0.1|> } }', 'cidr 10.0.0.0/16'), code: IssueCodes.PublicIpWithoutInternetGateway, severity: W },
    { rule: 'an internet host with a non-public address is a warning', text: 'internet { host h <|192.168.1.1|> }', code: IssueCodes.HostIpNotPublic, severity: W },
    { rule: 'names in a VPC are unique across all kinds', text: vpc('subnet web 10.0.0.0/24 in us-east-1a { instance <|web|> 10.0.0.10 }'), code: IssueCodes.DuplicateName, message: /subnet/ },
    { rule: 'top-level names are unique (a VPC and an internet host)', text: vpc('') + ' internet { host <|shop|> 8.8.8.8 }', code: IssueCodes.DuplicateName },
    { rule: 'a setting given twice is an error', text: vpc('<|region us-east-1|>', 'cidr 10.0.0.0/16 region us-east-1'), code: IssueCodes.DuplicateSetting },
    { rule: 'an account ID has 12 digits', text: vpc('', 'account <|1234|> cidr 10.0.0.0/16'), code: IssueCodes.AccountIdFormat },
    { rule: 'a VPC has at most one internet gateway', text: vpc('internet-gateway <|igw2|>'), code: IssueCodes.MultipleInternetGateways },
    { rule: 'a VPC has one main route table', text: vpc('route-table a main route-table b <|main|>'), code: IssueCodes.MultipleMainRouteTables },
    { rule: 'a route table has one route per destination', text: vpc('route-table r { 0.0.0.0/0 -> igw <|0.0.0.0/0|> -> igw }'), code: IssueCodes.DuplicateRoute },
    { rule: 'an invalid route destination is an error', text: vpc('route-table r { <|0.0.0.0/40|> -> igw }'), code: IssueCodes.InvalidCidr },
    { rule: 'a subnet cannot be a route target', text: vpc('subnet a 10.0.0.0/24 in us-east-1a route-table r { 0.0.0.0/0 -> <|a|> }'), code: IssueCodes.RouteTargetKind },
    { rule: 'a security group cannot be a route target', text: vpc('security-group g route-table r { 0.0.0.0/0 -> <|g|> }'), code: IssueCodes.RouteTargetKind },
    { rule: 'a route inside the VPC CIDR that is not exactly a subnet CIDR is refused', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance fw 10.0.0.10 } route-table r { <|10.0.5.0/24|> -> fw }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    { rule: 'a route to a subnet CIDR more specific than local must lead to an interface', text: vpc('subnet a 10.0.0.0/24 in us-east-1a route-table r { 10.0.0.0/24 -> <|igw|> }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    { rule: 'a route to a VPC CIDR duplicates the local route', text: vpc('route-table r { <|10.0.0.0/16|> -> igw }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    { rule: 'a route through an instance whose source/destination check is on is a warning (§3.14)', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance nat 10.0.0.10 } route-table r { 0.0.0.0/0 -> <|nat|> }'), code: IssueCodes.RouteTargetSourceDestCheck, severity: W },
    { rule: 'no route points into 169.254.168.0/22', text: vpc('route-table r { <|169.254.169.0/24|> -> igw }'), code: IssueCodes.RouteReservedRange },
    { rule: 'network ACL rule numbers start at 1', text: vpc('network-acl n { inbound <|0|> allow all from 0.0.0.0/0 }'), code: IssueCodes.NaclRuleNumber },
    { rule: 'network ACL rule numbers end at 32766', text: vpc('network-acl n { inbound <|32767|> allow all from 0.0.0.0/0 }'), code: IssueCodes.NaclRuleNumber },
    { rule: 'network ACL rule numbers are unique per direction', text: vpc('network-acl n { inbound 100 allow all from 0.0.0.0/0 inbound <|100|> deny all from 0.0.0.0/0 }'), code: IssueCodes.DuplicateNaclRuleNumber },
    { rule: "an inbound rule names its peer with 'from'", text: vpc('security-group g { inbound tcp 22 <|to|> 0.0.0.0/0 }'), code: IssueCodes.WrongPreposition },
    { rule: "an outbound rule names its peer with 'to'", text: vpc('network-acl n { outbound 100 allow all <|from|> 0.0.0.0/0 }'), code: IssueCodes.WrongPreposition },
    { rule: 'ports are at most 65535', text: vpc('security-group g { inbound tcp <|65536|> from 0.0.0.0/0 }'), code: IssueCodes.PortOutOfRange },
    { rule: 'a port range is written low-high', text: vpc('network-acl n { inbound 100 allow tcp <|2000-1000|> from 0.0.0.0/0 }'), code: IssueCodes.PortRangeReversed },
    { rule: 'ports are not given for icmp', text: vpc('security-group g { inbound icmp <|8|> from 0.0.0.0/0 }'), code: IssueCodes.PortsNotAllowed },
    { rule: 'ports are not given for all', text: vpc('network-acl n { inbound 100 allow all <|0-65535|> from 0.0.0.0/0 }'), code: IssueCodes.PortsNotAllowed },
    { rule: 'a tcp rule needs ports', text: vpc('security-group g { inbound <|tcp|> from 0.0.0.0/0 }'), code: IssueCodes.PortMissing },
    { rule: 'a tcp expectation needs a port', text: 'expect internet -> 8.8.8.8 <|tcp|> reachable', code: IssueCodes.PortMissing },
    { rule: 'an icmp expectation takes no port', text: 'expect internet -> 8.8.8.8 icmp <|7|> reachable', code: IssueCodes.PortsNotAllowed },
    { rule: 'an icmp expectation takes no from-port', text: 'expect internet -> 8.8.8.8 icmp from-port <|7|> reachable', code: IssueCodes.PortsNotAllowed },
    { rule: 'an expectation port is at most 65535', text: 'expect internet -> 8.8.8.8 udp <|70000|> reachable', code: IssueCodes.PortOutOfRange },
];

function rules(count: number, make: (i: number) => string): string {
    return Array.from({ length: count }, (_, i) => make(i)).join(' ');
}

const quotas: Case[] = [
    { rule: 'more than 60 inbound rules in a security group exceed the quota (§6)', text: vpc(`security-group <|g|> { ${rules(61, i => `inbound tcp ${i + 1} from 0.0.0.0/0`)} }`), code: IssueCodes.QuotaSecurityGroupRules, severity: W, message: /§6/ },
    { rule: 'more than 20 rules per direction in a network ACL, final deny included, exceed the quota (§6)', text: vpc(`network-acl <|n|> { ${rules(20, i => `inbound ${i + 1} allow all from 0.0.0.0/0`)} }`), code: IssueCodes.QuotaNetworkAclRules, severity: W, message: /§6/ },
    { rule: 'more than 50 routes in a table exceed the quota (§6)', text: vpc(`route-table <|r|> { ${rules(51, i => `172.16.${i}.0/24 -> igw`)} }`), code: IssueCodes.QuotaRoutes, severity: W, message: /§6/ },
    { rule: 'more than 5 security groups on an interface exceed the quota (§6)', text: vpc(`security-group a security-group b security-group c security-group d security-group e security-group f subnet s 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { <|security-groups a, b, c, d, e, f|> } }`), code: IssueCodes.QuotaSecurityGroupsPerInterface, severity: W },
];

/** Near misses: valid configurations that must not report the code. */
const clean: Array<{ rule: string; text: string; code: string }> = [
    { rule: 'a canonical CIDR has no warning', text: vpc(''), code: IssueCodes.CidrNotCanonical },
    { rule: '/16 and /28 are valid VPC sizes', text: vpc('', 'cidr 10.0.0.0/16 cidr 10.1.0.0/28'), code: IssueCodes.VpcCidrSize },
    { rule: '100.64.0.0/10 is always allowed as a secondary CIDR', text: vpc('', 'cidr 10.0.0.0/16 cidr 100.64.0.0/16'), code: IssueCodes.VpcCidrRestricted },
    { rule: 'a subnet in a secondary CIDR is inside the VPC', text: vpc('subnet a 100.64.1.0/24 in us-east-1a', 'cidr 10.0.0.0/16 cidr 100.64.0.0/16'), code: IssueCodes.SubnetCidrOutsideVpc },
    { rule: 'the first usable address (+4) is not reserved', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.4 instance y 10.0.0.254 }'), code: IssueCodes.InstanceIpReserved },
    { rule: 'the same private address in two VPCs is fine', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 }') + ' vpc lab { cidr 10.0.0.0/16 subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 } }', code: IssueCodes.DuplicateAddress },
    { rule: 'documentation ranges count as public', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance x 10.0.0.10 { public-ip 203.0.113.5 } }'), code: IssueCodes.PublicIpNotPublic },
    { rule: 'a route to exactly a subnet CIDR through an instance is allowed (middlebox routing)', text: vpc('subnet a 10.0.0.0/24 in us-east-1a subnet b 10.0.1.0/24 in us-east-1a { instance fw 10.0.1.10 { source-dest-check off } } route-table r { 10.0.0.0/24 -> fw }'), code: IssueCodes.RouteMoreSpecificThanLocal },
    { rule: 'a route through an instance with the source/destination check off has no warning', text: vpc('subnet a 10.0.0.0/24 in us-east-1a { instance nat 10.0.0.10 { source-dest-check off } } route-table r { 0.0.0.0/0 -> nat }'), code: IssueCodes.RouteTargetSourceDestCheck },
    { rule: 'the same rule number in both directions is fine', text: vpc('network-acl n { inbound 100 allow all from 0.0.0.0/0 outbound 100 allow all to 0.0.0.0/0 }'), code: IssueCodes.DuplicateNaclRuleNumber },
    { rule: '19 rules plus the final deny are within the network ACL quota', text: vpc(`network-acl n { ${rules(19, i => `inbound ${i + 1} allow all from 0.0.0.0/0`)} }`), code: IssueCodes.QuotaNetworkAclRules },
    { rule: 'a Local Zone of the region is in the region', text: vpc('subnet a 10.0.0.0/24 in us-east-1-bos-1a'), code: IssueCodes.AzNotInRegion },
];

describe('validation', () => {
    afterEach(() => reset(services));

    for (const c of [...cases, ...quotas]) {
        it(c.rule, async () => {
            const { output, ranges } = replaceIndices({ text: c.text });
            assert.strictEqual(ranges.length, 1, 'one <|range|> per case');
            const result = await validate(output);
            const [start, end] = ranges[0];
            expectIssue(result, {
                code: c.code, data: { code: c.code, ...c.data }, severity: c.severity ?? E, message: c.message,
                offset: start, length: end - start,
            });
        });
    }

    for (const c of clean) {
        it(c.rule, async () => {
            const result = await validate(c.text);
            expectNoIssues(result, { data: { code: c.code } });
        });
    }

    it('the contract example has no diagnostics at all', async () => {
        const result = await validate(CONTRACT);
        assert.deepStrictEqual(result.diagnostics.map(d => d.message), []);
    });

    it('parser errors carry their code as the LSP code too', async () => {
        const result = await validate('vpc {');
        assert.ok(result.diagnostics.length > 0);
        for (const d of result.diagnostics) assert.strictEqual(d.code, (d.data as { code: string }).code);
    });

    it('an AZ belongs to a region when it is the region plus a zone letter', () => {
        assert.strictEqual(azInRegion('us-east-1a', 'us-east-1'), true);
        assert.strictEqual(azInRegion('us-east-11a', 'us-east-1'), false);
        assert.strictEqual(azInRegion('us-east-1', 'us-east-1'), false);
    });
});
