/**
 * Endpoints of a trace written as text, the way an `expect` writes them (`vnet trace --to`, the
 * analyzer's trace): what the engine's resolveEndpoint reads, plus `<endpoint> in <zone>` for the
 * node / interface of one availability zone of a load balancer or interface endpoint.
 */
import { endpointText, resolveEndpoint, type CompiledNetwork, type EndpointRef } from '../engine/index.js';

export function resolveEndpointText(network: CompiledNetwork, text: string, role: 'source' | 'destination'): EndpointRef | { error: string } {
    const match = /^(.*\S)\s+in\s+(\S+)$/.exec(text.trim());
    if (!match) return resolveEndpoint(network, text);
    const [, base, zone] = match;
    if (role === 'source') {
        return { error: `'in ${zone}' names the availability zone of a destination load balancer or interface endpoint; a source has none.` };
    }
    const ref = resolveEndpoint(network, base);
    if ('error' in ref) return ref;
    if (ref.kind !== 'load-balancer' && ref.kind !== 'interface-endpoint') {
        return { error: `'in ${zone}' picks the node of one availability zone of a load balancer or interface endpoint; ${base} is neither.` };
    }
    const services = network.vpcs.get(ref.vpc)?.services;
    const zones = ref.kind === 'load-balancer'
        ? services?.loadBalancers.get(ref.name)?.nodes.map(n => n.az) ?? []
        : services?.interfaceEndpoints.get(ref.name)?.enis.map(e => e.az) ?? [];
    if (!zones.includes(zone)) {
        const what = ref.kind === 'load-balancer' ? 'node' : 'interface';
        return { error: `${endpointText(ref)} has no ${what} in ${zone}${zones.length > 0 ? `; its zones are ${[...new Set(zones)].join(', ')}` : ''}.` };
    }
    return { ...ref, zone };
}
