/**
 * A throwaway containerd daemon for tests (Debian's `containerd` package): its own root, state
 * and socket under a temporary directory, the CRI plugin off, so `ctr --address SOCKET` can pull
 * with `--hosts-dir`. ctr is only a client: a pull needs the daemon. Needs root (CI runs as root).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A running daemon. */
export interface TestContainerd {
  /** The gRPC socket for `ctr --address`. */
  address: string;
  stop(): Promise<void>;
}

/** True when the binaries are installed and we are root (containerd needs it). */
export function containerdAvailable(): boolean {
  return existsSync('/usr/bin/containerd') && existsSync('/usr/bin/ctr') && process.getuid?.() === 0;
}

/** Starts the daemon and waits (bounded) for its socket. */
export async function startContainerd(): Promise<TestContainerd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ar-mirror-containerd-'));
  const address = path.join(dir, 'containerd.sock');
  writeFileSync(
    path.join(dir, 'config.toml'),
    [
      'version = 2',
      `root = "${dir}/root"`,
      `state = "${dir}/state"`,
      'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
      '[grpc]',
      `  address = "${address}"`,
      '[ttrpc]',
      `  address = "${address}.ttrpc"`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('/usr/bin/containerd', ['--config', path.join(dir, 'config.toml')], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 100 && !existsSync(address); attempt++)
    await new Promise((r) => setTimeout(r, 50));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (!existsSync(address)) {
    await stop();
    throw new Error('containerd did not open its socket within 5 s');
  }
  return { address, stop };
}
