import { TimelineLoggerError } from '../errors.js';

/** The HTTP status a refused timeline request gets. */
export type TimelineRequestStatus = 400 | 404;

/**
 * A timeline request the router cannot answer: a malformed filter or cursor (400, naming the
 * query parameter) or a page that does not exist (404). The message is kept as an English
 * msgid with `{placeholders}` so the router can answer in the request's language.
 *
 * @example
 * ```ts
 * throw TimelineRequestError.invalidParameter('since', 'an ISO date (2024-01-31) or date-time (2024-01-31T09:30)', 'yesterday');
 * // 400: The since parameter must be an ISO date (2024-01-31) or date-time (2024-01-31T09:30) (got "yesterday").
 * ```
 */
export class TimelineRequestError extends TimelineLoggerError {
  /** 400 for a malformed parameter, 404 for a page that does not exist. */
  readonly status: TimelineRequestStatus;
  /** The query parameter at fault, or null when none is. */
  readonly parameter: string | null;
  /** The English message with `{placeholders}`, as listed in the locale catalogs. */
  readonly msgid: string;
  /** The placeholder values of {@link TimelineRequestError.msgid}. */
  readonly params: Readonly<Record<string, string>>;

  constructor(status: TimelineRequestStatus, parameter: string | null, msgid: string, params: Readonly<Record<string, string>> = {}) {
    super(msgid.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole));
    this.status = status;
    this.parameter = parameter;
    this.msgid = msgid;
    this.params = Object.freeze({ ...params });
  }

  /**
   * A 400 for a query parameter whose value is not what the timeline expects.
   *
   * @param expected What would be accepted, in English (it is shown as it is).
   */
  static invalidParameter(parameter: string, expected: string, got: string): TimelineRequestError {
    return new TimelineRequestError(400, parameter, 'The {parameter} parameter must be {expected} (got "{value}").', {
      parameter,
      expected,
      value: clip(got),
    });
  }

  /** A 400 for a parameter given more than once (`?user=1&user=2`). */
  static repeatedParameter(parameter: string): TimelineRequestError {
    return new TimelineRequestError(400, parameter, 'The {parameter} parameter may be given only once.', { parameter });
  }

  /** A 400 for two parameters that cannot be combined (`before` with `after`). */
  static conflictingParameters(parameter: string, other: string): TimelineRequestError {
    return new TimelineRequestError(400, parameter, 'The {parameter} parameter cannot be combined with {other}.', { parameter, other });
  }

  /** A 400 for a cursor that was altered or cut short: the link should be followed as it was given. */
  static invalidCursor(parameter: string): TimelineRequestError {
    return new TimelineRequestError(
      400,
      parameter,
      'The {parameter} cursor is not valid: it was changed or cut short. Follow the Newer and Older links as they are, or start again from the newest entries.',
      { parameter },
    );
  }

  /** The 404 Django's paginator gives for a page out of range or not a number. */
  static pageNotFound(): TimelineRequestError {
    return new TimelineRequestError(404, 'page', 'Invalid page: that page contains no results.');
  }
}

function clip(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
