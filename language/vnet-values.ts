/**
 * Reading the values the lexer accepts leniently: addresses, CIDRs, ports.
 *
 * The grammar lexes any dotted digits as an address (see ADDRESS in vnet.langium) so that a bad
 * value gets a message saying what is wrong with it. These functions say it.
 */
import { parseIp, parsePrefix, type IpAddress, type Prefix } from '../engine/ip.js';

export type Parsed<T> = { value: T; problem?: undefined } | { value?: undefined; problem: string };

function octetProblem(text: string): string | undefined {
    const parts = text.split('.');
    if (parts.length !== 4) return `an IPv4 address has 4 numbers separated by dots; '${text}' has ${parts.length}`;
    for (const part of parts) {
        if (Number(part) > 255) return `${part} is greater than 255`;
        if (part.length > 3) return `'${part}' has more than 3 digits`;
    }
    return undefined;
}

/**
 * Which address families a position accepts. Part 1 positions (VPC and subnet CIDRs, instance
 * addresses, public IPs) are IPv4; IPv6 has its own statements (`ipv6 ...`); rules, routes and
 * expectation endpoints take either.
 */
export type Families = 'ipv4' | 'ipv6' | 'any';

function isV6Text(text: string): boolean {
    return text.includes(':');
}

function familyProblem(text: string, families: Families, what: string): string | undefined {
    if (families === 'ipv4' && isV6Text(text)) return `'${text}' is an IPv6 ${what}; an IPv4 ${what} is expected here`;
    if (families === 'ipv6' && !isV6Text(text)) return `'${text}' is an IPv4 ${what}; an IPv6 ${what} is expected here`;
    return undefined;
}

/** An address such as 10.0.0.10 or 2001:db8::1; a CIDR where an address is expected is a problem. */
export function readAddress(text: string, families: Families = 'ipv4'): Parsed<IpAddress> {
    if (text.includes('/')) return { problem: `'${text}' is a CIDR block; an address is expected here (write it without '/${text.split('/')[1]}')` };
    const wrongFamily = familyProblem(text, families, 'address');
    if (wrongFamily) return { problem: wrongFamily };
    const ip = parseIp(text);
    if (ip) return { value: ip };
    if (isV6Text(text)) return { problem: `'${text}' is not a valid IPv6 address: at most 8 groups of 1 to 4 hex digits, with at most one '::'` };
    return { problem: `'${text}' is not a valid IPv4 address: ${octetProblem(text) ?? 'malformed'}` };
}

/** A CIDR block such as 10.0.0.0/16 or 2600:1f18::/56 (host bits may be set; see isCanonical). */
export function readCidr(text: string, families: Families = 'ipv4'): Parsed<Prefix> {
    const slash = text.indexOf('/');
    if (slash < 0) return { problem: `'${text}' is an address; a CIDR block is expected here (e.g. ${text}/${isV6Text(text) ? 128 : 32})` };
    const wrongFamily = familyProblem(text, families, 'CIDR block');
    if (wrongFamily) return { problem: wrongFamily };
    if (isV6Text(text)) {
        const length = Number(text.slice(slash + 1));
        if (!(length >= 0 && length <= 128)) return { problem: `'${text}' is not a valid IPv6 CIDR block: the prefix length ${text.slice(slash + 1)} is greater than 128` };
        const prefix = parsePrefix(text);
        return prefix ? { value: prefix } : { problem: `'${text}' is not a valid IPv6 CIDR block: at most 8 groups of 1 to 4 hex digits, with at most one '::'` };
    }
    const addr = text.slice(0, slash);
    const problem = octetProblem(addr);
    if (problem) return { problem: `'${text}' is not a valid IPv4 CIDR block: ${problem}` };
    const length = Number(text.slice(slash + 1));
    if (!(length >= 0 && length <= 32)) return { problem: `'${text}' is not a valid IPv4 CIDR block: the prefix length ${text.slice(slash + 1)} is greater than 32` };
    const prefix = parsePrefix(text);
    return prefix ? { value: prefix } : { problem: `'${text}' is not a valid IPv4 CIDR block` };
}

export const MAX_PORT = 65535;

/** A port spec as written: `443` or `1024-65535`. Returns undefined bounds for a malformed range. */
export function readPorts(single: number | undefined, range: string | undefined): { from: number; to: number } | undefined {
    if (single !== undefined) return { from: single, to: single };
    if (range === undefined) return undefined;
    const m = /^(\d+)-(\d+)$/.exec(range);
    return m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
}
