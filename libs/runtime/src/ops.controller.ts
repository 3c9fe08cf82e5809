import { Controller, Get, Header, Inject, Optional, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorFunction, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { MESSAGE_BUS, MessageBus } from '@monitor/messaging';
import { ActivitySnapshot, MONITOR_METRICS, MonitorMetrics, PIPELINE_ACTIVITY, PipelineActivity } from '@monitor/observability';
import { ARTICLE_STORE, ArticleStore } from '@monitor/search';

/**
 * /health, /ready, /metrics and /ops/activity, the same on every service process.
 *
 * Liveness and readiness are separate so that an orchestrator restarts only what restarting can
 * fix: /health answers 200 as long as the process serves HTTP (a Kafka or Elasticsearch outage
 * must not get every replica killed), /ready answers 503 while the bus or the search store is
 * down (take the replica out of the load balancer until they are back).
 */
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
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP, whatever the state of Kafka and Elasticsearch' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 200 when the bus (Kafka or embedded) and the search store (Elasticsearch or embedded) answer, else 503 naming the one down' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
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
    try {
      return await this.health.check(checks);
    } catch (error) {
      // Terminus throws its report with the 503; answered as it is, it names what is down.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
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
