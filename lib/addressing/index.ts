/**
 * The addressing layer: oslo Targets to AMQP 1.0 addresses, in the legacy (broker) and
 * routable (router) syntaxes, and the `dynamic` rule that picks one per connection.
 * @module
 */
export type { AddressingMode, AddressingOptions } from './addressing-options';
export type { AddressTarget, ServiceKind } from './address-target';
export { type Addresser, type AddressKinds, type AddressSyntax, joinAddress, makeAddresser } from './addresser';
export { type LegacyAddressingOptions, legacyAddresser } from './legacy-addresser';
export { type RoutableAddressingOptions, routableAddresser } from './routable-addresser';
export { chooseAddressingMode } from './choose-addressing-mode';
export { createAddresser } from './create-addresser';
export { notificationTarget } from './notification-target';
export { type AddressingPresetName, addressingPresets } from './presets';
export { addresserFor } from './addresser-for';
