import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './monitor-process';

let python: string | undefined;

/**
 * The python of the second look's encoder, installed by libs/classifier/encoder/install-encoder.sh
 * (idempotent: a venv with the pinned versions is reused), once per test file.
 */
export function encoderPython(): string {
  if (python) return python;
  const result = spawnSync('bash', [join(REPO_ROOT, 'libs/classifier/encoder/install-encoder.sh')], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cannot install the encoder (libs/classifier/encoder/install-encoder.sh):\n${result.stderr}${result.stdout}`);
  python = result.stdout.trim().split('\n').pop()!;
  return python;
}
