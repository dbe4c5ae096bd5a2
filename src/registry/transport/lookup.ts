/**
 * The connect-time half of the local-host rule (address.ts): a DNS name is resolved once, by the
 * socket that is about to connect, and refused when any address it resolves to is loopback,
 * link-local or a metadata address. Checking the name earlier and connecting later would let a
 * name answer differently the second time (DNS rebinding); here the checked address is the one
 * used. Literal addresses never reach a lookup (Node connects to them directly): the transport's
 * target policy checks those on every request.
 */
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { MirrorError } from '../../errors.js';
import { isLocalAddress } from './address.js';

/** The code of the error a refused lookup gives the socket. */
export const LOCAL_ADDRESS_CODE = 'ERR_AR_MIRROR_LOCAL_ADDRESS';

/** A host name resolved to an address the registry may not make us reach. */
export class LocalAddressError extends MirrorError {
  readonly code = LOCAL_ADDRESS_CODE;
}

type LookupAddress = { address: string; family: number };

/**
 * Wraps `lookup` (default: dns.lookup) so that names resolving to a local address fail with
 * LocalAddressError. Answers both forms net.connect asks for (`all: true` with
 * autoSelectFamily, a single address otherwise).
 */
export function createGuardedLookup(lookup: LookupFunction = dns.lookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    const wantsAll = (options as { all?: boolean }).all === true;
    lookup(hostname, { ...options, all: true }, (err, result, family) => {
      if (err) return callback(err, '', 0);
      const addresses: LookupAddress[] = Array.isArray(result)
        ? result
        : [{ address: String(result), family: family ?? 4 }];
      const local = addresses.find((a) => isLocalAddress(a.address));
      if (local || addresses.length === 0) {
        const why = local
          ? `resolves to ${local.address}, a loopback, link-local or metadata address`
          : 'resolves to no address';
        return callback(new LocalAddressError(`${hostname} ${why}; refusing to connect`), '', 0);
      }
      if (wantsAll) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}
