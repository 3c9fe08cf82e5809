import { articleIdFromUrl, BUS_TOPICS, RawArticle } from '@monitor/contracts';
import { KafkaBus, kafkaGroupId } from '@monitor/messaging-kafka';
import { publishEvents } from '@monitor/messaging';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';

// Texts written for these tests. The first is about Afghan opiates (an analyst subscribed to
// that topic gets an alert); the second is about nothing the monitor watches.
const OPIATES = {
  title: 'Customs officers stop a truck carrying Afghan heroin at a mountain border post',
  text:
    'Customs officers at a mountain border post stopped a truck that carried 120 kilograms of heroin concealed in a load of dried fruit. ' +
    'Investigators said the opiates had been produced in Afghanistan and moved along the northern route towards Central Asia. ' +
    'The seizure followed months of joint work by the drug-control agencies of two neighbouring states, which shared information on the smuggling network and its couriers.',
};
const OFF_TOPIC = {
  title: 'Regional ministers agree on a new timetable for grain shipments',
  text:
    'Transport ministers from four countries agreed on a new timetable for grain shipments by rail. ' +
    'The plan adds two weekly trains and shortens waiting times at the border stations. ' +
    'Officials said the change would lower costs for farmers and traders and make deliveries to ports more predictable during the winter months.',
};

/**
 * Raw events as the collector would publish them; every third one is about Afghan opiates. With a
 * `tag`, article n also carries the word tag(n) in its title and text, so that a subscription's
 * query can single out a known share of the stream.
 */
export class ArticleStream {
  private readonly run = randomBytes(4).toString('hex');
  private next = 0;
  /** Ids of everything handed out, and of the ones an opiates subscriber must be alerted to. */
  readonly ids: string[] = [];
  readonly alertIds: string[] = [];
  /** The tag word of each article handed out, by id (when the stream has a `tag`). */
  readonly tags = new Map<string, string>();

  constructor(private readonly tag?: (n: number) => string) {}

  take(count: number): RawArticle[] {
    return Array.from({ length: count }, () => this.article(this.next++));
  }

  /** An article that is not counted among those expected (to be broken by the test). */
  uncounted(): RawArticle {
    return this.article(this.next++, false);
  }

  private article(n: number, counted = true): RawArticle {
    const onTopic = n % 3 === 0;
    const body = onTopic ? OPIATES : OFF_TOPIC;
    const url = `https://stack-test.example.org/${this.run}/news/${n}.html`;
    const id = articleIdFromUrl(url);
    if (counted) this.ids.push(id);
    if (counted && onTopic) this.alertIds.push(id);
    const word = this.tag?.(n);
    if (word) this.tags.set(id, word);
    const text = word ? `${body.text} ${word}` : body.text;
    return {
      schema: 'news.raw.v1',
      id,
      sourceId: 'stack-test',
      sourceName: 'Stack test wire',
      url,
      title: `${body.title} (${n})${word ? ` ${word}` : ''}`,
      content: `<p>${text}</p>`,
      contentType: 'html',
      text,
      declaredLanguage: 'en',
      publishedAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
      fetchedAt: new Date().toISOString(),
    };
  }
}

/** A bus for the test itself, on the stack's topics (same prefix as its services). */
export function testBus(brokers: string[], topicPrefix: string): KafkaBus {
  return new KafkaBus({
    brokers,
    topicPrefix,
    clientId: 'stack-test-driver',
    consumer: { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 5_000, maxWaitTimeMs: 200 },
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Publishes `batchSize` articles every `intervalMs` until stopped, the way a collector keeps
 * feeding the pipeline: a batch that fails (the broker is away) is sent again until it is
 * accepted, so every article is published at least once, and some perhaps twice.
 */
export class SteadyPublisher {
  private stopped = false;
  private loop?: Promise<void>;
  failures = 0;
  published = 0;

  constructor(
    private readonly bus: KafkaBus,
    private readonly stream: ArticleStream,
    private readonly batchSize = 10,
    private readonly intervalMs = 200,
  ) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  /** Stops after the batch in hand has been accepted. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const batch = this.stream.take(this.batchSize);
      for (;;) {
        try {
          await publishEvents(this.bus, BUS_TOPICS.raw, batch);
          break;
        } catch {
          this.failures += 1;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
      this.published += batch.length;
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }
}

/** A consumer group of the stack on the broker: its state, the partitions of `topic` each member holds, and all there are. */
export async function groupPartitions(brokers: string[], topicPrefix: string, group: string, topic: string) {
  const prefixed = `${topicPrefix}${topic}`;
  const admin = new Kafka({ brokers, clientId: 'stack-test-groups', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [described] = (await admin.describeGroups([kafkaGroupId(group, prefixed)])).groups;
    const partitions = described.members.map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[prefixed] ?? []);
    const all = (await admin.fetchTopicOffsets(prefixed)).map((offsets) => offsets.partition).sort();
    return { state: described.state, partitions, all };
  } finally {
    await admin.disconnect();
  }
}

/** A counter of a service's /metrics with one label set (0 when absent), e.g. monitor_events_processed_total and stage="alerter". */
export async function metricValue(baseUrl: string, name: string, label: string): Promise<number> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(label));
  return Number(line?.split(' ').at(-1) ?? 0);
}
