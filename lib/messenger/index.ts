/**
 * The Messenger: Proton's message-oriented API (URL-addressed sends with trackers,
 * subscriptions, brokerless listening) on oslo-rx's core.
 * @module
 */
export { Messenger, createMessenger, type MessengerMessage, type MessengerSendOptions, type MessengerSubscribeOptions } from './messenger';
export { MESSENGER_DEFAULTS, type MessengerOptions, type ResolvedMessengerOptions } from './messenger-options';
export { ListenFailed } from './errors';
export type { Listening } from './listen-for-peers';
export type { OutgoingWindowState } from './outgoing-window';
export { parseMessengerAddress, type ListenAddress, type MessengerAddress, type RemoteAddress } from './messenger-address';
