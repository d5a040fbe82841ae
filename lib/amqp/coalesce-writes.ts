/**
 * One socket write per turn of the event loop, however many AMQP frames it carries.
 * @module
 */
import type { Writable } from 'node:stream';

/**
 * Makes `socket` hold what is written to it until the current tick's work is done, then send
 * it in one go (`cork` on the first write, `uncork` on `process.nextTick`: Node's documented
 * way to batch writes). rhea writes every frame with a `write` of its own, so a call's
 * transfer, the reply's disposition and a credit flow would otherwise cost a system call each.
 * Nothing waits longer than the tick it was written in.
 */
export function coalesceWrites<S extends Writable>(socket: S): S {
  const write = socket.write;
  let corked = false;
  const flush = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function coalescedWrite(this: S, ...args: Parameters<Writable['write']>): boolean {
    if (!corked) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    return (write as (...a: Parameters<Writable['write']>) => boolean).apply(this, args);
  } as Writable['write'];
  return socket;
}
