/**
 * Hovers: the trace of an `expect` statement anywhere on it, the mapping-service entry of an
 * instance (declaration and reference), documentation comments elsewhere.
 */
import { afterEach, describe, it } from 'mocha';
import { expectHover } from 'langium/test';
import { createServices, reset } from './helpers.js';

const services = createServices();
const hover = expectHover(services.Vnet);

const NET = `vpc shop {
  cidr 10.0.0.0/16
  internet-gateway igw
  subnet public-a 10.0.0.0/24 in us-east-1a {
    route-table public
    instance web 10.0.0.10 { public-ip 54.0.0.10 security-groups web-sg }
    instance fw 10.0.0.20 { source-dest-check off }
  }
  route-table public { 0.0.0.0/0 -> igw }
  route-table inspect { 10.0.0.0/24 -> f<|>w }
  /** The web tier's group. */
  security-group web-sg { inbound tcp 443 from 0.0.0.0/0 outbound all to 0.0.0.0/0 }
}
internet { host client 198.51.100.7 }
`;

describe('hover', () => {
    afterEach(() => reset(services));

    it('shows the trace of an expect statement on its keyword: verdict, hops, headers', async () => {
        await hover({
            text: `${NET}ex<|>pect client -> web tcp 443 reachable`,
            index: 1,
            hover: /expect client -> web: expected reachable, holds[\s\S]*Reachable[\s\S]*shop\.igw/,
        });
    });

    it('shows the trace anywhere on the statement (endpoint, protocol, verdict)', async () => {
        for (const marked of ['expect client -> w<|>eb tcp 443 reachable', 'expect client -> web t<|>cp 443 reachable', 'expect client -> web tcp 443 unreach<|>able']) {
            await hover({ text: NET + marked, index: 1, hover: /expect client -> web: expected (un)?reachable/, disposeAfterCheck: true });
        }
    });

    it('says when the expectation does not hold and where the packet dies', async () => {
        await hover({
            text: `${NET}expect client -> web tcp 2<|>2 reachable`,
            index: 1,
            hover: /does not hold[\s\S]*Unreachable[\s\S]*ENI_SG_RULES_MISMATCH/,
        });
    });

    it('shows the mapping-service entry on an instance declaration', async () => {
        await hover({
            // This marker comes before the route target's marker in NET.
            text: NET.replace('instance web 10', 'instance w<|>eb 10'),
            index: 0,
            hover: /Mapping service entry[\s\S]*shop\.web[\s\S]*10\.0\.0\.10[\s\S]*54\.0\.0\.10/,
        });
    });

    it('shows the mapping-service entry on a reference to an instance (a route target)', async () => {
        await hover({ text: NET, index: 0, hover: /Mapping service entry[\s\S]*shop\.fw/ });
    });

    it('keeps documentation comments on other declarations', async () => {
        await hover({ text: NET.replace('security-group web-sg {', 'security-group we<|>b-sg {'), index: 1, hover: /The web tier's group\./ });
    });
});
