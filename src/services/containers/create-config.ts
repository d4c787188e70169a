/**
 * What `POST /containers/create` does to the request before anything exists: validation of the
 * HostConfig with Docker's messages, and merging the image's config under the user's (moby's
 * daemon/commit.go `merge`: env by key, entrypoint/cmd rules, exposed ports, volumes, labels).
 */
import type { ContainerConfig, HostConfig } from '../../api/types/generated.js';
import { invalidArgument } from '../../common/errors.js';
import { isRlimitName } from '../../runtime/rlimits.js';
import type { ImageRunConfig } from '../../oci/image-spec.js';

/** The image config's `config` (OCI ImageConfig.config with Docker's extensions). */
export type ImageRunConfigLike = ImageRunConfig;

export function mergeImageConfig(user: ContainerConfig, image: ImageRunConfigLike | undefined): ContainerConfig {
  const c: ContainerConfig = { ...user };
  if (!image) return c;
  if (!c.User) c.User = image.User ?? '';
  if (image.ExposedPorts) c.ExposedPorts = { ...image.ExposedPorts, ...(c.ExposedPorts ?? {}) };
  const env = [...(c.Env ?? [])];
  const keys = new Set(env.map((e) => e.split('=', 1)[0]));
  c.Env = [...(image.Env ?? []).filter((e) => !keys.has(e.split('=', 1)[0])), ...env];
  if (!c.Entrypoint?.length) {
    if (!c.Cmd?.length) c.Cmd = image.Cmd ?? [];
    if (c.Entrypoint === undefined || c.Entrypoint === null) c.Entrypoint = image.Entrypoint ?? undefined;
  }
  if (!c.WorkingDir) c.WorkingDir = image.WorkingDir ?? '';
  if (image.Volumes) c.Volumes = { ...image.Volumes, ...(c.Volumes ?? {}) };
  c.Labels = { ...(image.Labels ?? {}), ...(c.Labels ?? {}) };
  if (!c.StopSignal && image.StopSignal) c.StopSignal = image.StopSignal;
  if (!c.Healthcheck && image.Healthcheck) c.Healthcheck = image.Healthcheck as ContainerConfig['Healthcheck'];
  if (!c.OnBuild?.length && image.OnBuild?.length) c.OnBuild = image.OnBuild;
  return c;
}

const RESTART = new Set(['', 'no', 'always', 'unless-stopped', 'on-failure']);

/** Docker's HostConfig checks (moby daemon/container.go verifyPlatformContainerSettings and co). */
export function validateHostConfig(hc: HostConfig, config: ContainerConfig): void {
  const rp = hc.RestartPolicy ?? {};
  const name = rp.Name ?? '';
  if (!RESTART.has(name)) throw invalidArgument(`invalid restart policy: unknown policy '${name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`);
  if ((rp.MaximumRetryCount ?? 0) < 0) throw invalidArgument('invalid restart policy: maximum retry count cannot be negative');
  if (rp.MaximumRetryCount && name !== 'on-failure') throw invalidArgument(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  if (hc.AutoRemove && name && name !== 'no') throw invalidArgument(`can't create 'AutoRemove' container with restart policy`);
  const mem = hc.Memory ?? 0;
  if (mem < 0) throw invalidArgument('invalid memory limit: must be a positive value');
  if (mem > 0 && mem < 6 * 1024 * 1024) throw invalidArgument('Minimum memory limit allowed is 6MB');
  const swap = hc.MemorySwap ?? 0;
  if (mem > 0 && swap > 0 && swap < mem) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (mem === 0 && swap > 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (hc.MemoryReservation && mem && hc.MemoryReservation > mem) throw invalidArgument('Minimum memory limit can not be less than memory reservation limit, see usage');
  const sw = hc.MemorySwappiness;
  if (sw !== undefined && sw !== null && sw !== -1 && (sw < 0 || sw > 100)) throw invalidArgument(`Invalid value: ${sw}, valid memory swappiness range is 0-100`);
  if ((hc.CpuShares ?? 0) < 0) throw invalidArgument('shares: invalid argument');
  if (hc.NanoCpus && (hc.CpuQuota || hc.CpuPeriod)) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (hc.NanoCpus && hc.NanoCpus < 0) throw invalidArgument('Range of CPUs is from 0.01 to the number of CPUs available on the machine');
  if (hc.CpuPeriod && (hc.CpuPeriod < 1000 || hc.CpuPeriod > 1000000)) throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (hc.CpuQuota && hc.CpuQuota > 0 && hc.CpuQuota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  const oom = hc.OomScoreAdj ?? 0;
  if (oom < -1000 || oom > 1000) throw invalidArgument(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  if ((hc.BlkioWeight ?? 0) && ((hc.BlkioWeight ?? 0) < 10 || (hc.BlkioWeight ?? 0) > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000');
  if ((hc.ShmSize ?? 0) < 0) throw invalidArgument('SHM size can not be less than 0');
  for (const u of hc.Ulimits ?? []) {
    if (!isRlimitName(`RLIMIT_${(u.Name ?? '').toUpperCase()}`)) throw invalidArgument(`invalid ulimit type: ${u.Name}`);
    if ((u.Soft ?? 0) > (u.Hard ?? 0)) throw invalidArgument(`ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
  }
  for (const [k] of Object.entries(hc.PortBindings ?? {})) {
    if (!/^\d+(-\d+)?(\/(tcp|udp|sctp))?$/.test(k)) throw invalidArgument(`invalid port specification: "${k}"`);
  }
  if (config.StopTimeout !== undefined && config.StopTimeout !== null && config.StopTimeout < -1) throw invalidArgument('invalid stop timeout');
  const hcheck = config.Healthcheck;
  if (hcheck) {
    const min = 1_000_000;
    for (const [k, v] of [['Interval', hcheck.Interval], ['Timeout', hcheck.Timeout], ['StartPeriod', hcheck.StartPeriod], ['StartInterval', hcheck.StartInterval]] as const) {
      if (v && v < min) throw invalidArgument(`${k} in Healthcheck cannot be less than 1ms`);
    }
    if ((hcheck.Retries ?? 0) < 0) throw invalidArgument('Retries in Healthcheck cannot be negative');
  }
}
