import { MonitorError } from '@monitor/contracts';

/** The whole exchange took longer than its deadline. Retriable: the server may be faster later. */
export class DeadlineExceededError extends MonitorError {
  constructor(
    readonly timeoutMs: number,
    cause?: unknown,
  ) {
    super('DEADLINE_EXCEEDED', `no complete answer within ${timeoutMs} ms`, { retriable: true, cause });
  }
}

/**
 * Runs an exchange under one deadline for connect, headers and body together. undici's own
 * headersTimeout and bodyTimeout measure silence between bytes, so a server that drips one byte
 * a second never trips them; only a total deadline cuts a slow drip off. `outer` (a caller's
 * cancellation) aborts too, and then its own error passes through unchanged.
 */
export async function withDeadline<T>(timeoutMs: number, run: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signal = outer ? AbortSignal.any([deadline.signal, outer]) : deadline.signal;
  try {
    return await run(signal);
  } catch (error) {
    // Errors the exchange raised on purpose (a refusal, a size limit) keep their meaning.
    if (deadline.signal.aborted && !(error instanceof MonitorError)) throw new DeadlineExceededError(timeoutMs, error);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
