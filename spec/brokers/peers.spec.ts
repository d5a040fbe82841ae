/**
 * Self-test of the peer helpers: every peer that scripts/peers.sh (and peers-tls.sh) runs is reachable,
 * and an extra Qpid Proton broker starts and stops on demand.
 */
import { expect } from 'chai';
import { type PeerName, peerUrl, requirePeer, startProtonBroker } from '../support/peers';
import { freePort, portOpen } from '../support/ports';

const peers: PeerName[] = ['rabbitmq', 'proton', 'fakebroker', 'fakerouter', 'rabbitmq_tls', 'proton_tls'];

describe('peers (scripts/peers.sh)', function () {
  this.timeout(30_000);

  for (const name of peers) {
    describe(name, () => {
      before(async function () {
        await requirePeer(this, name);
      });

      it('accepts TCP connections on its URL', async () => {
        const url = new URL(peerUrl(name));
        expect(url.hostname).to.equal('127.0.0.1');
        expect(await portOpen(Number(url.port), url.hostname)).to.equal(true);
      });
    });
  }

  describe('startProtonBroker', () => {
    before(async function () {
      await requirePeer(this, 'proton');
    });

    it('starts an extra broker on a free port and stops it', async () => {
      const port = await freePort();
      const broker = await startProtonBroker(port);
      expect(broker.url).to.equal(`amqp://127.0.0.1:${port}`);
      expect(await portOpen(port)).to.equal(true);
      await broker.stop();
      expect(await portOpen(port)).to.equal(false);
      await broker.stop(); // a second stop is harmless
    });

    it('rejects when the port is taken', async () => {
      const port = await freePort();
      const first = await startProtonBroker(port);
      try {
        let failure: unknown;
        await startProtonBroker(port).catch((error: unknown) => (failure = error));
        expect(failure).to.be.instanceOf(Error);
        expect(String(failure)).to.match(/proton broker/);
      } finally {
        await first.stop();
      }
    });
  });
});
