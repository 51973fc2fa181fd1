import { isIPv4, isIPv6 } from 'node:net';

/**
 * The kind of network an IP address belongs to. Only 'public' addresses are reachable from the internet at
 * large; every other class is somewhere a probe should not go unless the monitor allows private targets.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'carrier-grade-nat'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'documentation';

interface Range {
  readonly bits: 32 | 128;
  readonly base: bigint;
  readonly prefix: number;
  /** The range's class, or where an IPv4 address sits inside it (bits from the right) to classify instead. */
  readonly is: AddressClass | { readonly ipv4At: number };
}

// The IANA special-purpose registries (RFC 6890 and successors) plus the cloud metadata endpoints. The most
// specific range wins, so 169.254.169.254/32 is 'metadata' inside the 'link-local' 169.254.0.0/16.
const IPV4_RANGES: readonly (readonly [string, AddressClass])[] = [
  ['0.0.0.0/32', 'unspecified'],
  ['0.0.0.0/8', 'reserved'], // "this network": connecting to 0.x reaches the local host on Linux
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'carrier-grade-nat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, OpenStack, DigitalOcean, ...
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['255.255.255.255/32', 'reserved'], // limited broadcast
];

// Everything outside 2000::/3 (global unicast) is reserved unless a more specific range says otherwise.
const IPV6_RANGES: readonly (readonly [string, Range['is']])[] = [
  ['::/3', 'reserved'],
  ['4000::/2', 'reserved'],
  ['8000::/1', 'reserved'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', { ipv4At: 0 }], // IPv4-mapped: the socket connects over IPv4
  ['64:ff9b::/96', { ipv4At: 0 }], // NAT64: the gateway connects to the embedded IPv4 address
  ['64:ff9b:1::/48', 'private'], // NAT64 for local use (RFC 8215)
  ['2001::/23', 'reserved'], // IETF protocol assignments: Teredo, benchmarking, ORCHID
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', { ipv4At: 80 }], // 6to4: the relay connects to the embedded IPv4 address
  ['fc00::/7', 'unique-local'],
  ['fd00:ec2::254/128', 'metadata'], // AWS instance metadata over IPv6
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];

const RANGES: readonly Range[] = [
  ...IPV4_RANGES.map(([cidr, is]) => range(cidr, 32, is)),
  ...IPV6_RANGES.map(([cidr, is]) => range(cidr, 128, is)),
].sort((a, b) => b.prefix - a.prefix);

/**
 * Classifies an IPv4 or IPv6 address (an IPv6 zone like "%eth0" is ignored). An IPv4 address embedded in
 * IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) gets the class of that IPv4 address.
 * Throws a TypeError for anything that is not an IP address.
 */
export function classifyAddress(ip: string): AddressClass {
  const address = ip.split('%')[0] ?? ip;
  if (isIPv4(address)) return classify(32, parseIpv4(address));
  if (isIPv6(address)) return classify(128, parseIpv6(address));
  throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
}

function classify(bits: 32 | 128, value: bigint): AddressClass {
  const match = RANGES.find((r) => r.bits === bits && value >> BigInt(bits - r.prefix) === r.base);
  if (match === undefined) return 'public';
  if (typeof match.is === 'string') return match.is;
  return classify(32, (value >> BigInt(match.is.ipv4At)) & 0xffff_ffffn);
}

function range(cidr: string, bits: 32 | 128, is: Range['is']): Range {
  const [address = '', length = ''] = cidr.split('/');
  const prefix = Number(length);
  const value = bits === 32 ? parseIpv4(address) : parseIpv6(address);
  return { bits, base: value >> BigInt(bits - prefix), prefix, is };
}

// The parsers trust their input: classifyAddress validates it with node:net first.
function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

function parseIpv6(text: string): bigint {
  let hex = text;
  if (text.includes('.')) {
    const lastColon = text.lastIndexOf(':');
    const ipv4 = parseIpv4(text.slice(lastColon + 1));
    hex = `${text.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = hex.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce(
    (value, group) => (value << 16n) | BigInt(`0x${group}`),
    0n,
  );
}
