/**
 * What the IPv6 Hyperplane files share: the sender shape the IPv6 walk encapsulates from, and the
 * IPv6 addresses of service nodes as members of their security groups.
 */
import type { V6View, Walk6 } from './ipv6.js';
import type { CompiledNetwork } from './compile.js';

/** What encapsulates an IPv6 packet onto the underlay (an interface, a node, a gateway's edge). */
export interface Sender6Like { underlay: string; eniId: string; mac: string }

const withMembers = new WeakSet<V6View>();

/**
 * The IPv6 view (ipv6.ts) lists instances as group members; a rule `from nlb-sg` must also match the
 * IPv6 addresses of the load balancer's nodes and of endpoint interfaces with that group. Added once
 * per view, on the first IPv6 flow that meets a service.
 */
export function ensureServiceMembers6(walk: Walk6): void {
  addServiceMembers(walk.view, walk.network);
}

export function addServiceMembers(view: V6View, network: CompiledNetwork): void {
  if (withMembers.has(view)) return;
  withMembers.add(view);
  for (const vpc of network.vpcs.values()) {
    for (const [addr, node] of vpc.services.byIpv6) {
      if (!('securityGroups' in node)) continue;
      for (const g of node.securityGroups) {
        let m = view.members.get(g);
        if (!m) view.members.set(g, m = new Set());
        m.add(addr);
      }
    }
  }
}
