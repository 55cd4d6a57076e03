/**
 * Validation of the rest of issue 4: IPv6 wherever an address appears (ip-address-type of load
 * balancers and endpoints, endpoint services' supported families, transit gateway IPv6 support,
 * IPv6 target groups, `expect ... ipv6`), the addresses declared for load balancer nodes and endpoint
 * interfaces, the PrivateLink inbound-rule switch and `expect ... in <zone>`.
 *
 * Per-node checks read only their own document (a VPC's own subnets); `checkAcrossDocuments` follows
 * references into other documents (an endpoint's service, an attachment's subnets, an expectation's
 * endpoints) and runs in the workspace category. Sources: ../shared/reference/aws-data-plane.md and
 * the AWS guides cited on each rule.
 */
import { GrammarUtils, type AstNode, type Properties, type ValidationAcceptor } from 'langium';
import {
    isEndpointService, isExpectation, isGwlbEndpoint, isHost, isInstance, isInstanceIpv6, isInterfaceEndpoint, isLoadBalancer, isNatGateway, isSite,
    isSddcSegment, isSubnet, isSubnetIpv6, isTgwAttachment, isTransitGateway, isVpc, isVpcIpv6,
    type Endpoint, type EndpointService, type EndpointSubnetAddresses, type Expectation, type GatewayEndpoint,
    type GwlbEndpoint, type InterfaceEndpoint, type Listener, type LoadBalancer, type Model, type Subnet,
    type SubnetMapping, type TgwAttachment, type Vpc,
} from './generated/ast.js';
import { formatIp, formatPrefix, isPublic, prefixContains, reservedRole, type IpAddress, type Prefix } from '../engine/ip.js';
import { readAddress, readCidr } from './vnet-values.js';
import { vpcOf } from './vnet-scope.js';
import { subnetEntries } from './vnet-lower.js';
import { IssueCodes as Base, lineOf, validAddress, withCode } from './vnet-validator.js';

/** Diagnostic codes of dual-stack services, declared node addresses, zones and families. */
export namespace DualStackIssueCodes {
    export const IpAddressTypeUnsupported = 'IP_ADDRESS_TYPE_UNSUPPORTED';
    export const DualStackVpcWithoutIpv6 = 'DUALSTACK_VPC_WITHOUT_IPV6';
    export const DualStackSubnetWithoutIpv6 = 'DUALSTACK_SUBNET_WITHOUT_IPV6';
    export const Ipv6AddressNotDualStack = 'IPV6_ADDRESS_NOT_DUALSTACK';
    export const NodeAddressOutsideSubnet = 'NODE_ADDRESS_OUTSIDE_SUBNET';
    export const NodeAddressReserved = 'NODE_ADDRESS_RESERVED';
    export const LoadBalancerPublicIpInternal = 'LOAD_BALANCER_PUBLIC_IP_INTERNAL';
    export const SubnetListedTwice = 'SUBNET_LISTED_TWICE';
    export const ListenerIpv6TargetNotDualStack = 'LISTENER_IPV6_TARGET_NOT_DUALSTACK';
    export const ListenerTargetFamilyMixed = 'LISTENER_TARGET_FAMILY_MIXED';
    export const ListenerIpv6InstanceTarget = 'LISTENER_IPV6_INSTANCE_TARGET';
    export const EndpointIpAddressTypeNotSupported = 'ENDPOINT_IP_ADDRESS_TYPE_NOT_SUPPORTED';
    export const EndpointServiceIpv6NotDualStack = 'ENDPOINT_SERVICE_IPV6_NOT_DUALSTACK';
    export const TgwAttachmentIpv6Subnet = 'TGW_ATTACHMENT_IPV6_SUBNET';
    export const PrivateLinkInboundRulesNoEffect = 'PRIVATELINK_INBOUND_RULES_NO_EFFECT';
    export const ExpectZoneNotApplicable = 'EXPECT_ZONE_NOT_APPLICABLE';
    export const ExpectZoneNoNode = 'EXPECT_ZONE_NO_NODE';
    export const ExpectIpv6NoAddress = 'EXPECT_IPV6_NO_ADDRESS';
    export const EndpointPublicIp = 'ENDPOINT_PUBLIC_IP';
}

const Codes = DualStackIssueCodes;

/** An element that holds addresses in subnets: a load balancer, an interface endpoint or a GWLB endpoint. */
type Holder = LoadBalancer | InterfaceEndpoint | GwlbEndpoint;

function holderText(node: Holder): string {
    if (isLoadBalancer(node)) return `Load balancer ${node.name}`;
    if (isInterfaceEndpoint(node)) return `Interface endpoint ${node.name}`;
    return `Gateway load balancer endpoint ${node.name}`;
}

function ipv4Prefix(subnet: Subnet): Prefix | undefined {
    return readCidr(subnet.cidr ?? '').value;
}

function ipv6Prefix(subnet: Subnet): Prefix | undefined {
    const setting = subnet.members.find(isSubnetIpv6);
    return setting ? readCidr(setting.cidr ?? '', 'ipv6').value : undefined;
}

/** The AWS default when ip-address-type is not written is ipv4. */
function typeOf(node: { ipAddressType?: string }): string {
    return node.ipAddressType ?? 'ipv4';
}

/** An address someone in the VPC declared, with what owns it. */
interface Owned { ip: IpAddress; owner: string; node: AstNode; line: number; isNode: boolean; property: string }

export class VnetDualStackValidator {
    // ---------------------------------------------------------------------------------------------
    // Per-node checks (own document only)

    /**
     * Load balancers: ipv4 or dualstack (ELB guide, "IP address type"); a dual-stack one needs IPv6
     * CIDRs on its VPC and subnets; node addresses inside their subnets; a public IP only on an
     * internet-facing network load balancer; IPv6 target groups; the PrivateLink inbound-rule switch.
     */
    checkLoadBalancer(lb: LoadBalancer, accept: ValidationAcceptor): void {
        if (!lb.name) return;
        if (lb.ipAddressType === 'ipv6') {
            accept('error', `A ${lb.type ?? 'network'} load balancer's IP address type is ipv4 or dualstack; IPv6-only load balancers do not exist.`,
                { node: lb, property: 'ipAddressType', ...withCode(Codes.IpAddressTypeUnsupported) });
        }
        this.dualStackSubnets(lb, lb.subnets, accept);
        this.subnetsOnce(lb, accept);
        const internal = lb.type === 'gateway' || lb.scheme === 'internal';
        for (const { subnet, mapping } of subnetEntries(lb)) {
            if (!mapping) continue;
            this.clausesOnce(mapping, `load balancer ${lb.name}'s node in ${subnet.$refText}`, accept);
            if (mapping.publicIp !== undefined) {
                const ip = validAddress(mapping, 'publicIp', mapping.publicIp, accept);
                if (internal) {
                    accept('error', `Load balancer ${lb.name} is ${lb.type === 'gateway' ? 'a gateway load balancer (always internal)' : 'internal'}: its nodes have no public address. Remove 'public-ip', or make it internet-facing.`,
                        { node: mapping, property: 'publicIp', ...withCode(Codes.LoadBalancerPublicIpInternal) });
                } else if (ip && !isPublic(ip)) {
                    accept('error', `${mapping.publicIp} is not a public address, so it cannot be the Elastic IP of load balancer ${lb.name}'s node in ${subnet.$refText}.`,
                        { node: mapping, property: 'publicIp', ...withCode(Base.PublicIpNotPublic) });
                }
            }
            this.declaredAddresses(lb, subnet.ref, mapping, accept);
        }
        if (lb.privateLinkInboundRules !== undefined && (lb.type === 'gateway' || lb.securityGroups.length === 0)) {
            // The setting exists on network load balancers with security groups only (ELB guide, "Security groups").
            accept('warning', lb.type === 'gateway'
                ? `A gateway load balancer has no security groups, so 'privatelink-inbound-rules' has no effect.`
                : `Load balancer ${lb.name} has no security groups, so 'privatelink-inbound-rules' has no effect.`,
                { node: lb, property: 'privateLinkInboundRules', ...withCode(Codes.PrivateLinkInboundRulesNoEffect) });
        }
        for (const listener of lb.listeners) this.targetGroup(lb, listener, accept);
    }

    /** Interface endpoints: ipv4 or dualstack here (IPv6-only subnets are not modelled); addresses in their subnets. */
    checkInterfaceEndpoint(endpoint: InterfaceEndpoint, accept: ValidationAcceptor): void {
        if (!endpoint.name) return;
        this.ipv6OnlyEndpoint(endpoint, accept);
        this.dualStackSubnets(endpoint, endpoint.subnets, accept);
        this.subnetsOnce(endpoint, accept);
        for (const { subnet, mapping } of subnetEntries(endpoint)) {
            if (!mapping) continue;
            this.clausesOnce(mapping, `interface endpoint ${endpoint.name}'s interface in ${subnet.$refText}`, accept);
            if (mapping.publicIp !== undefined) {
                // Endpoint interfaces get private addresses only; PrivateLink is reached from the VPC or
                // over connections to it (PrivateLink guide, "Access an AWS service using an interface VPC endpoint").
                accept('error', `Interface endpoint ${endpoint.name}'s interfaces have private addresses only (IPv4 and, if dualstack, IPv6), no public address: remove 'public-ip ${mapping.publicIp}'.`,
                    { node: mapping, property: 'publicIp', ...withCode(Codes.EndpointPublicIp) });
            }
            this.declaredAddresses(endpoint, subnet.ref, mapping, accept);
        }
    }

    checkGwlbEndpoint(endpoint: GwlbEndpoint, accept: ValidationAcceptor): void {
        if (!endpoint.name) return;
        this.ipv6OnlyEndpoint(endpoint, accept);
        this.dualStackSubnets(endpoint, endpoint.subnet ? [endpoint.subnet] : [], accept);
        this.clausesOnce(endpoint, `gateway load balancer endpoint ${endpoint.name}`, accept);
        this.declaredAddresses(endpoint, endpoint.subnet?.ref, endpoint, accept);
    }

    /** Gateway endpoints are ipv4 or dualstack (VPC guide, "Gateway endpoints": IPv6 support). */
    checkGatewayEndpoint(endpoint: GatewayEndpoint, accept: ValidationAcceptor): void {
        if (endpoint.ipAddressType === 'ipv6') {
            accept('error', `A gateway endpoint's IP address type is ipv4 or dualstack.`,
                { node: endpoint, property: 'ipAddressType', ...withCode(Codes.IpAddressTypeUnsupported) });
        }
    }

    /** Each family once in supported-ip-address-types. */
    checkEndpointService(service: EndpointService, accept: ValidationAcceptor): void {
        const seen = new Set<string>();
        service.supportedIpAddressTypes.forEach((family, index) => {
            if (seen.has(family)) {
                accept('error', `${family} is already listed.`,
                    { node: service, property: 'supportedIpAddressTypes', index, ...withCode(Base.DuplicateSetting) });
            }
            seen.add(family);
        });
    }

    /**
     * An address belongs to one interface of a VPC: a declared node or endpoint address may not be an
     * instance's, a NAT gateway's or another node's.
     */
    checkVpcAddresses(vpc: Vpc, accept: ValidationAcceptor): void {
        const owned: Owned[] = [];
        const add = (text: string | undefined, family: 'ipv4' | 'ipv6', owner: string, node: AstNode, isNode: boolean, property: string) => {
            const ip = text !== undefined ? readAddress(text, family).value : undefined;
            if (ip) owned.push({ ip, owner, node, line: lineOf(node), isNode, property });
        };
        for (const member of vpc.members) {
            if (isSubnet(member)) {
                for (const instance of member.members.filter(isInstance)) {
                    add(instance.privateIp, 'ipv4', `instance ${instance.name}`, instance, false, 'privateIp');
                    for (const v6 of instance.members.filter(isInstanceIpv6)) add(v6.address, 'ipv6', `instance ${instance.name}`, v6, false, 'address');
                }
            } else if (isNatGateway(member)) {
                add(member.privateIp, 'ipv4', `NAT gateway ${member.name}`, member, false, 'privateIp');
            } else if (isLoadBalancer(member) || isInterfaceEndpoint(member)) {
                const what = `${isLoadBalancer(member) ? 'load balancer' : 'interface endpoint'} ${member.name}`;
                for (const mapping of member.mappings) {
                    add(mapping.privateIp, 'ipv4', what, mapping, true, 'privateIp');
                    add(mapping.ipv6, 'ipv6', what, mapping, true, 'ipv6');
                }
            } else if (isGwlbEndpoint(member)) {
                add(member.privateIp, 'ipv4', `gateway load balancer endpoint ${member.name}`, member, true, 'privateIp');
                add(member.ipv6, 'ipv6', `gateway load balancer endpoint ${member.name}`, member, true, 'ipv6');
            }
        }
        const key = (o: Owned) => `${o.ip.family}:${o.ip.value}`;
        const first = new Map<string, Owned>();
        for (const o of owned) if (!o.isNode && !first.has(key(o))) first.set(key(o), o);
        for (const o of owned) {
            if (!o.isNode) continue;
            const holder = first.get(key(o));
            if (holder && holder !== o) {
                accept('error', `${formatIp(o.ip)} is already the address of ${holder.owner} (line ${holder.line}); an address belongs to one interface in a VPC.`,
                    { node: o.node, property: o.property as never, ...withCode(Base.DuplicateAddress) });
            } else if (!holder) {
                first.set(key(o), o);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Workspace check: references into other documents

    checkAcrossDocuments(model: Model, accept: ValidationAcceptor): void {
        for (const element of model.elements) {
            if (isVpc(element)) {
                for (const member of element.members) {
                    if (isInterfaceEndpoint(member) || isGwlbEndpoint(member)) this.serviceFamilies(member, accept);
                }
            } else if (isTransitGateway(element)) {
                for (const attachment of element.members.filter(isTgwAttachment)) this.attachmentIpv6(attachment, accept);
            } else if (isEndpointService(element)) {
                this.serviceIpv6(element, accept);
            } else if (isExpectation(element)) {
                this.expectationZone(element, accept);
                if (element.ipv6) this.expectationFamily(element, accept);
                else this.impliedFamily(element, accept);
            }
        }
    }

    /**
     * The endpoint's IP address type must be one the service supports: ipv4 needs IPv4, dualstack
     * both, ipv6 IPv6 (PrivateLink guide, "IP address types").
     */
    private serviceFamilies(endpoint: InterfaceEndpoint | GwlbEndpoint, accept: ValidationAcceptor): void {
        const service = endpoint.service?.ref;
        if (!service) return;
        const supported = service.supportedIpAddressTypes.length > 0 ? service.supportedIpAddressTypes : ['ipv4'];
        const type = typeOf(endpoint);
        const needed = type === 'dualstack' ? ['ipv4', 'ipv6'] : [type];
        const missing = needed.filter(f => !supported.includes(f));
        if (missing.length > 0) {
            accept('error', `Endpoint service ${service.name} supports ${supported.join(' and ')} only${service.supportedIpAddressTypes.length === 0 ? ' (the default)' : ''}; a${type === 'ipv4' ? 'n' : ''} ${type} endpoint needs it to support ${needed.join(' and ')}: add 'supported-ip-address-types ${needed.join(', ')}' to the service.`,
                { node: endpoint, property: endpoint.ipAddressType !== undefined ? 'ipAddressType' : 'service', ...withCode(Codes.EndpointIpAddressTypeNotSupported) });
        }
    }

    /** A service that supports IPv6 fronts a dual-stack load balancer (PrivateLink guide, "IP address types"). */
    private serviceIpv6(service: EndpointService, accept: ValidationAcceptor): void {
        const lb = service.loadBalancer?.ref;
        const index = service.supportedIpAddressTypes.indexOf('ipv6');
        if (lb && index >= 0 && lb.ipAddressType !== 'dualstack') {
            accept('error', `Endpoint service ${service.name} supports IPv6, so its load balancer ${lb.name} must be dualstack: add 'ip-address-type dualstack' to it.`,
                { node: service, property: 'supportedIpAddressTypes', index, ...withCode(Codes.EndpointServiceIpv6NotDualStack) });
        }
    }

    /** IPv6 support on a VPC attachment needs IPv6 CIDRs on the VPC and the attachment's subnets (TGW guide, VPC attachments). */
    private attachmentIpv6(attachment: TgwAttachment, accept: ValidationAcceptor): void {
        if (!attachment.ipv6Support) return;
        const vpc = attachment.vpc?.ref;
        if (vpc && !vpc.members.some(isVpcIpv6)) {
            accept('error', `Attachment ${attachment.name} has IPv6 support, but VPC ${vpc.name} has no IPv6 CIDR block: add 'ipv6 <a /56>' to the VPC.`,
                { node: attachment, property: 'ipv6Support', ...withCode(Codes.TgwAttachmentIpv6Subnet) });
            return;
        }
        attachment.subnets.forEach((ref, index) => {
            const subnet = ref.ref;
            if (subnet && !ipv6Prefix(subnet)) {
                accept('error', `Attachment ${attachment.name} has IPv6 support, but subnet ${subnet.name} has no IPv6 CIDR block: the attachment's interface there cannot carry IPv6.`,
                    { node: attachment, property: 'subnets', index, ...withCode(Codes.TgwAttachmentIpv6Subnet) });
            }
        });
    }

    /** `in <zone>` names an AZ where the destination load balancer or interface endpoint has a node / interface. */
    private expectationZone(expectation: Expectation, accept: ValidationAcceptor): void {
        if (expectation.zone === undefined) return;
        const target = expectation.destination?.target?.ref;
        if (!target && expectation.destination?.target) return; // unresolved: the linker reports it
        if (!isLoadBalancer(target) && !isInterfaceEndpoint(target)) {
            accept('error', `'in ${expectation.zone}' picks the node of one availability zone of a load balancer or interface endpoint; ${expectation.destination ? endpointWords(expectation.destination) : 'this destination'} has none.`,
                { node: expectation, property: 'zone', ...withCode(Codes.ExpectZoneNotApplicable) });
            return;
        }
        // An unresolved subnet (reported by the linker) may be the one in that zone.
        if (target.subnets.some(s => !s.ref)) return;
        const zones = target.subnets.map(s => s.ref?.az).filter((z): z is string => !!z);
        if (!zones.includes(expectation.zone)) {
            accept('error', `${isLoadBalancer(target) ? 'Load balancer' : 'Interface endpoint'} ${target.name} has no ${isLoadBalancer(target) ? 'node' : 'interface'} in ${expectation.zone}${zones.length > 0 ? `; its zones are ${[...new Set(zones)].join(', ')}` : ''}.`,
                { node: expectation, property: 'zone', ...withCode(Codes.ExpectZoneNoNode) });
        }
    }

    /** `ipv6`: both endpoints must have an IPv6 address, or the trace would silently be IPv4. */
    private expectationFamily(expectation: Expectation, accept: ValidationAcceptor): void {
        for (const endpoint of [expectation.source, expectation.destination]) {
            const problem = endpoint ? noIpv6(endpoint) : undefined;
            if (problem) {
                accept('error', `'ipv6' makes this an IPv6 flow, but ${problem}.`,
                    { node: expectation, property: 'ipv6', ...withCode(Codes.ExpectIpv6NoAddress) });
            }
        }
    }

    /**
     * Without `ipv6`, an IPv6 address or an IPv6 host at one end makes the flow IPv6 (as `vnet trace`
     * does); the other end then needs an IPv6 address too, or the trace could only fail.
     */
    private impliedFamily(expectation: Expectation, accept: ValidationAcceptor): void {
        const ends = [['source', expectation.source], ['destination', expectation.destination]] as const;
        const implying = ends.find(([, endpoint]) => endpoint && impliesIpv6(endpoint));
        if (!implying) return;
        for (const [property, endpoint] of ends) {
            if (!endpoint || endpoint === implying[1]) continue;
            const problem = noIpv6(endpoint);
            if (problem) {
                const words = endpointWords(implying[1]!);
                accept('error', `${words.charAt(0).toUpperCase()}${words.slice(1)} is IPv6, so this is an IPv6 flow, but ${problem}.`,
                    { node: expectation, property, ...withCode(Codes.ExpectIpv6NoAddress) });
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    /** IPv6-only endpoints need IPv6-only subnets, which vnet does not model (subnets always have IPv4). */
    private ipv6OnlyEndpoint(endpoint: InterfaceEndpoint | GwlbEndpoint, accept: ValidationAcceptor): void {
        if (endpoint.ipAddressType === 'ipv6') {
            accept('error', `An ipv6 endpoint lives in IPv6-only subnets, which vnet does not model (every subnet has an IPv4 CIDR); use dualstack.`,
                { node: endpoint, property: 'ipAddressType', ...withCode(Codes.IpAddressTypeUnsupported) });
        }
    }

    /** A dual-stack element needs IPv6 CIDRs on its VPC and on each of its subnets (ELB guide, "Dualstack requirements"). */
    private dualStackSubnets(node: Holder, subnets: ReadonlyArray<{ ref?: Subnet }>, accept: ValidationAcceptor): void {
        if (node.ipAddressType !== 'dualstack') return;
        const vpc = vpcOf(node);
        if (vpc && !vpc.members.some(isVpcIpv6)) {
            accept('error', `${holderText(node)} is dualstack, but VPC ${vpc.name} has no IPv6 CIDR block: add 'ipv6 <a /56>' to the VPC and 'ipv6 <a /64>' to the subnets.`,
                { node, property: 'ipAddressType', ...withCode(Codes.DualStackVpcWithoutIpv6) });
            return;
        }
        subnets.forEach((ref, index) => {
            const subnet = ref.ref;
            if (subnet && !ipv6Prefix(subnet)) {
                accept('error', `${holderText(node)} is dualstack, but subnet ${subnet.name} has no IPv6 CIDR block: add 'ipv6 <a /64>' to it.`,
                    { node, property: (isGwlbEndpoint(node) ? 'subnet' : 'subnets') as never, ...(isGwlbEndpoint(node) ? {} : { index }), ...withCode(Codes.DualStackSubnetWithoutIpv6) });
            }
        });
    }

    /** A load balancer or endpoint has one node / interface per subnet: a subnet named twice is a mistake. */
    private subnetsOnce(node: LoadBalancer | InterfaceEndpoint, accept: ValidationAcceptor): void {
        const seen = new Set<string>();
        node.subnets.forEach((ref, index) => {
            const name = ref.ref?.name ?? ref.$refText;
            if (!name) return;
            if (seen.has(name)) {
                accept('error', `Subnet ${name} is already listed; ${holderText(node)} has one ${isLoadBalancer(node) ? 'node' : 'interface'} per subnet, and its addresses go after the subnet's first mention.`,
                    { node, property: 'subnets', index, ...withCode(Codes.SubnetListedTwice) });
            }
            seen.add(name);
        });
    }

    /**
     * The address clauses of a mapping or GWLB endpoint come in any order, each once. The grammar keeps
     * the last of a repeated clause in the AST; its concrete syntax still has every value, so the
     * repeats are found there and the second one is marked.
     */
    private clausesOnce(node: SubnetMapping | EndpointSubnetAddresses | GwlbEndpoint, what: string, accept: ValidationAcceptor): void {
        const clauses = [['publicIp', 'public-ip'], ['privateIp', 'private-ip'], ['ipv6', 'ipv6']] as const;
        for (const [property, keyword] of clauses) {
            const values = GrammarUtils.findNodesForProperty(node.$cstNode, property);
            for (let index = 1; index < values.length; index++) {
                accept('error', `'${keyword}' is already given for ${what} (${values[0].text}); give each address once.`,
                    { node, property: property as never, index, ...withCode(Base.DuplicateSetting) });
            }
        }
    }

    /** A declared private IPv4 / IPv6 address lies in its subnet, is not reserved, and IPv6 needs a dual-stack element. */
    private declaredAddresses(owner: Holder, subnet: Subnet | undefined, node: SubnetMapping | EndpointSubnetAddresses | GwlbEndpoint, accept: ValidationAcceptor): void {
        const property = (name: 'privateIp' | 'ipv6') => name as Properties<typeof node>;
        if (node.privateIp !== undefined) {
            const ip = validAddress(node, property('privateIp'), node.privateIp, accept);
            const prefix = subnet ? ipv4Prefix(subnet) : undefined;
            if (ip && prefix && subnet) this.inSubnet(ip, prefix, subnet, node, 'privateIp', accept);
        }
        if (node.ipv6 !== undefined) {
            const ip = validAddress(node, property('ipv6'), node.ipv6, accept, 'ipv6');
            if (ip && owner.ipAddressType !== 'dualstack' && owner.ipAddressType !== 'ipv6') {
                accept('error', `${holderText(owner)} is ${typeOf(owner)}: it has no IPv6 address. Add 'ip-address-type dualstack', or remove 'ipv6 ${node.ipv6}'.`,
                    { node, property: 'ipv6' as never, ...withCode(Codes.Ipv6AddressNotDualStack) });
            }
            const prefix = subnet ? ipv6Prefix(subnet) : undefined;
            if (ip && subnet && !prefix) {
                accept('error', `${formatIp(ip)} is an IPv6 address, but subnet ${subnet.name} has no IPv6 CIDR block.`,
                    { node, property: 'ipv6' as never, ...withCode(Codes.NodeAddressOutsideSubnet) });
            } else if (ip && prefix && subnet) {
                this.inSubnet(ip, prefix, subnet, node, 'ipv6', accept);
            }
        }
    }

    private inSubnet(ip: IpAddress, prefix: Prefix, subnet: Subnet, node: AstNode, property: string, accept: ValidationAcceptor): void {
        if (!prefixContains(prefix, ip)) {
            accept('error', `${formatIp(ip)} is not in subnet ${subnet.name} (${formatPrefix(prefix)}).`,
                { node, property: property as never, ...withCode(Codes.NodeAddressOutsideSubnet) });
            return;
        }
        // The first four and the last address of a subnet (IPv4 and IPv6) are AWS's (aws-data-plane.md §3.1).
        const role = reservedRole(prefix, ip);
        if (role) {
            accept('error', `${formatIp(ip)} is reserved by AWS in subnet ${subnet.name}: ${role}.`,
                { node, property: property as never, ...withCode(Codes.NodeAddressReserved, { role }) });
        }
    }

    /**
     * A listener's targets form one target group, of one family; IPv6 target groups take IP targets
     * and belong to dual-stack load balancers (ELB guide, "Target groups for your Network Load
     * Balancers", IP address type).
     */
    private targetGroup(lb: LoadBalancer, listener: Listener, accept: ValidationAcceptor): void {
        const families = listener.targets.map(t => t.address !== undefined ? readAddress(t.address, 'any').value?.family : undefined);
        const first = families.find(f => f !== undefined);
        listener.targets.forEach((target, index) => {
            const family = families[index];
            if (family === 6 && lb.ipAddressType !== 'dualstack') {
                accept('error', `${target.address} is an IPv6 target; IPv6 target groups belong to dualstack load balancers. Add 'ip-address-type dualstack' to ${lb.name}.`,
                    { node: target, property: 'address', ...withCode(Codes.ListenerIpv6TargetNotDualStack) });
            }
            if (family !== undefined && first !== undefined && family !== first) {
                accept('error', `A listener's targets form one target group of one family; ${target.address} is IPv${family}, the first target IPv${first}. Use a listener per family.`,
                    { node: target, property: 'address', ...withCode(Codes.ListenerTargetFamilyMixed) });
            }
            if (target.instance && families.includes(6)) {
                accept('error', `IPv6 target groups take IP targets only; ${target.instance.$refText} is an instance (write its IPv6 address instead).`,
                    { node: listener, property: 'targets', index, ...withCode(Codes.ListenerIpv6InstanceTarget) });
            }
        });
    }
}

function endpointWords(endpoint: Endpoint): string {
    if (endpoint.internet) return 'the internet';
    if (endpoint.service !== undefined) return endpoint.service;
    if (endpoint.address !== undefined) return `the address ${endpoint.address}`;
    const target = endpoint.target?.ref;
    if (isInstance(target)) return `instance ${target.name}`;
    if (isHost(target)) return `host ${target.name}`;
    return endpoint.target?.$refText ?? 'this destination';
}

/** An IPv6 address, or a host (internet, site) with an IPv6 address: the flow is IPv6 without `ipv6`. */
function impliesIpv6(endpoint: Endpoint): boolean {
    if (endpoint.address !== undefined) return readAddress(endpoint.address, 'any').value?.family === 6;
    const target = endpoint.target?.ref;
    return isHost(target) && readAddress(target.ip ?? '', 'any').value?.family === 6;
}

/** Why an endpoint has no IPv6 address, or undefined when it has one (or is the internet or an AWS service). */
function noIpv6(endpoint: Endpoint): string | undefined {
    if (endpoint.internet || endpoint.service !== undefined) return undefined;
    if (endpoint.address !== undefined) {
        const ip = readAddress(endpoint.address, 'any').value;
        return ip && ip.family === 4 ? `${endpoint.address} is an IPv4 address` : undefined;
    }
    const target = endpoint.target?.ref;
    if (isInstance(target)) {
        return target.members.some(isInstanceIpv6) ? undefined : `instance ${target.name} has no IPv6 address (add 'ipv6 <address>' to it)`;
    }
    if (isHost(target)) {
        const ip = readAddress(target.ip ?? '', 'any').value;
        const where = isSite(target.$container) || isSddcSegment(target.$container) ? 'host' : 'internet host';
        return ip && ip.family === 4 ? `${where} ${target.name} has an IPv4 address (${target.ip})` : undefined;
    }
    if (isLoadBalancer(target)) {
        return target.ipAddressType === 'dualstack' ? undefined : `load balancer ${target.name} is ${typeOf(target)} (IPv6 clients need 'ip-address-type dualstack')`;
    }
    if (isInterfaceEndpoint(target)) {
        return target.ipAddressType === 'dualstack' || target.ipAddressType === 'ipv6' ? undefined
            : `interface endpoint ${target.name} is ${typeOf(target)} (it needs 'ip-address-type dualstack')`;
    }
    return undefined;
}
