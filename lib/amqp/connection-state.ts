/**
 * @module
 */
import type { MessagingError } from '../errors';

/**
 * The health of a transport's connection, as `Transport.state$` replays it.
 *
 * - `connecting`: an attempt to `host` is under way (`attempt` counts since the last open);
 * - `open`: connected; `product` is what the peer advertised, `addressing` the mode in use;
 * - `disconnected`: the connection dropped or could not be opened; the next attempt starts in `retryInMs`;
 * - `closed`: the transport is closed; `error` tells why when it was not the application's `close()`
 *   (for example {@link AuthenticationFailed}).
 */
export type ConnectionState =
  | { readonly state: 'connecting'; readonly host: string; readonly attempt: number }
  | { readonly state: 'open'; readonly host: string; readonly product?: string; readonly addressing: 'legacy' | 'routable' }
  | { readonly state: 'disconnected'; readonly host: string; readonly error: MessagingError; readonly retryInMs: number }
  | { readonly state: 'closed'; readonly error?: MessagingError };
