import { ApiKeysController, OpsController } from '@monitor/pipeline';
import { AlertsController } from './alerts.controller';
import { SearchController } from './search.controller';
import { SubscriptionsController } from './subscriptions.controller';
import { TopicsController } from './topics.controller';

/** The HTTP surface of the api service, the same in embedded and stack mode. */
export const API_CONTROLLERS = [
  OpsController,
  SearchController,
  TopicsController,
  SubscriptionsController,
  AlertsController,
  ApiKeysController,
];
