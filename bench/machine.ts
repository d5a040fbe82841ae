/** Facts about the machine a run was measured on. */
import { cpus, loadavg, totalmem } from 'node:os';

/** CPU, cores, memory and Node version. */
export interface MachineFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly node: string;
  readonly platform: string;
}

/** This machine's facts. */
export function machineFacts(): MachineFacts {
  const list = cpus();
  return { cpuModel: list[0]?.model ?? 'unknown', cores: list.length, memoryBytes: totalmem(), node: process.version, platform: `${process.platform} ${process.arch}` };
}

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = loadavg();
  return [a, b, c];
}
