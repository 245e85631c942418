// Per-route client IP allow and deny lists (route table `ipAllow` / `ipDeny`), compiled once per
// route-table load into a predicate the pipeline calls with the client IP from client-ip.ts.
import { BlockList } from 'node:net';
import { addCidr, listHas, parseIp } from './ip-address.ts';

/** IP rules of one route: CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) or single addresses. */
export interface IpRules {
  allow?: readonly string[] | undefined;
  deny?: readonly string[] | undefined;
}

/**
 * A predicate "may this client IP use the route?", or undefined when there are no rules (the
 * pipeline then skips the check). Deny wins over allow; a present allow list must match; an
 * unparseable IP is refused whenever rules exist. Throws an Error naming the bad entry, for the
 * route-table check to report.
 */
export function compileIpRules(rules: IpRules): ((ip: string) => boolean) | undefined {
  const allow = compileList(rules.allow, 'ipAllow');
  const deny = compileList(rules.deny, 'ipDeny');
  if (allow === undefined && deny === undefined) return undefined;
  return (address) => {
    const ip = parseIp(address);
    if (ip === undefined) return false;
    if (deny !== undefined && listHas(deny, ip)) return false;
    return allow === undefined || listHas(allow, ip);
  };
}

function compileList(entries: readonly string[] | undefined, what: string): BlockList | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) addCidr(list, entry, what);
  return list;
}
