import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

/** Parses in a child process whose machine time zone is `tz`: Jest's workers keep the zone they started with. */
function parseIn(tz: string, inputs: string[]): Array<string | null> {
  const script = `process.stdout.write(JSON.stringify(${JSON.stringify(inputs)}.map(require(${JSON.stringify(resolve(__dirname, 'loose-date'))}).parseLooseDate)))`;
  const out = execFileSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: root,
    env: { ...process.env, TZ: tz, SWC_NODE_PROJECT: resolve(root, 'tsconfig.base.json') },
  });
  return JSON.parse(out.toString('utf8'));
}

describe('parseLooseDate on a machine outside UTC', () => {
  it('reads dates without a zone as UTC and honours the zone a date names, in every shape', () => {
    const inputs = ['2025/11/03 10:30', '11/3/2025 10:30 PM', '2025/11/03 10:30 +0300', '11/3/2025 10:30 PM EST', '2025-11-03 10:30', '03.11.2025'];
    const expected = [
      '2025-11-03T10:30:00.000Z',
      '2025-11-03T22:30:00.000Z',
      '2025-11-03T07:30:00.000Z',
      '2025-11-04T03:30:00.000Z',
      '2025-11-03T10:30:00.000Z',
      '2025-11-03T00:00:00.000Z',
    ];
    // Kathmandu is +05:45 all year: no daylight saving shift can hide a local reading.
    expect(parseIn('Asia/Kathmandu', inputs)).toEqual(expected);
    expect(parseIn('America/Los_Angeles', inputs)).toEqual(expected);
  });
});
