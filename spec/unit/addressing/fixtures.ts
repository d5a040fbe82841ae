/** Loads the addressing fixtures made by spec/unit/fixtures-gen/gen_fixtures.py from Python oslo.messaging. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressTarget, AddressingOptions, ServiceKind } from '../../../lib/addressing';

/** One option set with the addresses Python's addresser gave for every fixture target. */
export interface AddressCase {
  readonly options: AddressingOptions & { readonly addressingMode: 'legacy' | 'routable' };
  readonly vhost: string | null;
  readonly addresses: ReadonlyArray<readonly [number, ServiceKind, string]>;
}

/** The addressing fixtures. */
export interface AddressFixtures {
  readonly targets: readonly AddressTarget[];
  readonly cases: readonly AddressCase[];
  readonly modes: ReadonlyArray<{ mode: 'legacy' | 'routable' | 'dynamic'; properties: Record<string, unknown>; expected: string }>;
}

/** The fixtures of addresses.json. */
export const addressFixtures = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'addresses.json'), 'utf8')) as AddressFixtures;

/** oslo's default addressing options. */
export const DEFAULTS: AddressingOptions = {
  addressingMode: 'dynamic', pseudoVhost: true, serverRequestPrefix: 'exclusive', broadcastPrefix: 'broadcast',
  groupRequestPrefix: 'unicast', rpcAddressPrefix: 'openstack.org/om/rpc', notifyAddressPrefix: 'openstack.org/om/notify',
  multicastAddress: 'multicast', unicastAddress: 'unicast', anycastAddress: 'anycast', controlExchange: 'openstack',
};
