/**
 * PacketPath payloads for the webview tests, computed by the real language and engine from a small
 * network (SHOP_VNET) and assembled by the server's own `packetPath` (server/packet-path.ts): the
 * view is tested on exactly what `vnet/packetPath` answers.
 *
 * - web -> app tcp 8080: reachable, host to host through the underlay.
 * - client -> web tcp 443: dropped on the return, because network ACLs are stateless and the
 *   `edge` ACL has no outbound rule for the reply's ephemeral port.
 * - web -> 93.184.216.34 tcp 443: out through the internet gateway, whose 1:1 NAT rewrites the
 *   source 10.0.1.10 to 54.210.33.7; inside the VPC the packet travels in the (modelled) VPC
 *   encapsulation.
 * - app -> 64:ff9b::5db8:d822 tcp 443: NAT64 — the NAT gateway turns app's IPv6 packet into an IPv4
 *   one for 93.184.216.34 (the address in the last 32 bits).
 */
import { EmptyFileSystem, URI } from 'langium';
import type { Hop } from '../../engine/path.js';
import { createVnetServices } from '../../language/vnet-module.js';
import { packetPath } from '../../server/packet-path.js';
import type { PacketPath, Position } from '../../server/protocol.js';

export const SHOP_URI = 'file:///ws/shop.vnet';

export const SHOP_VNET = `vpc shop {
  cidr 10.0.0.0/16
  ipv6 2600:1f18:abcd::/56
  internet-gateway igw
  nat-gateway nat in nat-a public-ip 54.210.33.9
  subnet nat-a 10.0.9.0/24 in us-east-1a {
    ipv6 2600:1f18:abcd:9::/64
    route-table public
  }
  subnet public-a 10.0.1.0/24 in us-east-1a {
    route-table public
    network-acl edge
    instance web 10.0.1.10 {
      public-ip 54.210.33.7
      security-groups web-sg
    }
  }
  subnet app-a 10.0.2.0/24 in us-east-1a {
    ipv6 2600:1f18:abcd:2::/64
    route-table private
    instance app 10.0.2.20 { ipv6 2600:1f18:abcd:2::20  security-groups app-sg }
  }
  route-table public {
    0.0.0.0/0 -> igw
  }
  route-table private {
    64:ff9b::/96 -> nat
  }
  security-group web-sg {
    inbound  tcp 443 from 0.0.0.0/0
    outbound all     to   0.0.0.0/0
  }
  security-group app-sg {
    inbound  tcp 8080 from web-sg
    outbound tcp 443  to   64:ff9b::/96
  }
  network-acl edge {
    inbound  100 allow tcp 443        from 0.0.0.0/0
    inbound  110 allow tcp 1024-65535 from 0.0.0.0/0
    outbound 100 allow tcp 443        to   0.0.0.0/0
    outbound 110 allow tcp 8080       to   10.0.0.0/16
  }
}

internet {
  host client 198.51.100.7
}

expect web -> app tcp 8080 reachable
expect client -> web tcp 443 reachable
expect web -> 93.184.216.34 tcp 443 reachable
expect app -> 64:ff9b::5db8:d822 tcp 443 reachable
`;

/** The position of the first occurrence of `text` in SHOP_VNET (tests never use magic line numbers). */
export function positionOf(text: string): Position {
  const lines = SHOP_VNET.split('\n');
  const line = lines.findIndex(l => l.includes(text));
  if (line < 0) throw new Error(`shop.vnet has no "${text}"`);
  return { line, character: lines[line].indexOf(text) };
}

export interface Fixtures {
  reachable: PacketPath;
  returnDrop: PacketPath;
  nat: PacketPath;
  nat64: PacketPath;
}

export async function engineFixtures(): Promise<Fixtures> {
  const services = createVnetServices(EmptyFileSystem);
  const document = services.shared.workspace.LangiumDocumentFactory.fromString(SHOP_VNET, URI.parse(SHOP_URI));
  services.shared.workspace.LangiumDocuments.addDocument(document);
  await services.shared.workspace.DocumentBuilder.build([document], { validation: true });
  const analysis = services.Vnet.analysis.Analyzer.getAnalysis();
  const pathAt = (statement: string): PacketPath => {
    const path = packetPath(analysis.analysis, { textDocument: { uri: SHOP_URI }, position: positionOf(statement) }, analysis.version, SHOP_VNET);
    if (!path) throw new Error(`no packet path for "${statement}"`);
    return path;
  };
  return {
    reachable: pathAt('expect web -> app tcp 8080 reachable'),
    returnDrop: pathAt('expect client -> web tcp 443 reachable'),
    nat: pathAt('expect web -> 93.184.216.34 tcp 443 reachable'),
    nat64: pathAt('expect app -> 64:ff9b::5db8:d822 tcp 443 reachable'),
  };
}

/** Index of the first hop matching `predicate` (the tests address nodes by hop index). */
export function hopIndex(path: PacketPath, predicate: (hop: Hop) => boolean): number {
  const index = path.result.hops.findIndex(predicate);
  if (index < 0) throw new Error('the path has no such hop');
  return index;
}
