// The classifier's side of `npm run bench:alerts`, in a worker thread: classified articles at a
// steady rate into the bus file the alerter reads. In the monitor the classifier is another
// stage (another process in the stack); publishing from the alerter's own thread made the asked
// rate depend on how busy the alerter was, which is what the bench measures.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { BUS_TOPICS, ClassifiedArticle } from '@monitor/contracts';
import { SqliteBus } from '@monitor/messaging-sqlite';
import { publishEvents } from '@monitor/messaging';
import { seededRandom } from '@monitor/contracts';
import { syntheticArticle } from '@monitor/alerts/testing';

export interface SteadyPublisherOptions {
  dbFile: string;
  rate: number;
  total: number;
  seed: number;
}

/** Sent to the parent for each article: its id and when it was published (ms since the epoch, sub-ms precise). */
export interface PublishedArticle {
  id: string;
  at: number;
}

export const absoluteNow = (): number => performance.timeOrigin + performance.now();

async function publishSteadily(options: SteadyPublisherOptions, report: (published: PublishedArticle[]) => void): Promise<number> {
  const db = new Database(options.dbFile);
  db.pragma('busy_timeout = 5000');
  const bus = new SqliteBus({ db });
  const rnd = seededRandom(options.seed);
  const started = performance.now();
  for (let i = 0; i < options.total; i++) {
    // Each article leaves at its own slot, however long the previous publish took.
    const wait = started + (i * 1000) / options.rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const article: ClassifiedArticle = { ...syntheticArticle(rnd), classifiedAt: new Date().toISOString() };
    const at = absoluteNow();
    await publishEvents(bus, BUS_TOPICS.classified, [article]);
    report([{ id: article.id, at }]);
  }
  const seconds = (performance.now() - started) / 1000;
  await bus.close();
  db.close();
  return seconds;
}

if (parentPort && workerData?.steadyPublisher) {
  const port = parentPort;
  publishSteadily(workerData.steadyPublisher as SteadyPublisherOptions, (published) => port.postMessage({ published }))
    .then((seconds) => port.postMessage({ done: seconds }))
    .catch((error: unknown) => port.postMessage({ error: String((error as Error).stack ?? error) }));
}
