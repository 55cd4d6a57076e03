/**
 * The addresses of a load balancer's nodes, an interface endpoint's interfaces and a GWLB endpoint's
 * interface, per availability zone, for hovers: what the compiled network assigned (declared or
 * derived), else what the statement declares.
 */
import { formatIp } from '../engine/ip.js';
import { formatV4 } from '../engine/ipv4.js';
import type { CompiledNetwork } from '../engine/compile.js';
import { isLoadBalancer, isInterfaceEndpoint, type GwlbEndpoint, type InterfaceEndpoint, type LoadBalancer } from './generated/ast.js';
import { subnetEntries } from './vnet-lower.js';
import { vpcOf } from './vnet-scope.js';

export interface NodeAddresses {
    az: string;
    subnet: string;
    privateIp?: string;
    ipv6?: string;
    publicIp?: string;
}

type Holder = LoadBalancer | InterfaceEndpoint | GwlbEndpoint;

function v4(addr: number | undefined): string | undefined {
    return addr === undefined ? undefined : formatV4(addr);
}

function v6(addr: bigint | undefined): string | undefined {
    return addr === undefined ? undefined : formatIp({ family: 6, value: addr });
}

/** The addresses the engine compiled for the element; undefined when the network does not hold it. */
export function compiledAddresses(network: CompiledNetwork | undefined, node: Holder): NodeAddresses[] | undefined {
    const vpc = vpcOf(node);
    const services = vpc?.name ? network?.vpcs.get(vpc.name)?.services : undefined;
    if (!services) return undefined;
    if (isLoadBalancer(node)) {
        const lb = services.loadBalancers.get(node.name);
        return lb?.nodes.map(n => ({ az: n.az, subnet: n.subnet.name, privateIp: v4(n.privateIp), ipv6: v6(n.ipv6), publicIp: v4(n.publicIp) }));
    }
    if (isInterfaceEndpoint(node)) {
        const endpoint = services.interfaceEndpoints.get(node.name);
        return endpoint?.enis.map(e => ({ az: e.az, subnet: e.subnet.name, privateIp: v4(e.privateIp), ipv6: v6(e.ipv6) }));
    }
    const endpoint = services.gwlbEndpoints.get(node.name);
    if (!endpoint?.subnet) return undefined;
    return [{ az: endpoint.subnet.az, subnet: endpoint.subnet.name, privateIp: v4(endpoint.privateIp), ipv6: v6(endpoint.ipv6) }];
}

/** What the statement declares, per subnet (addresses not written are left out). */
export function declaredAddresses(node: Holder): NodeAddresses[] {
    if (isLoadBalancer(node)) {
        return subnetEntries(node).map(({ subnet, mapping }) => ({
            az: subnet.ref?.az ?? '?', subnet: subnet.$refText,
            privateIp: mapping?.privateIp, ipv6: mapping?.ipv6, publicIp: mapping?.publicIp,
        }));
    }
    if (isInterfaceEndpoint(node)) {
        return subnetEntries(node).map(({ subnet, mapping }) => ({
            az: subnet.ref?.az ?? '?', subnet: subnet.$refText, privateIp: mapping?.privateIp, ipv6: mapping?.ipv6,
        }));
    }
    return node.subnet ? [{ az: node.subnet.ref?.az ?? '?', subnet: node.subnet.$refText, privateIp: node.privateIp, ipv6: node.ipv6 }] : [];
}

/** A markdown list, one line per AZ: `- us-east-1a (pub-a): 10.0.0.50, 2600:…::50, public 3.3.3.10`. */
export function renderNodeAddresses(title: string, rows: NodeAddresses[], derivedNote: boolean): string | undefined {
    if (rows.length === 0) return undefined;
    const lines = rows.map(r => {
        const addresses = [r.privateIp, r.ipv6, r.publicIp ? `public ${r.publicIp}` : undefined].filter(Boolean);
        return `- ${r.az} (${r.subnet}): ${addresses.length > 0 ? addresses.join(', ') : 'derived when analysed'}`;
    });
    const note = derivedNote ? '' : ' (as declared; the others are derived)';
    return `${title} per availability zone${note}:\n${lines.join('\n')}`;
}
