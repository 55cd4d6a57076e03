/**
 * AWS-managed service prefix lists (com.amazonaws.<region>.s3 / .dynamodb), the destinations of
 * gateway endpoint routes (aws-data-plane.md §3.2, §3.10).
 *
 * The ranges are public addresses from AWS's published ip-ranges.json (service S3 / DYNAMODB), a
 * representative subset per region: the real lists hold more entries and change over time. They are
 * public addresses the internet also owns, so without a gateway endpoint the same service is reached
 * through an internet or NAT gateway.
 */
import { parseV4Prefix, v4Contains, type V4Prefix } from './ipv4.js';
import { parsePrefix, prefixContains, type Prefix } from './ip.js';
import { DEFAULT_REGION } from './model.js';

export type AwsService = 's3' | 'dynamodb';

export const AWS_SERVICES: readonly AwsService[] = ['s3', 'dynamodb'];

const RANGES: Record<AwsService, Record<string, string[]>> = {
  s3: {
    'us-east-1': ['52.216.0.0/15', '54.231.0.0/16', '3.5.0.0/19', '16.182.0.0/16'],
    'us-east-2': ['52.219.80.0/20', '3.5.128.0/21', '16.12.64.0/22'],
    'us-west-1': ['52.219.20.0/22', '52.219.16.0/22', '3.5.160.0/22'],
    'us-west-2': ['52.218.128.0/17', '52.92.128.0/17', '3.5.76.0/22'],
    'eu-west-1': ['52.218.0.0/17', '3.5.64.0/21', '52.92.0.0/17'],
    'eu-central-1': ['52.219.168.0/21', '3.5.136.0/22', '52.219.44.0/22'],
    'ap-southeast-1': ['52.219.128.0/19', '3.5.146.0/23', '52.219.32.0/21'],
    'ap-northeast-1': ['52.219.0.0/20', '3.5.152.0/21', '52.219.68.0/22'],
  },
  dynamodb: {
    'us-east-1': ['3.218.180.0/22', '52.94.0.0/22', '52.119.224.0/20'],
    'us-east-2': ['3.218.184.0/22', '52.94.4.0/24', '52.119.208.0/21'],
    'us-west-1': ['3.218.188.0/22', '52.94.12.0/24', '52.119.240.0/21'],
    'us-west-2': ['3.218.192.0/22', '52.94.10.0/24', '52.119.248.0/21'],
    'eu-west-1': ['3.218.196.0/22', '52.94.26.0/23', '52.119.196.0/22'],
    'eu-central-1': ['3.218.200.0/22', '52.94.17.0/24', '52.119.188.0/22'],
    'ap-southeast-1': ['3.218.204.0/22', '52.94.13.0/24', '52.119.205.0/24'],
    'ap-northeast-1': ['3.218.208.0/22', '52.94.9.0/24', '52.119.216.0/21'],
  },
};

/**
 * IPv6 prefixes of the same lists (a dual-stack gateway endpoint routes them too, §3.10), as published
 * in AWS's ip-ranges.json (`ipv6_prefixes`, service "S3"): three per region. AWS's own file is not
 * available offline here, so these come from third-party snapshots of it, and they are DATED (the
 * file changes often, and prefixes are split or re-sized over time):
 * - all five regions: github.com/MaximeWewer/CloudIPAtlas (cloud_ips/aws/services/s3_ranges_ipv6.txt
 *   crossed with cloud_ips/aws/regions/<region>_ranges_ipv6.txt, January 2026);
 * - us-east-1 cross-checked against two other derivations of the same file: a MikroTik address list
 *   "aws-s3-us-east-1" lists 2600:1fa0:8000::/39, 2600:1ff8:8000::/39 and 2600:1ff9:8000::/39 (as
 *   here); an older test fixture of the `cipr` tool (S3, us-east-1) lists 2600:1fa0:8000::/39 but
 *   2600:1ff8:8000::/40 and 2600:1ff9:8000::/40 — so only 2600:1fa0:8000::/39 is stable across all
 *   three; the others are as of the newest snapshot. The real list holds more IPv6 entries than these.
 * A region this table does not list gets the us-east-1 prefixes, as for IPv4.
 * DynamoDB: none of these snapshots lists an IPv6 prefix for service DYNAMODB, and AWS says of
 * DynamoDB gateway endpoints: "Gateway endpoints support only IPv4 traffic" (PrivateLink guide,
 * "Gateway endpoints for Amazon DynamoDB"). So its list has no IPv6 prefix, a dual-stack DynamoDB
 * gateway endpoint routes no IPv6, and an IPv6 flow to `dynamodb` is refused as an endpoint error.
 * (DynamoDB Accelerator (DAX) clusters can be dual-stack; they are not the regional service endpoint.)
 */
const RANGES6: Record<AwsService, Record<string, string[]>> = {
  s3: {
    'us-east-1': ['2600:1fa0:8000::/39', '2600:1ff8:8000::/39', '2600:1ff9:8000::/39'],
    'us-east-2': ['2600:1fa0:6000::/40', '2600:1ff8:6000::/40', '2600:1ff9:6000::/40'],
    'us-west-2': ['2600:1fa0:4000::/39', '2600:1ff8:4000::/39', '2600:1ff9:4000::/39'],
    'eu-west-1': ['2a05:d050:8000::/40', '2a05:d070:8000::/40', '2a05:d079:8000::/40'],
    'eu-central-1': ['2a05:d050:4000::/40', '2a05:d070:4000::/40', '2a05:d079:4000::/40'],
  },
  dynamodb: {},
};

export interface PrefixList {
  service: AwsService;
  region: string;
  /** e.g. "com.amazonaws.us-east-1.s3". */
  name: string;
  prefixes: V4Prefix[];
  /** The list's IPv6 prefixes (empty when the service publishes none). */
  prefixes6: Prefix[];
}

const cache = new Map<string, PrefixList>();

export function isAwsService(name: string): name is AwsService {
  return name === 's3' || name === 'dynamodb';
}

/**
 * The service's prefix list in a region. A region this table does not list gets the us-east-1
 * ranges (the language flags unknown regions; the engine needs some list to route).
 */
export function prefixList(service: AwsService, region: string | undefined): PrefixList {
  const r = region || DEFAULT_REGION;
  const key = `${service}:${r}`;
  let list = cache.get(key);
  if (!list) {
    const texts = RANGES[service][r] ?? RANGES[service][DEFAULT_REGION];
    const texts6 = RANGES6[service][r] ?? RANGES6[service][DEFAULT_REGION] ?? [];
    list = {
      service, region: r, name: `com.amazonaws.${r}.${service}`, prefixes: texts.map(t => parseV4Prefix(t)!),
      prefixes6: texts6.map(t => parsePrefix(t)!),
    };
    cache.set(key, list);
  }
  return list;
}

/** The address that stands for the service as an expectation's destination: the 10th of its first range. */
export function serviceAddress(service: AwsService, region: string | undefined): number {
  return prefixList(service, region).prefixes[0].network + 10;
}

/** The IPv6 address that stands for the service: the 10th of its first IPv6 range; undefined when it has none. */
export function serviceAddress6(service: AwsService, region: string | undefined): bigint | undefined {
  const first = prefixList(service, region).prefixes6[0];
  return first ? first.network + 10n : undefined;
}

let everyPrefix6: { prefix: Prefix; list: PrefixList }[] | undefined;

/** Which AWS service (any region) owns a global IPv6 address, if any. */
export function serviceOwning6(addr: bigint): PrefixList | undefined {
  everyPrefix6 ??= AWS_SERVICES.flatMap(service => Object.keys(RANGES6[service]).flatMap(region => {
    const list = prefixList(service, region);
    return list.prefixes6.map(prefix => ({ prefix, list }));
  }));
  for (const e of everyPrefix6) if (prefixContains(e.prefix, { family: 6, value: addr })) return e.list;
  return undefined;
}

let everyPrefix: { prefix: V4Prefix; list: PrefixList }[] | undefined;

/** Which AWS service (any region) owns a public address, if any. The internet asks on every crossing. */
export function serviceOwning(addr: number): PrefixList | undefined {
  everyPrefix ??= AWS_SERVICES.flatMap(service => Object.keys(RANGES[service]).flatMap(region => {
    const list = prefixList(service, region);
    return list.prefixes.map(prefix => ({ prefix, list }));
  }));
  for (const e of everyPrefix) if (v4Contains(e.prefix, addr)) return e.list;
  return undefined;
}
