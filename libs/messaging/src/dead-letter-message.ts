import { HEADERS } from '@monitor/contracts';
import { OutgoingMessage } from './bus.port';

export interface DeadLetter {
  key: string;
  value: string;
  /** Headers of the original message, kept so that a replay carries its trace and schema. */
  headers?: Record<string, string>;
  reason: string;
  code: string;
  /** Where the message came from: `topic/partition@offset`, or `topic/channel` for a delivery. */
  sourceTopic: string;
}

/** The one shape of a dead letter: the original key and value, the reason, its code and its origin. */
export function deadLetterMessage(letter: DeadLetter): OutgoingMessage {
  return {
    key: letter.key,
    value: letter.value,
    headers: {
      ...letter.headers,
      [HEADERS.deadLetterReason]: letter.reason.slice(0, 1000),
      [HEADERS.deadLetterCode]: letter.code,
      [HEADERS.deadLetterSourceTopic]: letter.sourceTopic,
    },
  };
}
