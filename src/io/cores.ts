// The cores this process may use: node's availableParallelism() (the CPUs of its affinity
// mask), capped by the CPU quota of its control group. A container given 2 CPUs by a quota
// (Kubernetes `resources.limits.cpu: 2`, `docker run --cpus 2`) on a 64-core host sees 64
// CPUs through the affinity mask, and 64 threads in a 2-CPU quota are throttled in turns:
// the parallel BFS's threads meet at every level, so each level waits for the thread
// throttled last. libuv reads the quota only from 1.49 on; node 20 ships 1.46.
//
// cgroup v2: `cpu.max` is "QUOTA PERIOD" or "max PERIOD", in the process's group (from
// /proc/self/cgroup's "0::/path" line) and every ancestor, the least of them binding. cgroup v1:
// `cpu.cfs_quota_us` (-1: none) and `cpu.cfs_period_us` in the cpu controller's group. Inside
// a container the group's path is "/" (its cgroup namespace) and the files are the
// container's own. The quota in CPUs is rounded down, at least 1: a quota of 1.5 CPUs runs
// one thread unthrottled rather than two throttled.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where the cgroup hierarchies are mounted, and this process's groups: injectable for tests. */
export interface CgroupFiles {
  /** The text of a file, or null when it cannot be read. */
  read(path: string): string | null;
}

const realFiles: CgroupFiles = {
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return null;
    }
  },
};

/** The CPUs the cgroup quota allows (a fraction), or Infinity when no quota applies or none is readable. */
export function cgroupCpuQuota(files: CgroupFiles = realFiles): number {
  const groups = files.read('/proc/self/cgroup');
  if (groups === null) return Number.POSITIVE_INFINITY;
  let least = Number.POSITIVE_INFINITY;
  for (const line of groups.split('\n')) {
    // "hierarchy-id:controllers:path"; the path may itself hold colons.
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1).trim();
    if (controllers === '') least = Math.min(least, v2Quota(files, path));
    else if (controllers.split(',').includes('cpu')) least = Math.min(least, v1Quota(files, path));
  }
  return least;
}

/** cgroup v2: the least cpu.max of the group and its ancestors. */
function v2Quota(files: CgroupFiles, path: string): number {
  let least = Number.POSITIVE_INFINITY;
  for (const dir of ancestors(path)) {
    const text = files.read(`/sys/fs/cgroup${dir}/cpu.max`);
    if (text === null) continue;
    const [quota, period] = text.trim().split(/\s+/);
    const q = Number(quota);
    const p = Number(period);
    if (quota !== 'max' && q > 0 && p > 0) least = Math.min(least, q / p);
  }
  return least;
}

/**
 * cgroup v1: the least cpu.cfs_quota_us / cpu.cfs_period_us of the group and its ancestors
 * (a parent's quota bounds its children, as in v2), where the cpu controller is usually
 * mounted. A container without its own cgroup namespace sees its host-side path
 * ("/docker/<id>") in /proc/self/cgroup but its own group at the mount's root, which the walk
 * up reaches (the host's root group has no quota: -1).
 */
function v1Quota(files: CgroupFiles, path: string): number {
  let least = Number.POSITIVE_INFINITY;
  for (const mount of ['/sys/fs/cgroup/cpu,cpuacct', '/sys/fs/cgroup/cpu']) {
    let found = false;
    for (const dir of ancestors(path)) {
      const quota = files.read(`${mount}${dir}/cpu.cfs_quota_us`);
      if (quota === null) continue;
      found = true;
      const q = Number(quota.trim());
      const p = Number(files.read(`${mount}${dir}/cpu.cfs_period_us`)?.trim());
      if (q > 0 && p > 0) least = Math.min(least, q / p);
    }
    if (found) return least; // the two mounts are one hierarchy where both exist (a link)
  }
  return least;
}

/** A group's path and its ancestors', the root last: "/a/b" → "/a/b", "/a", "". */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = path.replace(/\/+$/, ''); ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/')))) {
    out.push(dir);
    if (dir === '') return out;
  }
}

/** The threads a search or a pool of jobs uses when not told: the CPUs, within the cgroup quota. */
export function usableCores(cpus = availableParallelism(), quota = cgroupCpuQuota()): number {
  return Math.max(1, Math.min(cpus, Math.floor(quota)));
}
