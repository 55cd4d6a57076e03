/**
 * PacketPath payloads for the webview tests, written by hand as realistic engine output (the engine
 * did not exist yet): a VPC `shop` (10.0.0.0/16) with a public subnet (web 10.0.1.10, public
 * 54.210.33.7) and a private subnet (app 10.0.2.20). Inside the VPC a packet travels host to host in
 * the VPC encapsulation, whose format AWS does not publish: those headers carry `modelled: true`
 * (aws-data-plane.md §5.6). MTUs: 9001 inside the VPC, 1500 through the internet gateway (§4).
 */
import type { Header, Hop, TraceResult } from '../../engine/path.js';
import type { PacketPath, PacketPathExpectation } from '../../server/protocol.js';

export const SHOP_URI = 'file:///work/samples/shop.vnet';

function at(line: number, from: number, to: number) {
  return { uri: SHOP_URI, start: { line, character: from }, end: { line, character: to } };
}

/** Where the fixture model's elements are declared in shop.vnet. */
export const ORIGIN = {
  web: at(30, 2, 40),
  app: at(34, 2, 40),
  webSg: at(12, 2, 30),
  webSgEgress443: at(14, 4, 42),
  webSgIngress443: at(13, 4, 44),
  webSgEgressApp: at(15, 4, 46),
  appSg: at(17, 2, 30),
  appSgIngress: at(18, 4, 48),
  publicAcl: at(20, 2, 32),
  publicAclIn443: at(21, 4, 48),
  publicAclInEphemeral: at(22, 4, 58),
  publicAclOut100: at(23, 4, 46),
  privateAcl: at(25, 2, 33),
  publicRt: at(6, 2, 28),
  publicRtDefault: at(7, 4, 30),
  publicRtLocal: at(8, 4, 30),
  privateRt: at(9, 2, 29),
  igw: at(4, 2, 14),
};

const VPC_ID = 'vpc-0c4f1a7e93b2d5860';
const IGW_ID = 'igw-07d2a9c4e1b53f860';
const WEB = { ip: '10.0.1.10', publicIp: '54.210.33.7', eni: 'eni-0a3f9c2e7d41b6805', mac: '02:3f:9c:2e:7d:41', host: '100.100.12.7' };
const APP = { ip: '10.0.2.20', eni: 'eni-05b81d4c2a9e7f316', mac: '02:b8:1d:4c:2a:9e', host: '100.100.40.23' };
const EDGE = '100.100.250.1';
const PUBLIC_GATEWAY_MAC = '02:00:0a:00:01:01';
const PRIVATE_GATEWAY_MAC = '02:00:0a:00:02:01';
const INTERNET_HOST = '198.51.100.7';
const EXAMPLE_COM = '93.184.216.34';

type FieldSpec = Record<string, string | number | { value: string | number; changed: true }>;

function header(kind: Header['kind'], name: string, bytes: number, fields: FieldSpec, modelled = false): Header {
  const built: Header = {
    kind,
    name,
    bytes,
    fields: Object.entries(fields).map(([fieldName, v]) => typeof v === 'object'
      ? { name: fieldName, value: String(v.value), changed: true }
      : { name: fieldName, value: String(v) }),
  };
  if (modelled) built.modelled = true;
  return built;
}

const changed = (value: string | number) => ({ value, changed: true as const });

function ethernet(src: string, dst: string): Header {
  return header('ethernet', 'Ethernet', 14, { src: src, dst: dst, ethertype: '0x0800 (IPv4)' });
}
function ipv4(src: FieldSpec[string], dst: FieldSpec[string], ttl = 64): Header {
  return header('ipv4', 'IPv4', 20, { src, dst, protocol: '6 (tcp)', ttl });
}
function tcp(srcPort: number, dstPort: number, flags = 'SYN'): Header {
  return header('tcp', 'TCP', 20, { 'src port': srcPort, 'dst port': dstPort, flags });
}
/** The modelled VPC encapsulation around an inner IP packet (no inner Ethernet between hosts). */
function encapsulated(outerSrc: string, outerDst: string, srcIf: string, dstIf: string, inner: Header[]): Header[] {
  return [
    header('ipv4', 'IPv4 (underlay, modelled)', 20, { src: outerSrc, dst: outerDst, protocol: '17 (udp)', ttl: 64 }, true),
    header('udp', 'UDP (modelled)', 8, { 'src port': 51820, 'dst port': 4242 }, true),
    header('vpc-encap', 'VPC encapsulation (modelled)', 16, { 'vpc id': VPC_ID, 'src interface': srcIf, 'dst interface': dstIf }, true),
    ...inner.filter(h => h.kind !== 'ethernet'),
  ];
}

function hop(h: Omit<Hop, 'headersBefore' | 'headers'> & { headers: Header[]; headersBefore?: Header[] }): Hop {
  return { ...h, headersBefore: h.headersBefore ?? h.headers };
}

function expectation(line: number, text: string, source: string, destination: string, port: number,
  expected: 'reachable' | 'unreachable', holds: boolean): PacketPathExpectation {
  return {
    uri: SHOP_URI,
    range: { start: { line, character: 0 }, end: { line, character: text.length } },
    text, source, destination, protocol: 'tcp', port, expected, holds,
  };
}

// ---------------------------------------------------------------------------------------------
// 1. Reachable: web -> app tcp 8080, two subnets of one VPC, host to host through the underlay.

function reachableHops(): Hop[] {
  const out = [ethernet(WEB.mac, PUBLIC_GATEWAY_MAC), ipv4(WEB.ip, APP.ip), tcp(49152, 8080)];
  const outEncap = encapsulated(WEB.host, APP.host, WEB.eni, APP.eni, out);
  const outDelivered = [ethernet(PRIVATE_GATEWAY_MAC, APP.mac), ipv4(WEB.ip, APP.ip, 63), tcp(49152, 8080)];
  const back = [ethernet(APP.mac, PRIVATE_GATEWAY_MAC), ipv4(APP.ip, WEB.ip), tcp(8080, 49152, 'SYN ACK')];
  const backEncap = encapsulated(APP.host, WEB.host, APP.eni, WEB.eni, back);
  const backDelivered = [ethernet(PUBLIC_GATEWAY_MAC, WEB.mac), ipv4(APP.ip, WEB.ip, 63), tcp(8080, 49152, 'SYN ACK')];
  return [
    hop({ direction: 'forward', component: 'shop.web', kind: 'instance', place: 'source', action: 'send', detail: 'shop.web sends tcp 49152 → 10.0.2.20:8080 from eni-0a3f9c2e7d41b6805.', origin: ORIGIN.web, headersBefore: [], headers: out, mtu: 9001 }),
    hop({ direction: 'forward', component: 'shop.web-sg', kind: 'security-group', place: 'source-host', action: 'allow', detail: 'Outbound rule allows tcp 8080 to 10.0.2.0/24.', rule: { text: 'outbound allow tcp 8080 to 10.0.2.0/24', origin: ORIGIN.webSgEgressApp }, origin: ORIGIN.webSg, headers: out }),
    hop({ direction: 'forward', component: 'shop.public-acl', kind: 'network-acl', place: 'source-host', action: 'allow', detail: 'Outbound rule 100 allows all traffic to 0.0.0.0/0.', rule: { text: 'outbound 100 allow all to 0.0.0.0/0', origin: ORIGIN.publicAclOut100 }, origin: ORIGIN.publicAcl, headers: out }),
    hop({ direction: 'forward', component: 'shop.public-rt', kind: 'route-table', place: 'source-host', action: 'route', detail: '10.0.2.20 matches the local route 10.0.0.0/16.', rule: { text: 'route 10.0.0.0/16 local', origin: ORIGIN.publicRtLocal }, origin: ORIGIN.publicRt, headers: out }),
    hop({ direction: 'forward', component: 'shop.mapping-service', kind: 'mapping-service', place: 'source-host', action: 'lookup', detail: `10.0.2.20 in ${VPC_ID} is ${APP.eni} on host ${APP.host}.`, headers: out }),
    hop({ direction: 'forward', component: 'host 100.100.12.7', kind: 'host', place: 'source-host', action: 'encapsulate', detail: 'The Nitro card wraps the packet in the VPC encapsulation toward host 100.100.40.23.', headersBefore: out, headers: outEncap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', detail: 'The physical network carries the packet from 100.100.12.7 to 100.100.40.23.', headers: outEncap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'host 100.100.40.23', kind: 'host', place: 'destination-host', action: 'decapsulate', detail: 'The destination host checks the outer source against the mapping and unwraps the packet.', headersBefore: outEncap, headers: outDelivered }),
    hop({ direction: 'forward', component: 'shop.private-acl', kind: 'network-acl', place: 'destination-host', action: 'allow', detail: 'Default network ACL: allows all inbound traffic.', origin: ORIGIN.privateAcl, headers: outDelivered }),
    hop({ direction: 'forward', component: 'shop.app-sg', kind: 'security-group', place: 'destination-host', action: 'allow', detail: 'Inbound rule allows tcp 8080 from members of shop.web-sg.', rule: { text: 'inbound allow tcp 8080 from web-sg', origin: ORIGIN.appSgIngress }, origin: ORIGIN.appSg, headers: outDelivered }),
    hop({ direction: 'forward', component: 'shop.app', kind: 'instance', place: 'destination', action: 'deliver', detail: 'Delivered to shop.app (10.0.2.20) on eni-05b81d4c2a9e7f316.', origin: ORIGIN.app, headers: outDelivered }),
    hop({ direction: 'return', component: 'shop.app', kind: 'instance', place: 'destination', action: 'send', detail: 'shop.app replies tcp 8080 → 10.0.1.10:49152.', origin: ORIGIN.app, headersBefore: [], headers: back, mtu: 9001 }),
    hop({ direction: 'return', component: 'shop.app-sg', kind: 'security-group', place: 'destination-host', action: 'allow', detail: 'Reply of a tracked flow: security groups are stateful.', origin: ORIGIN.appSg, headers: back }),
    hop({ direction: 'return', component: 'shop.private-acl', kind: 'network-acl', place: 'destination-host', action: 'allow', detail: 'Default network ACL: allows all outbound traffic.', origin: ORIGIN.privateAcl, headers: back }),
    hop({ direction: 'return', component: 'shop.private-rt', kind: 'route-table', place: 'destination-host', action: 'route', detail: '10.0.1.10 matches the local route 10.0.0.0/16.', origin: ORIGIN.privateRt, headers: back }),
    hop({ direction: 'return', component: 'host 100.100.40.23', kind: 'host', place: 'destination-host', action: 'encapsulate', detail: 'Wrapped in the VPC encapsulation toward host 100.100.12.7.', headersBefore: back, headers: backEncap, mtu: 9001 }),
    hop({ direction: 'return', component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', detail: 'The physical network carries the reply to 100.100.12.7.', headers: backEncap, mtu: 9001 }),
    hop({ direction: 'return', component: 'host 100.100.12.7', kind: 'host', place: 'source-host', action: 'decapsulate', detail: 'Unwrapped on the host of shop.web.', headersBefore: backEncap, headers: backDelivered }),
    hop({ direction: 'return', component: 'shop.public-acl', kind: 'network-acl', place: 'source-host', action: 'allow', detail: 'Inbound rule 110 allows tcp 1024-65535 from 0.0.0.0/0.', rule: { text: 'inbound 110 allow tcp 1024-65535 from 0.0.0.0/0', origin: ORIGIN.publicAclInEphemeral }, origin: ORIGIN.publicAcl, headers: backDelivered }),
    hop({ direction: 'return', component: 'shop.web-sg', kind: 'security-group', place: 'source-host', action: 'allow', detail: 'Reply of a tracked flow: security groups are stateful.', origin: ORIGIN.webSg, headers: backDelivered }),
    hop({ direction: 'return', component: 'shop.web', kind: 'instance', place: 'source', action: 'deliver', detail: 'The reply reaches shop.web.', origin: ORIGIN.web, headers: backDelivered }),
  ];
}

export function reachablePath(): PacketPath {
  const result: TraceResult = {
    verdict: 'reachable',
    code: null,
    direction: null,
    reason: 'shop.web reaches shop.app on tcp 8080 and the reply comes back.',
    flow: { protocol: 'tcp', srcIp: WEB.ip, dstIp: APP.ip, srcPort: 49152, dstPort: 8080 },
    hops: reachableHops(),
  };
  return { expectation: expectation(40, 'expect web -> app tcp 8080 reachable', 'web', 'app', 8080, 'reachable', true), result, analysisVersion: 7 };
}

// ---------------------------------------------------------------------------------------------
// 2. Dropped on the return: internet -> web tcp 443; the public ACL has no outbound rule for the
//    reply's ephemeral port (network ACLs are stateless).

export const RETURN_DROP_RULE = 'outbound * deny all (no rule matched tcp 443 → port 49152)';

export function returnDropPath(): PacketPath {
  const arriving = [ipv4(INTERNET_HOST, WEB.publicIp, 52), tcp(49152, 443)];
  const translated = [ipv4(INTERNET_HOST, changed(WEB.ip), 52), tcp(49152, 443)];
  const encap = encapsulated(EDGE, WEB.host, IGW_ID, WEB.eni, translated.map(h => ({ ...h, fields: h.fields.map(f => ({ name: f.name, value: f.value })) })));
  const delivered = [ethernet(PUBLIC_GATEWAY_MAC, WEB.mac), ipv4(INTERNET_HOST, WEB.ip, 51), tcp(49152, 443)];
  const reply = [ethernet(WEB.mac, PUBLIC_GATEWAY_MAC), ipv4(WEB.ip, INTERNET_HOST), tcp(443, 49152, 'SYN ACK')];
  const dropRule = { text: RETURN_DROP_RULE, origin: ORIGIN.publicAcl };
  const hops: Hop[] = [
    hop({ direction: 'forward', component: 'internet', kind: 'internet', place: 'internet', action: 'send', detail: `An internet host (${INTERNET_HOST}, outside every network) sends tcp to 54.210.33.7:443.`, headersBefore: [], headers: arriving, mtu: 1500 }),
    hop({ direction: 'forward', component: 'shop.igw', kind: 'internet-gateway', place: 'blackfoot', action: 'translate', detail: '1:1 NAT: destination 54.210.33.7 (public IP of shop.web) → 10.0.1.10.', origin: ORIGIN.igw, headersBefore: arriving, headers: translated }),
    hop({ direction: 'forward', component: 'shop.igw', kind: 'internet-gateway', place: 'blackfoot', action: 'encapsulate', detail: 'The edge wraps the packet in the VPC encapsulation toward the host of shop.web.', origin: ORIGIN.igw, headersBefore: translated, headers: encap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', detail: 'The physical network carries the packet from the edge to 100.100.12.7.', headers: encap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'host 100.100.12.7', kind: 'host', place: 'destination-host', action: 'decapsulate', detail: 'Unwrapped on the host of shop.web.', headersBefore: encap, headers: delivered }),
    hop({ direction: 'forward', component: 'shop.public-acl', kind: 'network-acl', place: 'destination-host', action: 'allow', detail: 'Inbound rule 100 allows tcp 443 from 0.0.0.0/0.', rule: { text: 'inbound 100 allow tcp 443 from 0.0.0.0/0', origin: ORIGIN.publicAclIn443 }, origin: ORIGIN.publicAcl, headers: delivered }),
    hop({ direction: 'forward', component: 'shop.web-sg', kind: 'security-group', place: 'destination-host', action: 'allow', detail: 'Inbound rule allows tcp 443 from 0.0.0.0/0.', rule: { text: 'inbound allow tcp 443 from 0.0.0.0/0', origin: ORIGIN.webSgIngress443 }, origin: ORIGIN.webSg, headers: delivered }),
    hop({ direction: 'forward', component: 'shop.web', kind: 'instance', place: 'destination', action: 'deliver', detail: 'Delivered to shop.web (10.0.1.10).', origin: ORIGIN.web, headers: delivered }),
    hop({ direction: 'return', component: 'shop.web', kind: 'instance', place: 'destination', action: 'send', detail: 'shop.web replies tcp 443 → 198.51.100.7:49152.', origin: ORIGIN.web, headersBefore: [], headers: reply, mtu: 9001 }),
    hop({ direction: 'return', component: 'shop.web-sg', kind: 'security-group', place: 'destination-host', action: 'allow', detail: 'Reply of a tracked flow: security groups are stateful.', origin: ORIGIN.webSg, headers: reply }),
    hop({ direction: 'return', component: 'shop.public-acl', kind: 'network-acl', place: 'destination-host', action: 'drop', detail: 'No outbound rule allows tcp to port 49152: network ACLs are stateless, the reply needs its own rule.', rule: dropRule, origin: ORIGIN.publicAcl, code: 'SUBNET_ACL_RESTRICTION', headersBefore: reply, headers: [] }),
  ];
  const result: TraceResult = {
    verdict: 'unreachable',
    code: 'SUBNET_ACL_RESTRICTION',
    direction: 'return',
    component: 'shop.public-acl',
    reason: 'The reply from shop.web to port 49152 is denied by shop.public-acl: add an outbound rule for tcp 1024-65535.',
    rule: dropRule,
    flow: { protocol: 'tcp', srcIp: INTERNET_HOST, dstIp: WEB.publicIp, srcPort: 49152, dstPort: 443 },
    hops,
  };
  return { expectation: expectation(41, 'expect internet -> web tcp 443 reachable', 'internet', 'web', 443, 'reachable', false), result, analysisVersion: 7 };
}

// ---------------------------------------------------------------------------------------------
// 3. NAT and encapsulation: web -> 93.184.216.34 tcp 443 out through the internet gateway, whose
//    1:1 NAT rewrites the source 10.0.1.10 → 54.210.33.7 (and the reply's destination back).

export function natPath(): PacketPath {
  const out = [ethernet(WEB.mac, PUBLIC_GATEWAY_MAC), ipv4(WEB.ip, EXAMPLE_COM), tcp(49152, 443)];
  const outEncap = encapsulated(WEB.host, EDGE, WEB.eni, IGW_ID, out);
  const onInternet = [ipv4(changed(WEB.publicIp), EXAMPLE_COM, 63), tcp(49152, 443)];
  const reply = [ipv4(EXAMPLE_COM, WEB.publicIp, 55), tcp(443, 49152, 'SYN ACK')];
  const replyTranslated = [ipv4(EXAMPLE_COM, changed(WEB.ip), 55), tcp(443, 49152, 'SYN ACK')];
  const replyEncap = encapsulated(EDGE, WEB.host, IGW_ID, WEB.eni, [ipv4(EXAMPLE_COM, WEB.ip, 55), tcp(443, 49152, 'SYN ACK')]);
  const replyDelivered = [ethernet(PUBLIC_GATEWAY_MAC, WEB.mac), ipv4(EXAMPLE_COM, WEB.ip, 54), tcp(443, 49152, 'SYN ACK')];
  const hops: Hop[] = [
    hop({ direction: 'forward', component: 'shop.web', kind: 'instance', place: 'source', action: 'send', detail: 'shop.web sends tcp 49152 → 93.184.216.34:443.', origin: ORIGIN.web, headersBefore: [], headers: out, mtu: 9001 }),
    hop({ direction: 'forward', component: 'shop.web-sg', kind: 'security-group', place: 'source-host', action: 'allow', detail: 'Outbound rule allows tcp 443 to 0.0.0.0/0.', rule: { text: 'outbound allow tcp 443 to 0.0.0.0/0', origin: ORIGIN.webSgEgress443 }, origin: ORIGIN.webSg, headers: out }),
    hop({ direction: 'forward', component: 'shop.public-acl', kind: 'network-acl', place: 'source-host', action: 'allow', detail: 'Outbound rule 100 allows all traffic to 0.0.0.0/0.', rule: { text: 'outbound 100 allow all to 0.0.0.0/0', origin: ORIGIN.publicAclOut100 }, origin: ORIGIN.publicAcl, headers: out }),
    hop({ direction: 'forward', component: 'shop.public-rt', kind: 'route-table', place: 'source-host', action: 'route', detail: '93.184.216.34 matches 0.0.0.0/0 → shop.igw (longest prefix).', rule: { text: 'route 0.0.0.0/0 -> igw', origin: ORIGIN.publicRtDefault }, origin: ORIGIN.publicRt, headers: out }),
    hop({ direction: 'forward', component: 'host 100.100.12.7', kind: 'host', place: 'source-host', action: 'encapsulate', detail: 'Wrapped in the VPC encapsulation toward the internet gateway edge 100.100.250.1.', headersBefore: out, headers: outEncap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', detail: 'The physical network carries the packet to the Blackfoot edge.', headers: outEncap, mtu: 9001 }),
    hop({ direction: 'forward', component: 'shop.igw', kind: 'internet-gateway', place: 'blackfoot', action: 'translate', detail: '1:1 NAT: source 10.0.1.10 → 54.210.33.7 (public IP of shop.web); the VPC encapsulation is removed.', origin: ORIGIN.igw, headersBefore: outEncap, headers: onInternet, mtu: 1500 }),
    hop({ direction: 'forward', component: '93.184.216.34', kind: 'internet', place: 'internet', action: 'deliver', detail: 'The internet accepts the public destination 93.184.216.34.', headers: onInternet }),
    hop({ direction: 'return', component: '93.184.216.34', kind: 'internet', place: 'internet', action: 'send', detail: '93.184.216.34 replies to 54.210.33.7:49152.', headersBefore: [], headers: reply, mtu: 1500 }),
    hop({ direction: 'return', component: 'shop.igw', kind: 'internet-gateway', place: 'blackfoot', action: 'translate', detail: '1:1 NAT reversed: destination 54.210.33.7 → 10.0.1.10.', origin: ORIGIN.igw, headersBefore: reply, headers: replyTranslated }),
    hop({ direction: 'return', component: 'shop.igw', kind: 'internet-gateway', place: 'blackfoot', action: 'encapsulate', detail: 'The edge wraps the reply in the VPC encapsulation toward host 100.100.12.7.', origin: ORIGIN.igw, headersBefore: replyTranslated, headers: replyEncap, mtu: 9001 }),
    hop({ direction: 'return', component: 'underlay', kind: 'underlay', place: 'underlay', action: 'forward', detail: 'The physical network carries the reply to 100.100.12.7.', headers: replyEncap, mtu: 9001 }),
    hop({ direction: 'return', component: 'host 100.100.12.7', kind: 'host', place: 'source-host', action: 'decapsulate', detail: 'Unwrapped on the host of shop.web.', headersBefore: replyEncap, headers: replyDelivered }),
    hop({ direction: 'return', component: 'shop.public-acl', kind: 'network-acl', place: 'source-host', action: 'allow', detail: 'Inbound rule 110 allows tcp 1024-65535 from 0.0.0.0/0.', rule: { text: 'inbound 110 allow tcp 1024-65535 from 0.0.0.0/0', origin: ORIGIN.publicAclInEphemeral }, origin: ORIGIN.publicAcl, headers: replyDelivered }),
    hop({ direction: 'return', component: 'shop.web-sg', kind: 'security-group', place: 'source-host', action: 'allow', detail: 'Reply of a tracked flow: security groups are stateful.', origin: ORIGIN.webSg, headers: replyDelivered }),
    hop({ direction: 'return', component: 'shop.web', kind: 'instance', place: 'source', action: 'deliver', detail: 'The reply reaches shop.web.', origin: ORIGIN.web, headers: replyDelivered }),
  ];
  const result: TraceResult = {
    verdict: 'reachable',
    code: null,
    direction: null,
    reason: 'shop.web reaches 93.184.216.34 through shop.igw, which translates 10.0.1.10 ↔ 54.210.33.7.',
    flow: { protocol: 'tcp', srcIp: WEB.ip, dstIp: EXAMPLE_COM, srcPort: 49152, dstPort: 443 },
    hops,
  };
  return { expectation: expectation(42, 'expect web -> 93.184.216.34 tcp 443 reachable', 'web', '93.184.216.34', 443, 'reachable', true), result, analysisVersion: 8 };
}

/** Index of the first hop matching `predicate` (the tests address nodes by hop index). */
export function hopIndex(path: PacketPath, predicate: (hop: Hop) => boolean): number {
  const index = path.result.hops.findIndex(predicate);
  if (index < 0) throw new Error('fixture has no such hop');
  return index;
}
