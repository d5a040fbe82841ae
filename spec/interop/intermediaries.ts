/**
 * The intermediaries both the Python peer and oslo-rx can use, for the interop suites.
 */
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib/testing';
import { type PeerName, peerUrl, requirePeer } from '../support/peers';

/** The intermediaries, by key. */
export type IntermediaryKey = 'fakebroker' | 'fakerouter' | 'proton' | 'embedded-broker' | 'embedded-router';

/** One intermediary both peers connect to, with what a suite needs to know of it (`T`). */
export type Intermediary<T> = T & {
  /** Suite title. */
  readonly name: string;
  /** Starts it, or checks that it runs (skips outside CI, fails in CI). */
  setup(ctx: Mocha.Context): Promise<void>;
  /** Stops what `setup` started. */
  teardown(): Promise<void>;
  /** Its transport URL. */
  url(): string;
};

/** A shared peer of scripts/peers.sh, checked (not started) by `setup`. */
export function sharedIntermediary(name: PeerName, title: string): Intermediary<object> {
  return { name: title, setup: (ctx: Mocha.Context) => requirePeer(ctx, name), teardown: async () => undefined, url: () => peerUrl(name) };
}

/** The embedded intermediary, started by `setup` and stopped by `teardown`. */
export function embeddedIntermediary(mode: 'broker' | 'router'): Intermediary<object> {
  let intermediary: EmbeddedIntermediary | undefined;
  return {
    name: `the embedded intermediary (${mode})`,
    async setup() {
      intermediary = await startEmbeddedIntermediary({ mode });
    },
    teardown: async () => void (await intermediary?.stop()),
    url: () => intermediary!.url,
  };
}

/** Every intermediary of the interop suites, each with the suite's `traits` for it. */
export function interopIntermediaries<T extends object>(traits: Readonly<Record<IntermediaryKey, T>>): ReadonlyArray<Intermediary<T>> {
  return [
    { ...sharedIntermediary('fakebroker', "oslo's FakeBroker (broker, legacy addressing)"), ...traits.fakebroker },
    { ...sharedIntermediary('fakerouter', "oslo's FakeBroker (router, routable addressing)"), ...traits.fakerouter },
    { ...sharedIntermediary('proton', 'the Qpid Proton C++ broker'), ...traits.proton },
    { ...embeddedIntermediary('broker'), ...traits['embedded-broker'] },
    { ...embeddedIntermediary('router'), ...traits['embedded-router'] },
  ];
}
