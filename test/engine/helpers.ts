/**
 * A small fluent builder for engine test models. Rules, routes and expectations are written the
 * way .vnet files write them ("inbound tcp 443 from 0.0.0.0/0", "0.0.0.0/0 -> igw",
 * "client -> web tcp 443 reachable"), so tests read like the networks they describe.
 */
import type {
  EndpointRef, Expectation, Instance, NetworkAcl, NetworkModel, Protocol, RouteTable, SecurityGroup,
  SecurityGroupRule, NetworkAclRule, Subnet, Vpc, PortRange,
} from '../../engine/model.js';
import { analyze, compile, trace, type TraceResult } from '../../engine/index.js';
import { parseIp } from '../../engine/ip.js';

function ports(text: string | undefined): PortRange | undefined {
  if (!text) return undefined;
  const [a, b] = text.split('-').map(Number);
  return { from: a, to: b ?? a };
}

/** "inbound tcp 443 from 0.0.0.0/0", "outbound all to web-sg". */
export function sgRule(text: string, vpc: string): SecurityGroupRule {
  const m = /^(inbound|outbound)\s+(tcp|udp|icmp|all)(?:\s+(\d+(?:-\d+)?))?\s+(?:from|to)\s+(\S+)$/.exec(text.trim());
  if (!m) throw new Error(`bad security group rule: ${text}`);
  const peerText = m[4];
  const peer = /^[\d.:]+\/\d+$/.test(peerText) || peerText.includes(':') && peerText.includes('/')
    ? { kind: 'cidr' as const, cidr: peerText }
    : peerText.includes('.') && !/^\d/.test(peerText)
      ? { kind: 'security-group' as const, vpc: peerText.split('.')[0], name: peerText.split('.')[1] }
      : /^\d/.test(peerText) ? { kind: 'cidr' as const, cidr: peerText } : { kind: 'security-group' as const, vpc, name: peerText };
  return { direction: m[1] as 'inbound' | 'outbound', protocol: m[2] as Protocol, ports: ports(m[3]), peer };
}

/** "inbound 100 allow tcp 443 from 0.0.0.0/0". */
export function aclRule(text: string): NetworkAclRule {
  const m = /^(inbound|outbound)\s+(\d+)\s+(allow|deny)\s+(tcp|udp|icmp|all)(?:\s+(\d+(?:-\d+)?))?\s+(?:from|to)\s+(\S+)$/.exec(text.trim());
  if (!m) throw new Error(`bad network ACL rule: ${text}`);
  return {
    direction: m[1] as 'inbound' | 'outbound', number: Number(m[2]), action: m[3] as 'allow' | 'deny',
    protocol: m[4] as Protocol, ports: ports(m[5]), cidr: m[6],
  };
}

export interface InstanceOptions { publicIp?: string; groups?: string[]; sourceDestCheck?: boolean }

export class SubnetBuilder {
  constructor(readonly subnet: Subnet) {}
  routeTable(name: string): this { this.subnet.routeTable = name; return this; }
  acl(name: string): this { this.subnet.networkAcl = name; return this; }
  instance(name: string, privateIp: string, options: InstanceOptions = {}): this {
    const inst: Instance = { name, privateIp, securityGroups: options.groups ?? [], sourceDestCheck: options.sourceDestCheck ?? true };
    if (options.publicIp) inst.publicIp = options.publicIp;
    this.subnet.instances.push(inst);
    return this;
  }
}

export class VpcBuilder {
  constructor(readonly vpc: Vpc) {}
  cidr(cidr: string): this { this.vpc.cidrs.push(cidr); return this; }
  igw(name = 'igw'): this { this.vpc.internetGateway = { name }; return this; }
  account(account: string): this { this.vpc.account = account; return this; }
  subnet(name: string, cidr: string, build: (s: SubnetBuilder) => void = () => {}, az = 'us-east-1a'): this {
    const subnet: Subnet = { name, cidr, az, instances: [] };
    build(new SubnetBuilder(subnet));
    this.vpc.subnets.push(subnet);
    return this;
  }
  routeTable(name: string, routes: string[], options: { main?: boolean } = {}): this {
    const table: RouteTable = {
      name, main: options.main ?? false,
      routes: routes.map(r => { const [destination, target] = r.split('->').map(x => x.trim()); return { destination, target }; }),
    };
    this.vpc.routeTables.push(table);
    return this;
  }
  sg(name: string, rules: string[]): this {
    const group: SecurityGroup = { name, rules: rules.map(r => sgRule(r, this.vpc.name)) };
    this.vpc.securityGroups.push(group);
    return this;
  }
  acl(name: string, rules: string[]): this {
    const acl: NetworkAcl = { name, rules: rules.map(aclRule) };
    this.vpc.networkAcls.push(acl);
    return this;
  }
}

export class ModelBuilder {
  readonly model: NetworkModel = { vpcs: [], internetHosts: [], expectations: [] };
  vpc(name: string, build: (v: VpcBuilder) => void, cidr?: string): this {
    const vpc: Vpc = { name, region: 'us-east-1', cidrs: cidr ? [cidr] : [], subnets: [], routeTables: [], securityGroups: [], networkAcls: [] };
    build(new VpcBuilder(vpc));
    this.model.vpcs.push(vpc);
    return this;
  }
  host(name: string, ip: string): this { this.model.internetHosts.push({ name, ip }); return this; }
  /** "client -> web tcp 443 reachable", optionally "... from-port 40000". */
  expect(text: string): this { this.model.expectations.push(expectation(this.model, text)); return this; }
  build(): NetworkModel { return this.model; }
}

export function network(): ModelBuilder {
  return new ModelBuilder();
}

/** Resolves endpoint text the way the language does: qualified, bare (unique) name, IP, internet. */
export function endpoint(model: NetworkModel, text: string): EndpointRef {
  if (text === 'internet') return { kind: 'internet' };
  if (parseIp(text)) return { kind: 'ip', ip: text };
  if (text.includes('.')) { const [vpc, name] = text.split('.'); return { kind: 'instance', vpc, name }; }
  for (const vpc of model.vpcs) for (const s of vpc.subnets) if (s.instances.some(i => i.name === text)) return { kind: 'instance', vpc: vpc.name, name: text };
  if (model.internetHosts.some(h => h.name === text)) return { kind: 'host', name: text };
  return { kind: 'host', name: text }; // unresolved: the engine must explain it
}

export function expectation(model: NetworkModel, text: string): Expectation {
  const m = /^(\S+)\s*->\s*(\S+)\s+(tcp|udp|icmp|all)(?:\s+(\d+))?(?:\s+from-port\s+(\d+))?(?:\s+(reachable|unreachable))?$/.exec(text.trim());
  if (!m) throw new Error(`bad expectation: ${text}`);
  const e: Expectation = {
    source: endpoint(model, m[1]), destination: endpoint(model, m[2]), sourceText: m[1], destinationText: m[2],
    protocol: m[3] as Protocol, expected: (m[6] as 'reachable' | 'unreachable') ?? 'reachable',
  };
  if (m[4]) e.port = Number(m[4]);
  if (m[5]) e.fromPort = Number(m[5]);
  return e;
}

/** Traces "A -> B proto [port] [from-port N]" through the model. */
export function traceOf(model: NetworkModel, text: string): TraceResult {
  const e = expectation(model, text);
  return trace(compile(model), { source: e.source, destination: e.destination, protocol: e.protocol, port: e.port, fromPort: e.fromPort });
}

export { analyze, compile };

/** The hops of one direction. */
export function hopsOf(result: TraceResult, direction: 'forward' | 'return') {
  return result.hops.filter(h => h.direction === direction);
}

/** The value of a header field in a hop's stack ("IPv4", "src"). */
export function field(stack: { name: string; fields: { name: string; value: string; changed?: boolean }[] }[], header: string, name: string) {
  return stack.find(h => h.name === header)?.fields.find(f => f.name === name);
}
