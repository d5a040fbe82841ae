/**
 * @module
 */
import { MessagingError } from '../index';

/** The command line is wrong: an unknown option, a missing or malformed value. Exits with 64. */
export class UsageError extends MessagingError {
  /** @param message what is wrong, e.g. `--topic is required` */
  constructor(message: string) {
    super('InvalidOption', message);
  }
}
