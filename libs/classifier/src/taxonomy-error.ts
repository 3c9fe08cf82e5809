import { MonitorError } from '@monitor/contracts';

/**
 * A taxonomy file that cannot be used. Raised at load time (start-up or re-classification), never
 * while classifying; it names the file, the topic (when the fault is inside one) and the field.
 * The code is TAXONOMY_FILE_NOT_FOUND when there is no file to read at the path (missing, a
 * directory, unreadable: the API answers 404) and TAXONOMY_INVALID when its content is wrong (400).
 */
export class TaxonomyError extends MonitorError {
  constructor(
    readonly file: string,
    readonly topic: string | undefined,
    readonly field: string,
    detail: string,
    options: { cause?: unknown; code?: 'TAXONOMY_INVALID' | 'TAXONOMY_FILE_NOT_FOUND' } = {},
  ) {
    super(
      options.code ?? 'TAXONOMY_INVALID',
      `${file}: ${topic ? `topic "${topic}": ` : ''}${field}: ${detail}`,
      { retriable: false, cause: options.cause },
    );
  }
}
