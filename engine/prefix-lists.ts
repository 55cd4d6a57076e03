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

export interface PrefixList {
  service: AwsService;
  region: string;
  /** e.g. "com.amazonaws.us-east-1.s3". */
  name: string;
  prefixes: V4Prefix[];
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
    list = { service, region: r, name: `com.amazonaws.${r}.${service}`, prefixes: texts.map(t => parseV4Prefix(t)!) };
    cache.set(key, list);
  }
  return list;
}

/** The address that stands for the service as an expectation's destination: the 10th of its first range. */
export function serviceAddress(service: AwsService, region: string | undefined): number {
  return prefixList(service, region).prefixes[0].network + 10;
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
