import { StarloopError } from '../errors.ts';

/** A report or comparison asked of data that cannot give it (no shared problems, duplicate labels). */
export class ReportError extends StarloopError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_INVALID', message, options);
  }
}
