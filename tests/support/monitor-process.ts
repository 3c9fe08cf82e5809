import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

import { freePort } from '../infra-servers';

export { freePort };

export interface MonitorProcess {
  baseUrl: string;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * What to start: a TypeScript entry point of the repository run through swc's require hook (as
 * `npm start` does), or Node's arguments in a directory (a build's compiled main.js, as the image
 * runs it).
 */
export type MonitorEntry = string | { args: string[]; cwd: string };

/**
 * Starts a real monitor process (the same entry point as `npm start`) and waits until it is ready
 * (/ready: its bus and store answer). Tests talk to it over HTTP on loopback only, as a user would.
 */
export async function startMonitor(env: Record<string, string>, entry: MonitorEntry = 'services/api/src/main.ts'): Promise<MonitorProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const { args, cwd } = typeof entry === 'string' ? { args: ['-r', 'reflect-metadata', '-r', '@swc-node/register', entry], cwd: REPO_ROOT } : entry;
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (chunk) => (log += chunk));
  child.stderr?.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`monitor exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${baseUrl}/ready`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`monitor did not become ready in 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    output: () => log,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

export async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
