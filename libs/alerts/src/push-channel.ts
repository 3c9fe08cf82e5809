import { Alert } from '@monitor/contracts';
import { PushChannel } from './delivery-log.port';
import { DeliveryMode, Subscription } from './subscription';

/** What a push channel sends: one alert, or a digest of the alerts of an hour or a day. */
export type PushMessage =
  | { kind: 'alert'; id: string; alert: Alert }
  | { kind: 'digest'; id: string; period: { mode: Exclude<DeliveryMode, 'immediate'>; from: string; to: string }; alerts: Alert[] };

/** A channel makes one attempt per call and throws DeliveryError (retriable or not) when it fails. */
export interface PushChannelSender {
  readonly channel: PushChannel;
  /** Whether this subscription asked for the channel. */
  wants(subscription: Subscription): boolean;
  /** `signal` aborts the attempt when the monitor stops. */
  send(message: PushMessage, subscription: Subscription, signal?: AbortSignal): Promise<void>;
}
