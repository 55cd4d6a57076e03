/**
 * Endpoints of a trace written as text, the way an `expect` writes them (`vnet trace --to`, the
 * analyzer's trace): what the engine's resolveEndpoint reads, plus `<endpoint> in <zone>` for the
 * node / interface of one availability zone of a load balancer or interface endpoint, and hosts of
 * sites declared with an IPv6 address (`office.pc6`, or `pc6` when the name is unambiguous), which the
 * engine keeps apart from its IPv4 site hosts.
 */
import { endpointText, resolveEndpoint, type CompiledNetwork, type EndpointRef } from '../engine/index.js';

export function resolveEndpointText(network: CompiledNetwork, text: string, role: 'source' | 'destination'): EndpointRef | { error: string } {
    if (/^\S.*\s+in$/.test(text.trim())) {
        return { error: `'in' needs the availability zone after it, e.g. "${text.trim()} us-east-1a".` };
    }
    const match = /^(.*\S)\s+in\s+(\S+)$/.exec(text.trim());
    if (!match) return resolveNamed(network, text);
    const [, base, zone] = match;
    if (role === 'source') {
        return { error: `'in ${zone}' names the availability zone of a destination load balancer or interface endpoint; a source has none.` };
    }
    const ref = resolveNamed(network, base);
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

/** resolveEndpoint, completed with the site hosts declared with an IPv6 address (as `expect` names them). */
function resolveNamed(network: CompiledNetwork, text: string): EndpointRef | { error: string } {
    const ref = resolveEndpoint(network, text);
    const v6 = ipv6SiteHostsNamed(network, text.trim());
    if (v6.length === 0) return ref;
    const same = (a: EndpointRef, b: EndpointRef) => a.kind === 'site-host' && b.kind === 'site-host' && a.site === b.site && a.name === b.name;
    if (!('error' in ref)) {
        // The engine found the name: the same host (it knows IPv6 hosts), or something else also so called.
        if (v6.length === 1 && same(ref, v6[0])) return ref;
        const all = [ref, ...v6.filter(h => !same(ref, h))];
        return { error: `${text.trim()} is ambiguous: ${all.map(endpointText).join(', ')}; qualify it (site.host).` };
    }
    // An unknown name whose only candidates are IPv6 site hosts (the engine's message may be ambiguity among others).
    if (/ is ambiguous: /.test(ref.error)) return ref;
    if (v6.length === 1) return v6[0];
    return { error: `${text.trim()} is ambiguous: ${v6.map(endpointText).join(', ')}; qualify it (site.host).` };
}

/** The hosts of the model's sites declared with an IPv6 address and named `text` (`site.host` or bare). */
function ipv6SiteHostsNamed(network: CompiledNetwork, text: string): EndpointRef[] {
    const dot = text.indexOf('.');
    const siteName = dot > 0 ? text.slice(0, dot) : undefined;
    const hostName = dot > 0 ? text.slice(dot + 1) : text;
    const found: EndpointRef[] = [];
    for (const site of network.model.sites ?? []) {
        if (siteName !== undefined && site.name !== siteName) continue;
        for (const host of site.hosts) {
            if (host.name === hostName && host.ip.includes(':') && !found.some(f => f.kind === 'site-host' && f.site === site.name)) {
                found.push({ kind: 'site-host', site: site.name, name: host.name });
            }
        }
    }
    return found;
}

/**
 * Why an endpoint of an IPv6 trace has no IPv6 address, in the words of EXPECT_IPV6_NO_ADDRESS
 * (language/vnet-dual-stack-validator.ts), or undefined when it has one (or is the internet or an
 * AWS service).
 */
export function ipv6Problem(network: CompiledNetwork, ref: EndpointRef): string | undefined {
    const model = network.model;
    switch (ref.kind) {
        case 'internet': case 'aws-service':
            return undefined;
        case 'ip':
            return ref.ip.includes(':') ? undefined : `${ref.ip} is an IPv4 address`;
        case 'instance': {
            const instance = model.vpcs.find(v => v.name === ref.vpc)?.subnets.flatMap(s => s.instances).find(i => i.name === ref.name);
            return !instance || (instance.ipv6 ?? []).length > 0 ? undefined : `instance ${ref.name} has no IPv6 address (add 'ipv6 <address>' to it)`;
        }
        case 'host': {
            const host = model.internetHosts.find(h => h.name === ref.name);
            return !host || host.ip.includes(':') ? undefined : `internet host ${ref.name} has an IPv4 address (${host.ip})`;
        }
        case 'site-host': {
            const hosts = [
                ...(model.sites ?? []).filter(s => s.name === ref.site).flatMap(s => s.hosts),
                ...(model.sddcs ?? []).filter(s => s.name === ref.site).flatMap(s => s.segments.flatMap(g => g.hosts)),
            ].filter(h => h.name === ref.name);
            return hosts.length === 0 || hosts.some(h => h.ip.includes(':')) ? undefined : `host ${ref.name} has an IPv4 address (${hosts[0].ip})`;
        }
        case 'load-balancer': {
            const lb = model.vpcs.find(v => v.name === ref.vpc)?.loadBalancers?.find(l => l.name === ref.name);
            return !lb || lb.ipAddressType === 'dualstack' ? undefined
                : `load balancer ${ref.name} is ${lb.ipAddressType ?? 'ipv4'} (IPv6 clients need 'ip-address-type dualstack')`;
        }
        case 'interface-endpoint': {
            const endpoint = model.vpcs.find(v => v.name === ref.vpc)?.interfaceEndpoints?.find(e => e.name === ref.name);
            return !endpoint || endpoint.ipAddressType === 'dualstack' || endpoint.ipAddressType === 'ipv6' ? undefined
                : `interface endpoint ${ref.name} is ${endpoint.ipAddressType ?? 'ipv4'} (it needs 'ip-address-type dualstack')`;
        }
    }
}

/** An IPv6 address, or a host declared with an IPv6 address: the trace is IPv6 without --ipv6. */
export function impliesIpv6(network: CompiledNetwork, ref: EndpointRef): boolean {
    if (ref.kind === 'ip') return ref.ip.includes(':');
    if (ref.kind === 'host') return network.model.internetHosts.some(h => h.name === ref.name && h.ip.includes(':'));
    if (ref.kind === 'site-host') {
        return (network.model.sites ?? []).some(s => s.name === ref.site && s.hosts.some(h => h.name === ref.name && h.ip.includes(':')));
    }
    return false;
}
