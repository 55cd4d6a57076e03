/**
 * The virtual router on every host: the subnet's route table, longest prefix match
 * (aws-data-plane.md §3.2). Local routes (one per VPC CIDR) are part of every table; on equal
 * prefixes the local route sorts first (compile.ts), so it wins.
 */
import type { CRoute, CRouteTable, CSubnet } from './compile.js';
import { v4Contains } from './ipv4.js';

export function longestPrefixMatch(table: CRouteTable, dst: number): CRoute | undefined {
  for (const route of table.routes) if (v4Contains(route.prefix, dst)) return route;
  return undefined;
}

/** True when the address is in the subnet's own CIDR: delivered at layer 2, not routed. */
export function isOnLink(subnet: CSubnet, dst: number): boolean {
  return !!subnet.prefix && v4Contains(subnet.prefix, dst);
}
