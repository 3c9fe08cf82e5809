import { createHash } from 'node:crypto';

/** An alert's id follows from its subscription and subject, so every replica names it alike. */
export function alertIdFor(subscriptionId: string, subjectId: string): string {
  return 'al' + createHash('sha256').update(`${subscriptionId}\n${subjectId}`).digest('hex').slice(0, 30);
}
