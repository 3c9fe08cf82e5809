import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric of the monitor, defined once. A process creates one set and exposes it
 * on /metrics; in embedded mode the five stages share it.
 */
export class MonitorMetrics {
  readonly registry = new Registry();

  readonly polls = new Counter({ name: 'monitor_source_polls_total', help: 'Source polls by outcome', labelNames: ['source', 'status'], registers: [this.registry] });
  readonly fetchDuration = new Histogram({ name: 'monitor_fetch_duration_seconds', help: 'Duration of source fetches', labelNames: ['source'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  readonly itemsPublished = new Counter({ name: 'monitor_items_published_total', help: 'New items published to news.raw.v1', labelNames: ['source'], registers: [this.registry] });
  readonly eventsProcessed = new Counter({ name: 'monitor_events_processed_total', help: 'Events handled per stage', labelNames: ['stage'], registers: [this.registry] });
  readonly classificationDuration = new Histogram({ name: 'monitor_classification_duration_seconds', help: 'Time to classify one article', buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1], registers: [this.registry] });
  readonly bulkSize = new Histogram({ name: 'monitor_bulk_size', help: 'Documents per bulk write', buckets: [1, 10, 50, 100, 250, 500, 1000], registers: [this.registry] });
  readonly bulkDuration = new Histogram({ name: 'monitor_bulk_duration_seconds', help: 'Duration of bulk writes', buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  readonly consumerLag = new Gauge({ name: 'monitor_consumer_lag', help: 'Messages not yet committed per group and partition', labelNames: ['group', 'topic', 'partition'], registers: [this.registry] });
  readonly deadLetters = new Counter({ name: 'monitor_dead_letters_total', help: 'Messages sent to a dead-letter topic', labelNames: ['topic'], registers: [this.registry] });
  readonly alertsDelivered = new Counter({ name: 'monitor_alerts_delivered_total', help: 'Alerts delivered per channel', labelNames: ['channel'], registers: [this.registry] });
  readonly alertsFailed = new Counter({ name: 'monitor_alerts_failed_total', help: 'Alert deliveries that failed for good per channel', labelNames: ['channel'], registers: [this.registry] });

  constructor(options: { service: string; defaultMetrics?: boolean }) {
    this.registry.setDefaultLabels({ service: options.service });
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export const MONITOR_METRICS = Symbol('MONITOR_METRICS');
