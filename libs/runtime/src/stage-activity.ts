import { Inject, Injectable } from '@nestjs/common';
import { MONITOR_CONFIG, MonitorConfig } from '@monitor/config';
import { ActivitySnapshot, PIPELINE_ACTIVITY, PipelineActivity, mergeActivitySnapshots } from '@monitor/observability';

/** The pipeline's recent activity as the dashboard shows it, and the stage processes that did not answer. */
export interface StageActivityView extends ActivitySnapshot {
  unreachable: Array<{ service: string; url: string; reason: string }>;
}

/** Where the api reads what the stages did lately: in its own process (embedded) or from theirs (stack). */
export interface StageActivity {
  read(): Promise<StageActivityView>;
}

export const STAGE_ACTIVITY = Symbol('STAGE_ACTIVITY');

/** Embedded mode: every stage runs in this process and records into its one PipelineActivity. */
@Injectable()
export class LocalStageActivity implements StageActivity {
  constructor(@Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity) {}

  async read(): Promise<StageActivityView> {
    return { ...this.activity.snapshot(), unreachable: [] };
  }
}

/** A dashboard refresh must not wait on a stalled stage. */
const STAGE_TIMEOUT_MS = 1_500;

/**
 * Stack mode: each stage service answers `GET /ops/activity` with its own snapshot; the api adds
 * them up with its own. A service that does not answer is named, so the dashboard shows it rather
 * than a silent zero. With replicas behind one address, a read reaches one of them: Prometheus
 * (`monitor_*` metrics of every replica) is the exact view there.
 */
@Injectable()
export class RemoteStageActivity implements StageActivity {
  private readonly services: Array<{ service: string; url: string }>;

  constructor(
    @Inject(PIPELINE_ACTIVITY) private readonly local: PipelineActivity,
    @Inject(MONITOR_CONFIG) config: MonitorConfig,
  ) {
    this.services = [
      { service: 'collector', url: config.COLLECTOR_URL },
      { service: 'classifier', url: config.CLASSIFIER_URL },
      { service: 'indexer', url: config.INDEXER_URL },
      { service: 'alerter', url: config.ALERTER_URL },
    ];
  }

  async read(): Promise<StageActivityView> {
    const answers = await Promise.all(
      this.services.map(async ({ service, url }) => {
        try {
          const response = await fetch(new URL('ops/activity', url.endsWith('/') ? url : `${url}/`), { signal: AbortSignal.timeout(STAGE_TIMEOUT_MS) });
          if (!response.ok) return { service, url, reason: `HTTP ${response.status}` };
          return (await response.json()) as ActivitySnapshot;
        } catch (error) {
          const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
          return { service, url, reason: cause ?? (error as Error).message };
        }
      }),
    );
    const snapshots: ActivitySnapshot[] = [this.local.snapshot()];
    const unreachable: StageActivityView['unreachable'] = [];
    for (const answer of answers) {
      if ('reason' in answer) unreachable.push(answer);
      else snapshots.push(answer);
    }
    return { ...mergeActivitySnapshots(snapshots), unreachable };
  }
}
