/**
 * One-paragraph descriptions of the declarations of issues 3 and 4, shown on hover: what the
 * element is in AWS terms and the setting that matters most (status, mode, defaults).
 */
import type { AstNode } from 'langium';
import {
    isAsn, isBlockPublicAccess, isCustomerGateway, isDirectConnect, isDirectConnectGateway,
    isEgressOnlyInternetGateway, isEndpointService, isGatewayEndpoint, isGwlbEndpoint, isInterfaceEndpoint,
    isLoadBalancer, isNatGateway, isPeering, isSddc, isSddcActiveHost, isSddcHosts, isSddcSegment, isSite,
    isTgwAttachment, isTgwRouteTable, isTransitGateway, isVpcCidr, isVpnConnection, isVpnGateway, isHost, isSiteRoute,
} from './generated/ast.js';

/** ", dualstack" / ", ipv4" as written; nothing when not written. */
function addressType(type: string | undefined): string {
    return type ? `, ${type}` : '';
}

/** Markdown describing `node`, or undefined for the Part 1 declarations (they have their own hovers). */
export function describeDeclaration(node: AstNode): string | undefined {
    if (isPeering(node)) {
        return `**VPC peering** ${node.name}: ${node.requester?.$refText} (requester) ↔ ${node.accepter?.$refText} (accepter), `
            + (node.pending ? '*pending acceptance*: it carries no traffic until accepted.' : '*active*.')
            + ' Routes are needed on both sides; no transitive or edge-to-edge routing.';
    }
    if (isTransitGateway(node)) {
        const attachments = node.members.filter(isTgwAttachment).length;
        const tables = node.members.filter(isTgwRouteTable).length;
        return `**Transit gateway** ${node.name}: a regional router (Hyperplane, MTU 8500) with ${attachments} attachment${attachments === 1 ? '' : 's'} and ${tables} route table${tables === 1 ? '' : 's'}. Each attachment is associated with one route table, which decides where traffic from it goes.`;
    }
    if (isTgwAttachment(node)) {
        const kind = node.vpc ? `VPC ${node.vpc.$refText} (subnets ${node.subnets.map(s => s.$refText).join(', ') || 'none'}${node.applianceMode ? ', appliance mode' : ''}${node.ipv6Support ? ', IPv6 support' : ''})`
            : node.vpn ? `VPN ${node.vpn.$refText}`
                : node.directConnectGateway ? `Direct Connect gateway ${node.directConnectGateway.$refText}`
                    : `transit gateway ${node.peer?.$refText} (peering: static routes only)`;
        return `**Transit gateway attachment** ${node.name} to ${kind}.`;
    }
    if (isTgwRouteTable(node)) return `**Transit gateway route table** ${node.name}: associations, propagations and static routes (a static route beats a propagated one for the same prefix).`;
    if (isVpnGateway(node)) return `**Virtual private gateway** ${node.name} (Amazon-side ASN ${node.asn ?? 64512}): where Site-to-Site VPN and Direct Connect private virtual interfaces land in the VPC. IPv4 over both; IPv6 only over Direct Connect interfaces with an IPv6 peering (no IPv6 VPN).`;
    if (isSite(node)) {
        const cidrs = node.members.filter(isVpcCidr).map(c => c.cidr).join(', ');
        const cgw = node.members.find(isCustomerGateway)?.ip;
        const routes = node.members.filter(isSiteRoute).length;
        return `**On-premises site** ${node.name}${cidrs ? ` (${cidrs})` : ''}: customer gateway ${cgw ?? '(outside address derived)'}, ASN ${node.members.find(isAsn)?.asn ?? 65000}`
            + (routes > 0 ? `; its router has ${routes} static route${routes === 1 ? '' : 's'} into its links.` : '.');
    }
    if (isSiteRoute(node)) {
        const site = node.$container;
        return `**Site router route** ${node.destination} -> ${node.via?.$refText}: site ${site.name}'s router sends this prefix into that link, whatever AWS announces over it. The customer's choice, which AWS may refuse (through a virtual private gateway a site's internet traffic is refused at a NAT gateway, its S3 traffic at a gateway endpoint).`;
    }
    if (isHost(node) && (isSite(node.$container) || isSddcSegment(node.$container))) {
        return `**Host** ${node.name} ${node.ip}, ${isSite(node.$container) ? `on premises in site ${node.$container.name}` : `in SDDC segment ${node.$container.name}`}.`;
    }
    if (isVpnConnection(node)) {
        const routing = node.routing === 'static' ? `static (${node.staticRoutes.join(', ')})` : 'BGP';
        const v6 = node.tunnelInside === 'ipv6';
        return `**Site-to-Site VPN** ${node.name} from ${node.site?.$refText} to ${node.to?.$refText}, ${routing} routing, tunnel inside ${v6 ? 'IPv6' : 'IPv4'}${node.tunnelInside ? '' : ' (the default)'}: two IPsec tunnels (ESP, tunnel mode, outer IPv4) over the internet carrying ${v6 ? 'IPv6' : 'IPv4'} only; MTU 1446, MSS ${v6 ? 1386 : 1406}.`;
    }
    if (isDirectConnect(node)) {
        return `**Direct Connect virtual interface** ${node.name} from ${node.site?.$refText} to ${node.to?.$refText}: 802.1Q VLAN ${node.vlan}, MTU ${node.mtu ?? 1500}, ${node.ipv6 ? 'IPv4 and IPv6 BGP peerings (dual stack)' : 'IPv4 BGP peering only (no IPv6)'}.`;
    }
    if (isDirectConnectGateway(node)) return `**Direct Connect gateway** ${node.name}: a global gateway between Direct Connect virtual interfaces and the virtual private gateways or transit gateways associated with it.`;
    if (isSddc(node)) {
        const hosts = node.members.find(isSddcHosts)?.count ?? 17;
        const active = node.members.find(isSddcActiveHost)?.host ?? 1;
        return `**VMware Cloud on AWS SDDC** ${node.name}: ${hosts} interfaces in the connected VPC's subnet, the active one on host ${active} (where the active NSX edge runs). Its management CIDR and segments are added to the connected VPC's main route table.`;
    }
    if (isSddcSegment(node)) return `**SDDC segment** ${node.name} ${node.cidr}: a workload network of the SDDC, routed from the connected VPC through the active interface.`;
    if (isEgressOnlyInternetGateway(node)) return `**Egress-only internet gateway** ${node.name}: IPv6 out to the internet and the replies back; nothing from the internet can start a connection.`;
    if (isNatGateway(node)) {
        return node.private
            ? `**Private NAT gateway** ${node.name} in ${node.subnet?.$refText}: translates sources to its private address; its traffic never leaves through an internet gateway.`
            : `**Public NAT gateway** ${node.name} in ${node.subnet?.$refText}, Elastic IP ${node.publicIp ?? '(missing)'}: source NAT with ports 1024–65535 for TCP, UDP and ICMP from its own VPC.`;
    }
    if (isGatewayEndpoint(node)) return `**Gateway endpoint** ${node.name} for ${node.service}${addressType(node.ipAddressType)}: adds \`${node.service} -> ${node.name}\` (the service's prefix list${node.ipAddressType === 'dualstack' ? 's, IPv4 and IPv6' : ''}) to ${node.routeTables.map(r => r.$refText).join(', ') || 'no route table'}. TCP and ICMP echo only; not usable from outside the VPC.`;
    if (isInterfaceEndpoint(node)) return `**Interface endpoint** ${node.name} (PrivateLink) to service ${node.service?.$refText}${addressType(node.ipAddressType)}: one interface per subnet (${node.subnets.map(s => s.$refText).join(', ') || 'none'}); consumer to provider only, the provider sees the load balancer's address.`;
    if (isGwlbEndpoint(node)) return `**Gateway load balancer endpoint** ${node.name} in ${node.subnet?.$refText} to service ${node.service?.$refText}${addressType(node.ipAddressType)}: a route target that sends traffic, wrapped in GENEVE (IPv4 outside, IPv4 or IPv6 inside), to inspection appliances and back.`;
    if (isLoadBalancer(node)) {
        if (node.type === 'gateway') return `**Gateway load balancer** ${node.name}${addressType(node.ipAddressType)}: forwards all traffic to its targets in GENEVE (UDP 6081, 68 bytes of overhead, MTU 8500).`;
        const inbound = node.securityGroups.length === 0 ? '' : `; security groups ${node.privateLinkInboundRules === 'off' ? 'not enforced' : 'enforced'} on PrivateLink traffic`;
        return `**Network load balancer** ${node.name}, ${node.scheme ?? 'internet-facing'}${addressType(node.ipAddressType)}, cross-zone ${node.crossZone ? 'on' : 'off'}: ${node.listeners.length} listener${node.listeners.length === 1 ? '' : 's'}${inbound}.`;
    }
    if (isEndpointService(node)) {
        const families = node.supportedIpAddressTypes.length > 0 ? node.supportedIpAddressTypes.join(' and ') : 'ipv4 (the default)';
        return `**Endpoint service** ${node.name} in VPC ${node.vpc?.$refText}, in front of load balancer ${node.loadBalancer?.$refText}: the provider side of PrivateLink; accepts ${families} from endpoints.`;
    }
    if (isBlockPublicAccess(node)) {
        return `**VPC Block Public Access** in ${node.region}, ${node.mode === 'ingress' ? 'ingress-only: the internet cannot reach in; NAT gateway and egress-only gateway traffic out is allowed' : 'bidirectional: no traffic to or from internet gateways and egress-only gateways'}, with ${node.exclusions.length} exclusion${node.exclusions.length === 1 ? '' : 's'}.`;
    }
    return undefined;
}
