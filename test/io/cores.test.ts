import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CgroupFiles, cgroupCpuQuota, usableCores } from '../../src/io/cores.js';

const files = (tree: Record<string, string>): CgroupFiles => ({ read: (p) => tree[p] ?? null });

test('cgroup v2: the least cpu.max of the group and its ancestors, "max" is none', () => {
  const proc = { '/proc/self/cgroup': '0::/kubepods/pod1/ctr\n' };
  assert.equal(cgroupCpuQuota(files({ ...proc, '/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': '200000 100000\n' })), 2);
  assert.equal(
    cgroupCpuQuota(
      files({
        ...proc,
        '/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': 'max 100000\n',
        '/sys/fs/cgroup/kubepods/pod1/cpu.max': '150000 100000\n',
        '/sys/fs/cgroup/kubepods/cpu.max': '400000 100000\n',
      }),
    ),
    1.5,
  );
  assert.equal(cgroupCpuQuota(files({ ...proc, '/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': 'max 100000' })), Infinity);
  // Inside a container's cgroup namespace: the group is "/", its files at the mount's root.
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '50000 100000' })), 0.5);
});

test("cgroup v1: the cpu controller's cfs quota over its period, the least up the tree, -1 is none", () => {
  /** The quota with /proc/self/cgroup `groups` and, for each directory, [quota, period]. */
  const quota = (groups: string, dirs: Record<string, [string, string]>): number => {
    const tree: Record<string, string> = { '/proc/self/cgroup': groups };
    for (const [dir, [q, p]] of Object.entries(dirs)) {
      tree[`${dir}/cpu.cfs_quota_us`] = `${q}\n`;
      tree[`${dir}/cpu.cfs_period_us`] = `${p}\n`;
    }
    return cgroupCpuQuota(files(tree));
  };
  const groups = '12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/\n';
  const mount = '/sys/fs/cgroup/cpu,cpuacct';
  assert.equal(quota(groups, { [`${mount}/docker/abc`]: ['300000', '100000'] }), 3);
  assert.equal(quota(groups, { [`${mount}/docker/abc`]: ['-1', '100000'] }), Infinity);
  // A parent's quota bounds its child's.
  assert.equal(
    quota(groups, { [`${mount}/docker/abc`]: ['-1', '100000'], [`${mount}/docker`]: ['150000', '100000'] }),
    1.5,
  );
  // A container without a cgroup namespace: its host-side path in /proc, its group at the mount's root.
  assert.equal(quota('4:cpu,cpuacct:/docker/abc\n', { [mount]: ['200000', '100000'] }), 2);
  // The controller mounted alone.
  assert.equal(quota('3:cpu:/job\n', { '/sys/fs/cgroup/cpu/job': ['100000', '100000'] }), 1);
});

test('no cgroup files (not Linux, or unreadable): no quota', () => {
  assert.equal(cgroupCpuQuota(files({})), Infinity);
  assert.equal(cgroupCpuQuota(files({ '/proc/self/cgroup': 'garbage\n' })), Infinity);
});

test('usableCores: the CPUs within the quota, rounded down, at least one', () => {
  assert.equal(usableCores(64, 2), 2);
  assert.equal(usableCores(64, 1.5), 1);
  assert.equal(usableCores(64, 0.5), 1);
  assert.equal(usableCores(2, 8), 2);
  assert.equal(usableCores(4, Infinity), 4);
  // This machine: whatever it has, at least one and at most its CPUs.
  const here = usableCores();
  assert.ok(here >= 1 && Number.isInteger(here));
});
