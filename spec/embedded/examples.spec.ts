/**
 * Every example runs with one command: on the embedded broker it starts itself, and with
 * --url on an intermediary given to it (here an embedded router in this process). Each
 * run is bounded in time; its exit code and what it prints are checked.
 */
import { expect } from 'chai';
import type { EmbeddedIntermediary } from '../../lib/testing';
import { startRouter } from '../../lib/testing';
import { runScript } from '../support/node-script';

/** Each example, its extra arguments with --url, and lines its output must hold. */
const EXAMPLES: readonly { readonly file: string; readonly withUrl?: readonly string[]; readonly says: readonly RegExp[] }[] = [
  { file: 'examples/demo.ts', says: [/./] },
  { file: 'examples/fanout.ts', says: [/^six calls answered by: server-\d(, server-\d){5}$/m, /^the fanout cast reached all three servers$/m] },
  {
    file: 'examples/versioned.ts',
    says: [/^booted vm-1$/m, /canSendVersion\("1\.3"\) is false under cap 1\.2/, /^vm-2 is now small$/m, /^attached vol-7$/m, /^version 1\.4 refused by the server: UnsupportedVersion$/m],
  },
  { file: 'examples/notifications-batch.ts', says: [/^all notifications processed exactly once$/m] },
  { file: 'examples/pipeline.ts', says: [/: requeued$/m, /^all 40 processed; [1-9]\d* after a requeue; at most [1-4] in flight \(bound: 4\)$/m] },
  { file: 'examples/async-await.ts', says: [/^add\(2, 3\) = 5$/m, /^Promise\.all: 11, 12, 13$/m, /^divide\(1, 0\) raised ZeroDivisionError/m, /cancelled by AbortSignal\.timeout\(300\)/, /^slow\(\) aborted: user pressed cancel$/m] },
];

/** The reconnect example: the embedded broker stops and restarts; with --url it only watches. */
const RECONNECT = 'examples/reconnect.ts';

/** The bound on one example run. */
const RUN_MS = 60_000;

describe('the examples', function () {
  this.timeout(RUN_MS + 10_000);

  describe('on the embedded broker they start themselves', () => {
    for (const { file, says } of EXAMPLES) {
      it(`${file} runs and exits 0`, async () => {
        const r = await runScript(file, [], RUN_MS);
        expect(r.code, `${file}:\n${r.out}\n${r.err}`).to.equal(0);
        for (const line of says) expect(r.out, file).to.match(line);
      });
    }

    it(`${RECONNECT} shows state$ through the broker's stop and restart, and calls again after it`, async () => {
      const r = await runScript(RECONNECT, [], RUN_MS);
      expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
      const states = [...r.out.matchAll(/^\[[\d.]+s\] (\w+)/gm)].map((m) => m[1]);
      expect(states.join(' ')).to.match(/^connecting open disconnected (connecting (disconnected )?)+open closed$/);
      expect(r.out).to.match(/^call before: pong$/m).and.match(/^call after the reconnect: pong$/m);
    });
  });

  describe('with --url on another intermediary (an embedded router)', () => {
    let router: EmbeddedIntermediary;
    before(async () => {
      router = await startRouter();
    });
    after(() => router.stop());

    // a few, to keep the suite short: fanout, versions and async calls on routable addresses,
    // and the pipeline's requeue where the notifier, not a broker, gives the message back
    const ON_ROUTER = ['examples/fanout.ts', 'examples/versioned.ts', 'examples/pipeline.ts', 'examples/async-await.ts'];
    for (const { file, says } of EXAMPLES.filter((e) => ON_ROUTER.includes(e.file))) {
      it(`${file} --url runs and exits 0`, async () => {
        const r = await runScript(file, ['--url', router.url], RUN_MS);
        expect(r.code, `${file}:\n${r.out}\n${r.err}`).to.equal(0);
        for (const line of says) expect(r.out, file).to.match(line);
      });
    }

    it(`${RECONNECT} --url watches state$ and says when no reconnect came`, async () => {
      const r = await runScript(RECONNECT, ['--url', router.url, '--watch', '1'], RUN_MS);
      expect(r.code, `${r.out}\n${r.err}`).to.equal(0);
      expect(r.out).to.match(/open 127\.0\.0\.1:\d+ \(routable\)/).and.match(/^no reconnect within 1 s$/m);
    });
  });
});
