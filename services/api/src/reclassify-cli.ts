/**
 * npm run reclassify -- [--taxonomy FILE] [--data-dir DIR] [--page-size N]
 *
 * Re-runs a taxonomy (FILE, else TAXONOMY_FILE, else the shipped one) over every article of an
 * embedded monitor's data file (DIR, else DATA_DIR): topics and taxonomy version are updated in
 * place, and articles whose topic set changed are queued on the embedded bus, so the alerter
 * alerts the subscriptions that newly match when the monitor next starts (never twice). Meant for
 * a stopped monitor; while it runs, or in stack mode, call POST /admin/reclassify instead.
 * Prints the counts as one JSON line; exits 1 with the reason on stderr.
 */
import { MonitorError } from '@monitor/contracts';
import { loadClassifier, loadDefaultClassifier } from '@monitor/classifier';
import { loadConfig } from '@monitor/config';
import { openEmbeddedData } from '@monitor/runtime';
import { reclassifyStoredArticles, startConfiguredSecondLook } from '@monitor/classifier-stage';

const USAGE = 'usage: npm run reclassify -- [--taxonomy FILE] [--data-dir DIR] [--page-size N]';

function parseArgs(argv: string[]): { taxonomy?: string; dataDir?: string; pageSize: number } {
  const out: { taxonomy?: string; dataDir?: string; pageSize: number } = { pageSize: 200 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--taxonomy') out.taxonomy = value();
    else if (flag === '--data-dir') out.dataDir = value();
    else if (flag === '--page-size') out.pageSize = Number(value());
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!Number.isInteger(out.pageSize) || out.pageSize < 1) throw new Error(`--page-size must be a positive integer\n${USAGE}`);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig({ ...process.env, ...(args.dataDir ? { DATA_DIR: args.dataDir } : {}) });
  if (config.MONITOR_MODE !== 'embedded') throw new Error('the command works on the embedded data file; in stack mode call POST /admin/reclassify');
  const taxonomy = args.taxonomy ?? config.TAXONOMY_FILE;
  // Loaded before the data file is opened: a malformed taxonomy changes nothing.
  const classifier = taxonomy ? loadClassifier(taxonomy) : loadDefaultClassifier();

  // The second look the pipeline runs (SECOND_LOOK), so that topics agree with classification.
  const look = await startConfiguredSecondLook(config);
  const { store, bus, close } = await openEmbeddedData(config).catch(async (error: unknown) => {
    await look?.embedder.close();
    throw error;
  });
  try {
    const report = await reclassifyStoredArticles({ store, bus, classifier, look, pageSize: args.pageSize });
    process.stdout.write(`${JSON.stringify({ dataDir: config.dataDir, ...report })}\n`);
  } finally {
    await close();
    await look?.embedder.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reclassify: ${error instanceof MonitorError || error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
