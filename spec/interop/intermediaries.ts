/**
 * The intermediaries both the Python peer and oslo-rx can use, for the interop suites.
 */
import { type EmbeddedIntermediary, startEmbeddedIntermediary } from '../../lib';
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

function peer(name: PeerName, title: string) {
  return { name: title, setup: (ctx: Mocha.Context) => requirePeer(ctx, name), teardown: async () => undefined, url: () => peerUrl(name) };
}

function embedded(mode: 'broker' | 'router') {
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
    { ...peer('fakebroker', "oslo's FakeBroker (broker, legacy addressing)"), ...traits.fakebroker },
    { ...peer('fakerouter', "oslo's FakeBroker (router, routable addressing)"), ...traits.fakerouter },
    { ...peer('proton', 'the Qpid Proton C++ broker'), ...traits.proton },
    { ...embedded('broker'), ...traits['embedded-broker'] },
    { ...embedded('router'), ...traits['embedded-router'] },
  ];
}
