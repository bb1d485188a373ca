import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';

/**
 * Where the servers and the load generator run. With two or more CPUs and `taskset` (util-linux), the servers under
 * test share the last CPU and this process (autocannon) is moved to the others, as load generators usually are: the
 * two sides then never preempt each other, and the baseline and the API are measured on the same footing. Elsewhere
 * everything runs where the scheduler puts it.
 */
export interface CpuPlacement {
  /** The CPU list for `taskset -c`, or null when the servers are not pinned. */
  serverCpus: string | null;
  describe(): string;
}

export function placeCpus(): CpuPlacement {
  const count = os.cpus().length;
  const hasTaskset = spawnSync('taskset', ['--version']).error === undefined;
  if (process.platform !== 'linux' || count < 2 || !hasTaskset) {
    return { serverCpus: null, describe: () => 'not pinned (needs Linux, 2+ CPUs and taskset)' };
  }
  const serverCpu = String(count - 1);
  const generatorCpus = count === 2 ? '0' : `0-${count - 2}`;
  try {
    execFileSync('taskset', ['-p', '-c', generatorCpus, String(process.pid)], { stdio: 'ignore' });
  } catch {
    return { serverCpus: null, describe: () => 'not pinned (taskset could not move this process)' };
  }
  return { serverCpus: serverCpu, describe: () => `servers on CPU ${serverCpu}, load generator on CPU ${generatorCpus}` };
}
