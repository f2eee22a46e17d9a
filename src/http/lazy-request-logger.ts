import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogMethod = FastifyBaseLogger['info'];

/** A parent that can say whether a level would be written (pino's loggers can). */
interface LevelAware {
  isLevelEnabled(level: string): boolean;
}

function levelAware(logger: FastifyBaseLogger): logger is FastifyBaseLogger & LevelAware {
  return typeof (logger as Partial<LevelAware>).isLevelEnabled === 'function';
}

/**
 * A request's logger that becomes pino's child logger (with the request id bound) only when
 * something is written at a level the parent writes. Fastify makes a child for every request,
 * and pino serialises and redacts the child's bindings when it is made — for a status request
 * at the default level, which writes nothing, that was a tenth of what the request cost.
 */
class LazyRequestLogger implements FastifyBaseLogger {
  readonly #parent: FastifyBaseLogger & LevelAware;
  readonly #bindings: Bindings;
  #child: FastifyBaseLogger | null = null;

  constructor(parent: FastifyBaseLogger & LevelAware, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  get level(): string {
    return this.#child?.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  fatal(...args: Parameters<LogMethod>): void {
    this.#log('fatal', args);
  }

  error(...args: Parameters<LogMethod>): void {
    this.#log('error', args);
  }

  warn(...args: Parameters<LogMethod>): void {
    this.#log('warn', args);
  }

  info(...args: Parameters<LogMethod>): void {
    this.#log('info', args);
  }

  debug(...args: Parameters<LogMethod>): void {
    this.#log('debug', args);
  }

  trace(...args: Parameters<LogMethod>): void {
    this.#log('trace', args);
  }

  silent(): void {
    // Writes nothing, like pino's.
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  #log(level: Level, args: Parameters<LogMethod>): void {
    if (this.#child === null && !this.#parent.isLevelEnabled(level)) return;
    this.#real()[level](...args);
  }
}

/**
 * Fastify's `childLoggerFactory` with {@link LazyRequestLogger}. A route with its own log
 * options (a level or serializers), or a parent that cannot tell its levels, gets pino's
 * child at once, as Fastify's default factory does.
 */
export function lazyChildLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  if (Object.keys(options).length > 0 || !levelAware(logger)) return logger.child(bindings, options);
  return new LazyRequestLogger(logger, bindings);
}
