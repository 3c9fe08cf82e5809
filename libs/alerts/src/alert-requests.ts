import { z } from 'zod';
import { SUBSCRIPTION_ID_PATTERN } from './subscription-write';

const count = (max: number, fallback: number, description: string) =>
  z.coerce.number().int().min(1).max(max).default(fallback).meta({ description: `${description}; 1 to ${max}, ${fallback} by default` });

/** GET /alerts: the caller's alerts after a sequence number. */
export const AlertListQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(0)
    .meta({ description: 'Only alerts with a larger `seq` (the `seq` of the last one you have); 0 by default: from the start' }),
  limit: count(500, 100, 'Alerts per answer'),
});

/** GET /alerts/deliveries: webhook and email deliveries of the caller's alerts. */
export const DeliveryListQuerySchema = z.object({
  status: z.enum(['pending', 'delivered', 'failed']).optional().meta({ description: 'Only deliveries in this state' }),
  subscriptionId: z.string().regex(SUBSCRIPTION_ID_PATTERN, 'a subscription id').optional().meta({ description: 'Only this subscription’s' }),
  limit: count(1000, 100, 'Deliveries per answer'),
});

/** POST /admin/keys: a new key; its secret is shown once, in the answer. */
export const ApiKeyCreateSchema = z.object({
  name: z.string().max(200).optional().meta({ description: 'Who or what the key is for, shown in GET /admin/keys' }),
  label: z.string().max(200).optional().meta({ description: 'The older name of `name`', deprecated: true }),
  role: z.enum(['analyst', 'admin']).default('analyst'),
});
