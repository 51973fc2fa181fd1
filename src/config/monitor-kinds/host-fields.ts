import { z } from 'zod';
import { describeValue } from '../schema-parts.js';

const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62})?)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/;

/** A host name or IP address (no scheme, no port). */
export const host = z.string().refine((value) => HOST.test(value), {
  error: (issue) =>
    `invalid host ${describeValue(issue.input)} — write a name like hub.example.org or an address like 10.0.0.5, without scheme or port`,
});

/** A TCP/UDP port. */
export const port = z.int().min(1).max(65_535);

const DNS_NAME =
  /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})?)*\.?$/;

/** A DNS name to query; unlike a host, labels may start with _ (SRV, DMARC, DKIM names). */
export const dnsName = z.string().refine((value) => DNS_NAME.test(value), {
  error: (issue) =>
    `invalid DNS name ${describeValue(issue.input)} — write a name like example.org or _imaps._tcp.example.org`,
});
