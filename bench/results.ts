/** The shape of `bench/results/<timestamp>.json`. */
import type { MachineFacts } from './machine';

/** The RPC contenders: oslo-rx as shipped, the ceiling, the reference, and oslo-rx without its counting and with tracing on (what observability costs). */
export const CONTENDERS = ['oslo-rx', 'raw rhea-promise', 'Python oslo.messaging', 'oslo-rx, counting off', 'oslo-rx, tracing on'] as const;
/** The contenders the chart shows. */
export const CHART_CONTENDERS = ['oslo-rx', 'raw rhea-promise', 'Python oslo.messaging'] as const;
/** One RPC contender. */
export type Contender = (typeof CONTENDERS)[number];

/** One measured repetition of an RPC cell. */
export interface RpcRepetition {
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly clientCpuMicrosPerCall: number;
  readonly serverCpuMicrosPerCall: number;
}

/** An RPC cell: one contender at one concurrency on one intermediary; the medians of its repetitions. */
export interface RpcFigure extends RpcRepetition {
  readonly intermediary: string;
  readonly contender: Contender;
  readonly concurrency: number;
  readonly calls: number;
  readonly repetitions: readonly RpcRepetition[];
}

/** One measured repetition of a one-way flow (sent, received, acked). */
export interface OneWayRepetition {
  readonly perSecond: number;
  readonly senderCpuMicrosPerMessage: number;
  readonly receiverCpuMicrosPerMessage: number;
}

/** A one-way flow end to end on one intermediary; the medians of its repetitions. */
export interface OneWayFigure extends OneWayRepetition {
  readonly intermediary: string;
  readonly flow: string;
  readonly messages: number;
  readonly inFlight: number;
  readonly repetitions: readonly OneWayRepetition[];
}

/** oslo-rx memory figures (client and server processes started with --expose-gc). */
export interface MemoryFigure {
  readonly intermediary: string;
  /** Calls held open by a server that answers none until released. */
  readonly inFlightCalls: number;
  readonly clientHeapBytesPerCall: number;
  readonly clientRssBytesPerCall: number;
  readonly serverHeapBytesPerCall: number;
  readonly serverRssBytesPerCall: number;
  /** Calls made in the long run (fewer than planned when it hit its time bound), and the client's heap after GC before it and after each slice. */
  readonly soakCalls: number;
  readonly soakCallsPlanned: number;
  readonly soakHeapAfterGcBytes: readonly number[];
  /** Last sample minus the one after the first slice (warm), bytes. */
  readonly soakHeapGrowthBytes: number;
}

/** One run. */
export interface BenchResults {
  readonly at: string;
  readonly quick: boolean;
  readonly durationSeconds: number;
  readonly machine: MachineFacts;
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
  readonly intermediaries: readonly { name: string; description: string }[];
  readonly skipped: readonly string[];
  readonly repetitions: number;
  readonly rpc: readonly RpcFigure[];
  readonly oneWay: readonly OneWayFigure[];
  readonly memory: readonly MemoryFigure[];
}
