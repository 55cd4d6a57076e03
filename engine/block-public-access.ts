/**
 * VPC Block Public Access (aws-data-plane.md §3.15, security-vpc-bpa.html).
 *
 * Per region: `bidirectional` blocks all traffic to and from internet gateways and egress-only
 * internet gateways; `ingress` blocks traffic coming in from the internet, except the replies of
 * connections NAT gateways and egress-only internet gateways started (those only allow outbound
 * connections). Exclusions per VPC or subnet: `bidirectional` (the VPC or subnet is not blocked at
 * all) or `egress` (connections it starts, and their replies, pass; inbound connections do not).
 * The subnet that counts is the one talking to the gateway: the instance's, or the NAT gateway's.
 */
import type { BlockPublicAccess } from './model.js';
import type { CSubnet, CVpc } from './compile.js';
import type { Packet } from './packet.js';
import { Codes } from './codes.js';
import type { Walker } from './walk.js';

export interface BpaDecision {
  allowed: boolean;
  /** Why, in one sentence. */
  reason: string;
  setting?: BlockPublicAccess;
}

function settingFor(vpc: CVpc, settings: readonly BlockPublicAccess[] | undefined): BlockPublicAccess | undefined {
  if (!Array.isArray(settings)) return undefined;
  return settings.find(b => b && typeof b === 'object' && b.region === vpc.region);
}

/**
 * Decides one crossing of an internet-facing gateway. `direction` is as seen from the VPC;
 * `outboundOnlyGateway` is true for NAT gateways and egress-only internet gateways.
 */
export function decideBlockPublicAccess(
  settings: readonly BlockPublicAccess[] | undefined, vpc: CVpc, subnet: CSubnet | undefined,
  direction: 'egress' | 'ingress', p: Pick<Packet, 'reply'>, outboundOnlyGateway: boolean,
): BpaDecision {
  const setting = settingFor(vpc, settings);
  if (!setting) return { allowed: true, reason: 'no Block Public Access in this region' };
  const exclusions = Array.isArray(setting.exclusions) ? setting.exclusions.filter(e => e && typeof e === 'object') : [];
  // A subnet exclusion is more specific than its VPC's.
  const exclusion = (subnet && exclusions.find(e => e.vpc === vpc.name && e.subnet === subnet.name))
    ?? exclusions.find(e => e.vpc === vpc.name && !e.subnet);
  // The VPC started this connection when it sends a new packet out, or receives a reply.
  const startedInside = direction === 'egress' ? !p.reply : p.reply;
  const where = exclusion?.subnet ? `subnet ${vpc.name}.${exclusion.subnet}` : `VPC ${vpc.name}`;
  if (exclusion?.mode === 'bidirectional') return { allowed: true, reason: `${where} is excluded (bidirectional)`, setting };
  if (exclusion?.mode === 'egress') {
    return startedInside
      ? { allowed: true, reason: `${where} is excluded for egress: connections it starts, and their replies, pass`, setting }
      : { allowed: false, reason: `${where} is excluded for egress only, so connections from the internet are still blocked`, setting };
  }
  const scope = subnet ? `${vpc.name}.${subnet.name}` : vpc.name;
  if (setting.mode === 'bidirectional') {
    return { allowed: false, reason: `Block Public Access (bidirectional) in ${setting.region} blocks all traffic to and from internet gateways and egress-only internet gateways, and ${scope} has no exclusion`, setting };
  }
  if (direction === 'egress') return { allowed: true, reason: 'ingress-only mode does not block outbound traffic', setting };
  if (startedInside && outboundOnlyGateway) {
    return { allowed: true, reason: 'ingress-only mode lets replies in through NAT gateways and egress-only internet gateways', setting };
  }
  return {
    allowed: false, setting,
    reason: `Block Public Access (ingress) in ${setting.region} blocks inbound internet traffic to ${scope}${startedInside ? ' (only NAT gateways and egress-only internet gateways may bring replies in)' : ''}, and it has no exclusion`,
  };
}

/** The walk's check at an internet or egress-only gateway; records the drop. */
export function blockPublicAccessAllows(
  w: Walker, gateway: { name: string; qualified: string; vpc: CVpc }, subnet: CSubnet | undefined,
  direction: 'egress' | 'ingress', p: Pick<Packet, 'reply'>, outboundOnlyGateway: boolean,
): boolean {
  const decision = decideBlockPublicAccess(w.network.model.blockPublicAccess, gateway.vpc, subnet, direction, p, outboundOnlyGateway);
  if (decision.allowed) return true;
  const setting = decision.setting!;
  const text = `block-public-access ${setting.region} ${setting.mode}`;
  w.fail({
    component: `block-public-access.${setting.region}`, kind: 'block-public-access', place: 'blackfoot', origin: setting.origin,
    code: Codes.VPC_BLOCK_PUBLIC_ACCESS_ENABLED, rule: setting.origin ? { text, origin: setting.origin } : { text },
    detail: `${decision.reason}; ${gateway.qualified} drops the ${direction === 'egress' ? 'outbound' : 'inbound'} packet.`,
  });
  return false;
}
