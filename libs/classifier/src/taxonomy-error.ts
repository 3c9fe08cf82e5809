import { MonitorError } from '@monitor/contracts';

/**
 * A taxonomy file that cannot be used. Raised at load time (start-up or re-classification), never
 * while classifying; it names the file, the topic (when the fault is inside one) and the field.
 */
export class TaxonomyError extends MonitorError {
  constructor(
    readonly file: string,
    readonly topic: string | undefined,
    readonly field: string,
    detail: string,
    options: { cause?: unknown } = {},
  ) {
    super(
      'TAXONOMY_INVALID',
      `${file}: ${topic ? `topic "${topic}": ` : ''}${field}: ${detail}`,
      { retriable: false, cause: options.cause },
    );
  }
}
