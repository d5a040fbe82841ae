/**
 * Addresses of the temporary nodes made for dynamic sources (reply queues).
 * @module
 */
import { randomUUID } from 'node:crypto';

/** Every temporary address starts with this. */
export const DYNAMIC_ADDRESS_PREFIX = 'dynamic/';

/** A new, unique temporary address. */
export function newDynamicAddress(): string {
  return `${DYNAMIC_ADDRESS_PREFIX}${randomUUID()}`;
}

/** True when `address` has the form of a temporary address (whether or not it still exists). */
export function isDynamicAddress(address: string): boolean {
  return address.startsWith(DYNAMIC_ADDRESS_PREFIX);
}
