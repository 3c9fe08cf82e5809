import { ApiKeysController } from './api-keys.controller';
import { OpsController } from '@monitor/runtime';
import { AdminController } from './admin.controller';
import { AlertsController } from './alerts.controller';
import { SearchController } from './search.controller';
import { StoriesController } from './stories.controller';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionFeedController } from './subscription-feed.controller';
import { TopicsController } from './topics.controller';
import { OpsOverviewController } from './ops-overview.controller';
import { DashboardController } from './dashboard.controller';

/** The HTTP surface of the api service, the same in embedded and stack mode. */
export const API_CONTROLLERS = [
  OpsController,
  SearchController,
  StoriesController,
  TopicsController,
  SubscriptionsController,
  SubscriptionFeedController,
  AlertsController,
  ApiKeysController,
  AdminController,
  OpsOverviewController,
  DashboardController,
];
