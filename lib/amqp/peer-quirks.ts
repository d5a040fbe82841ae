/**
 * What particular intermediaries cannot do, read from their Open properties. Every
 * workaround for a named product is decided here and nowhere else.
 * @module
 */

/** The peer's Open `properties`, as {@link AmqpConnection.remoteProperties} gives them. */
export type PeerProperties = Readonly<Record<string, unknown>>;

function rabbitMqMajorMinor(props: PeerProperties): [number, number] | undefined {
  if (props.product !== 'RabbitMQ') return undefined;
  const m = /^(\d+)\.(\d+)/.exec(String(props.version ?? ''));
  return m ? [Number(m[1]), Number(m[2])] : [3, 0];
}

/**
 * True when the peer ends the session on a `modified` outcome: RabbitMQ 3.x's AMQP 1.0
 * plugin knows only accepted, rejected and released. `modify()` then releases instead.
 */
export function peerRefusesModified(props: PeerProperties): boolean {
  const v = rabbitMqMajorMinor(props);
  return v !== undefined && v[0] < 4;
}

/**
 * True when the peer refuses receivers with a `dynamic` source and closes the connection
 * on such an attach: RabbitMQ before 4.1. RPC replies then use a named reply queue.
 */
export function peerRefusesDynamicSources(props: PeerProperties): boolean {
  const v = rabbitMqMajorMinor(props);
  return v !== undefined && (v[0] < 4 || (v[0] === 4 && v[1] < 1));
}
