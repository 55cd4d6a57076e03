/**
 * Validation of sites' router routes and of IPv6 on premises: `route <prefix> -> <link>` in a site,
 * IPv6 site prefixes and hosts, `tunnel-inside` on a VPN, `ipv6` on a Direct Connect virtual
 * interface, and the IPv6 routes of VPC route tables that lead to a virtual private gateway or a
 * transit gateway which cannot carry them; DynamoDB, for which vnet knows no IPv6 range.
 *
 * Per-node checks read only their own document; `checkAcrossDocuments` follows references (a route's
 * link, a VPN's gateway, the Direct Connect interfaces reaching a gateway, a transit gateway's
 * attachments) into other documents and runs in the workspace category. Sources:
 * ../shared/reference/aws-data-plane.md (§3.8, §3.9, §3.10) and the AWS guides cited on each rule.
 */
import { WorkspaceCache, type LangiumCoreServices, type LangiumDocuments, type ValidationAcceptor } from 'langium';
import {
    isDirectConnect, isDirectConnectGateway, isModel, isRouteTable, isSite, isSiteRoute,
    isTgwAttachment, isTgwRoute, isTgwRouteTable, isTransitGateway, isVpc, isVpnConnection, isVpnGateway,
    type DirectConnect, type Expectation, type GatewayEndpoint, type Model, type Route, type Site, type SiteRoute,
    type TgwAttachment, type TransitGateway, type Vpc, type VpnConnection, type VpnGateway,
} from './generated/ast.js';
import { formatPrefix } from '../engine/ip.js';
import { readCidr } from './vnet-values.js';
import { vpcOf } from './vnet-scope.js';
import { IssueCodes as Base, lineOf, validCidr, withCode } from './vnet-validator.js';

/** Diagnostic codes of site routes and IPv6 on premises. */
export namespace SiteIssueCodes {
    export const SiteRouteLink = 'SITE_ROUTE_LINK';
    export const SiteRouteFamily = 'SITE_ROUTE_FAMILY';
    export const VpnIpv6RequiresTransitGateway = 'VPN_IPV6_REQUIRES_TRANSIT_GATEWAY';
    export const VpnStaticRouteFamily = 'VPN_STATIC_ROUTE_FAMILY';
    export const RouteVgwIpv6WithoutDirectConnect = 'ROUTE_VGW_IPV6_WITHOUT_DIRECT_CONNECT';
    export const RouteTgwAttachmentWithoutIpv6 = 'ROUTE_TGW_ATTACHMENT_WITHOUT_IPV6';
    export const DynamoDbNoIpv6 = 'DYNAMODB_NO_IPV6';
}

const Codes = SiteIssueCodes;

/** The family a VPN's tunnels carry: `tunnel-inside`, default ipv4 (VPN guide, "IPv4 and IPv6 traffic"). */
function tunnelInside(vpn: VpnConnection): 'ipv4' | 'ipv6' {
    return vpn.tunnelInside === 'ipv6' ? 'ipv6' : 'ipv4';
}

export class VnetSiteValidator {
    private readonly documents: LangiumDocuments;
    private readonly workspaceCache: WorkspaceCache<string, unknown>;

    constructor(services: LangiumCoreServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.workspaceCache = new WorkspaceCache(services.shared);
    }

    /** Every Direct Connect interface of the workspace, once per build. */
    private directConnects(): DirectConnect[] {
        return this.workspaceCache.get('direct-connects', () => {
            const found: DirectConnect[] = [];
            for (const doc of this.documents.all) {
                const root = doc.parseResult.value;
                if (isModel(root)) found.push(...root.elements.filter(isDirectConnect));
            }
            return found;
        }) as DirectConnect[];
    }

    // ---------------------------------------------------------------------------------------------
    // Per-node checks (own document only)

    /** A site's routes: CIDR destinations (IPv4 or IPv6), one route per destination. */
    checkSiteRoutes(site: Site, accept: ValidationAcceptor): void {
        const seen = new Map<string, SiteRoute>();
        for (const route of site.members.filter(isSiteRoute)) {
            const prefix = validCidr(route, 'destination', route.destination, accept, 'any');
            if (!prefix) continue;
            const key = formatPrefix(prefix);
            const first = seen.get(key);
            if (first) {
                accept('error', `Site ${site.name}'s router already has a route to ${key} (line ${lineOf(first)}).`,
                    { node: route, property: 'destination', ...withCode(Base.DuplicateRoute) });
            } else {
                seen.set(key, route);
            }
        }
    }

    /**
     * A VPN's static prefixes are of the family its tunnels carry: "a Site-to-Site VPN connection ...
     * can support either IPv4 traffic or IPv6 traffic inside the VPN tunnels" (VPN guide, "IPv4 and
     * IPv6 traffic in AWS Site-to-Site VPN").
     */
    checkVpnFamily(vpn: VpnConnection, accept: ValidationAcceptor): void {
        const inside = tunnelInside(vpn);
        vpn.staticRoutes.forEach((text, index) => {
            const prefix = readCidr(text, 'any').value;
            if (!prefix || (prefix.family === 6) === (inside === 'ipv6')) return;
            accept('error', inside === 'ipv4'
                ? `VPN ${vpn.name} carries IPv4 inside its tunnels (tunnel-inside ipv4${vpn.tunnelInside ? '' : ', the default'}); ${formatPrefix(prefix)} is an IPv6 prefix. A VPN carries one family: use a second VPN with 'tunnel-inside ipv6' (to a transit gateway) for IPv6.`
                : `VPN ${vpn.name} carries IPv6 inside its tunnels (tunnel-inside ipv6); ${formatPrefix(prefix)} is an IPv4 prefix. A VPN carries one family: use a second VPN for IPv4.`,
                { node: vpn, property: 'staticRoutes', index, ...withCode(Codes.VpnStaticRouteFamily) });
        });
    }

    /** A dual-stack gateway endpoint for DynamoDB routes no IPv6: vnet knows no IPv6 range of DynamoDB (engine/prefix-lists.ts). */
    checkGatewayEndpointIpv6(endpoint: GatewayEndpoint, accept: ValidationAcceptor): void {
        if (endpoint.service === 'dynamodb' && endpoint.ipAddressType === 'dualstack') {
            accept('warning', `vnet knows no IPv6 prefixes of DynamoDB (AWS's ip-ranges.json lists none for service DYNAMODB), so this dual-stack endpoint routes IPv4 only here.`,
                { node: endpoint, property: 'ipAddressType', ...withCode(Codes.DynamoDbNoIpv6) });
        }
    }

    /** `expect ... dynamodb ... ipv6`: the engine has no IPv6 address of DynamoDB to trace to. */
    checkExpectationDynamoDb(expectation: Expectation, accept: ValidationAcceptor): void {
        if (!expectation.ipv6) return;
        if (expectation.source?.service === 'dynamodb' || expectation.destination?.service === 'dynamodb') {
            accept('warning', `vnet knows no IPv6 prefixes of DynamoDB (AWS's ip-ranges.json lists none for service DYNAMODB): an IPv6 flow with dynamodb cannot be traced.`,
                { node: expectation, property: 'ipv6', ...withCode(Codes.DynamoDbNoIpv6) });
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workspace check: references into other documents

    checkAcrossDocuments(model: Model, accept: ValidationAcceptor): void {
        for (const element of model.elements) {
            if (isSite(element)) {
                for (const route of element.members.filter(isSiteRoute)) this.siteRouteLink(element, route, accept);
            } else if (isVpnConnection(element)) {
                this.vpnIpv6Gateway(element, accept);
            } else if (isVpc(element)) {
                for (const table of element.members.filter(isRouteTable)) {
                    for (const route of table.routes) this.vpcIpv6Route(element, route, accept);
                }
            }
        }
    }

    /**
     * A site route leads into one of the site's own links, and the link carries the route's family:
     * an ipv4-inside VPN carries no IPv6 and an ipv6-inside VPN no IPv4 (VPN guide, "IPv4 and IPv6
     * traffic"); a virtual interface carries IPv6 only with its IPv6 BGP peering (DX guide, "Add a BGP
     * peer": one session per family).
     */
    private siteRouteLink(site: Site, route: SiteRoute, accept: ValidationAcceptor): void {
        const link = route.via?.ref;
        if (!link) return; // unresolved: the linker reports it
        const owner = link.site?.ref;
        const what = isVpnConnection(link) ? `VPN ${link.name}` : `Direct Connect ${link.name}`;
        if (owner && owner !== site) {
            accept('error', `${what} connects site ${owner.name}, not ${site.name}: a site's router routes only into its own links.`,
                { node: route, property: 'via', ...withCode(Codes.SiteRouteLink) });
            return;
        }
        const prefix = readCidr(route.destination ?? '', 'any').value;
        if (!prefix) return;
        const key = formatPrefix(prefix);
        if (isVpnConnection(link)) {
            const inside = tunnelInside(link);
            if (prefix.family === 6 && inside === 'ipv4') {
                accept('error', `${what} carries IPv4 inside its tunnels (tunnel-inside ipv4${link.tunnelInside ? '' : ', the default'}), so it drops what the IPv6 route ${key} sends it. IPv6 needs a VPN with 'tunnel-inside ipv6' to a transit gateway, or a Direct Connect interface with 'ipv6'.`,
                    { node: route, property: 'via', ...withCode(Codes.SiteRouteFamily) });
            } else if (prefix.family === 4 && inside === 'ipv6') {
                accept('error', `${what} carries IPv6 inside its tunnels (tunnel-inside ipv6), so it drops what the IPv4 route ${key} sends it: a VPN carries one family.`,
                    { node: route, property: 'via', ...withCode(Codes.SiteRouteFamily) });
            }
        } else if (prefix.family === 6 && !link.ipv6) {
            accept('error', `${what} has no IPv6 BGP peering, so it carries no IPv6 (what the route ${key} sends it is dropped): add 'ipv6' to ${link.name}.`,
                { node: route, property: 'via', ...withCode(Codes.SiteRouteFamily) });
        }
    }

    /**
     * IPv6 inside a VPN tunnel only on a transit gateway: "IPv4 outer tunnel with IPv6 inner packets
     * ... is not supported for virtual private gateways" (VPN guide, "IPv4 and IPv6 traffic";
     * aws-data-plane.md §3.9, VPN-ROUTE).
     */
    private vpnIpv6Gateway(vpn: VpnConnection, accept: ValidationAcceptor): void {
        const gateway = vpn.to?.ref;
        if (vpn.tunnelInside === 'ipv6' && isVpnGateway(gateway)) {
            accept('error', `A VPN to a virtual private gateway carries IPv4 only: IPv6 inside the tunnels ('tunnel-inside ipv6') needs a transit gateway. ${vpn.to?.$refText} is a virtual private gateway.`,
                { node: vpn, property: 'tunnelInside', ...withCode(Codes.VpnIpv6RequiresTransitGateway) });
        }
    }

    /**
     * IPv6 routes of a VPC route table that lead to a gateway which cannot carry them both ways:
     * - a virtual private gateway carries IPv6 only over Direct Connect virtual interfaces with an IPv6
     *   peering (no IPv6 VPN on a VGW: aws-data-plane.md §3.9; the VGW advertises the VPC's IPv6 CIDR
     *   over a private VIF's IPv6 session: whitepaper "IPv6 on AWS", hybrid connectivity);
     * - a transit gateway learns a VPC's IPv6 CIDRs only from an attachment with IPv6 support: "When
     *   disabled, the network interface does not receive an IPv6 address, and IPv6 routes do not
     *   propagate. The setting does not filter IPv6 traffic." (EC2 API reference, Ipv6Support). Off and
     *   without a static IPv6 route to the attachment, what the route sends has no way back.
     * Warnings: AWS accepts the route; the traffic it sends is dropped (VGW) or gets no reply (TGW).
     */
    private vpcIpv6Route(vpc: Vpc, route: Route, accept: ValidationAcceptor): void {
        if (route.destination === undefined) return;
        const prefix = readCidr(route.destination, 'any').value;
        if (!prefix || prefix.family !== 6) return;
        const target = route.target?.ref;
        if (isVpnGateway(target) && vpcOf(target) === vpc && !this.carriesIpv6(target)) {
            accept('warning', `Virtual private gateway ${target.name} carries IPv6 only over a Direct Connect virtual interface with an IPv6 peering ('ipv6'), and none reaches it (a VPN to a virtual private gateway carries IPv4 only): what ${formatPrefix(prefix)} sends there is dropped.`,
                { node: route, property: 'destination', ...withCode(Codes.RouteVgwIpv6WithoutDirectConnect) });
        } else if (isTransitGateway(target)) {
            const attachment = this.attachmentOf(target, vpc);
            if (attachment && !attachment.ipv6Support && !this.staticIpv6RouteTo(target, attachment)) {
                accept('warning', `Attachment ${attachment.name} of VPC ${vpc.name} to transit gateway ${target.name} has no IPv6 support, so ${vpc.name}'s IPv6 CIDRs do not propagate into the gateway's route tables and no static IPv6 route leads to the attachment: the replies to what ${formatPrefix(prefix)} sends have no route back. Add 'ipv6-support' to the attachment.`,
                    { node: route, property: 'destination', ...withCode(Codes.RouteTgwAttachmentWithoutIpv6) });
            }
        }
    }

    /** A Direct Connect interface with IPv6 peering lands on the gateway: directly, or through a DX gateway associated with it. */
    private carriesIpv6(vgw: VpnGateway): boolean {
        return this.directConnects().some(dx => {
            if (!dx.ipv6) return false;
            const to = dx.to?.ref;
            return to === vgw || (isDirectConnectGateway(to) && to.associations.some(a => a.gateways.some(g => g.ref === vgw)));
        });
    }

    private attachmentOf(tgw: TransitGateway, vpc: Vpc): TgwAttachment | undefined {
        return tgw.members.filter(isTgwAttachment).find(a => a.vpc?.ref === vpc);
    }

    /** A static IPv6 route of one of the gateway's route tables leads to the attachment. */
    private staticIpv6RouteTo(tgw: TransitGateway, attachment: TgwAttachment): boolean {
        return tgw.members.filter(isTgwRouteTable).some(table => table.members.filter(isTgwRoute)
            .some(r => r.attachment?.ref === attachment && readCidr(r.destination ?? '', 'any').value?.family === 6));
    }
}
