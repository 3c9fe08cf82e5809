import { Controller, Get, Header, Inject, Optional } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { ActivitySnapshot, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';

/** /health, /metrics and /ops/activity, the same on every service process. */
@ApiTags('ops')
@Controller()
export class OpsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(MONITOR_METRICS) private readonly metrics: MonitorMetrics,
    @Inject(PIPELINE_ACTIVITY) private readonly activity: PipelineActivity,
    @Optional() @Inject(ARTICLE_STORE) private readonly store?: ArticleStore,
  ) {}

  @Get('health')
  @HealthCheck()
  @ApiOperation({ summary: 'Health of the bus (Kafka or embedded) and the search store (Elasticsearch or embedded)' })
  check() {
    const checks: HealthIndicatorFunction[] = [
      async () => {
        const indicator = this.indicators.check('bus');
        const health = await this.bus.health();
        return health.up ? indicator.up({ detail: health.detail }) : indicator.down({ detail: health.detail });
      },
    ];
    const store = this.store;
    if (store) {
      checks.push(async () => {
        const indicator = this.indicators.check('store');
        const health = await store.health();
        return health.up ? indicator.up({ documents: health.documents }) : indicator.down({ detail: health.detail });
      });
    }
    return this.health.check(checks);
  }

  @Get('metrics')
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async prometheus(): Promise<string> {
    return (await this.metrics.expose()).body;
  }

  @Get('ops/activity')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "This process's recent stage activity: events per second, dead letters with reasons, the last bulk (the api's dashboard adds up every service's)" })
  activitySnapshot(): ActivitySnapshot {
    return this.activity.snapshot();
  }
}
