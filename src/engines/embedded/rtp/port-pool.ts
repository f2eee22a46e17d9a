import { AppError } from '../../../lib/errors.ts';

/**
 * Even RTP ports from a configured range (RFC 3550 §11: RTP on an even port, RTCP on the
 * next odd one). The range should sit outside the kernel's ephemeral range
 * (`net.ipv4.ip_local_port_range`, usually 32768–60999) so outgoing connections never take
 * a port the pool is about to hand out. Allocation is round-robin so a just-released port
 * is reused last (late packets of an old call do not reach a new one).
 */
export class PortPool {
  readonly #min: number;
  readonly #count: number;
  readonly #inUse = new Set<number>();
  #next = 0;

  constructor(portMin: number, portMax: number) {
    const min = portMin % 2 === 0 ? portMin : portMin + 1;
    if (!Number.isInteger(portMin) || !Number.isInteger(portMax) || min < 1024 || portMax > 65534 || min > portMax) {
      throw new AppError('CONFIG_INVALID', 'RTP port range is invalid', { details: { portMin, portMax } });
    }
    this.#min = min;
    this.#count = Math.floor((portMax - min) / 2) + 1;
  }

  /** How many ports the range holds. */
  get size(): number {
    return this.#count;
  }

  /** How many are taken. */
  get used(): number {
    return this.#inUse.size;
  }

  /** Takes the next free even port; throws `PORTS_EXHAUSTED` when none is left. */
  take(): number {
    for (let i = 0; i < this.#count; i++) {
      const port = this.#min + ((this.#next + i) % this.#count) * 2;
      if (!this.#inUse.has(port)) {
        this.#inUse.add(port);
        this.#next = (this.#next + i + 1) % this.#count;
        return port;
      }
    }
    throw new AppError('PORTS_EXHAUSTED', 'no free RTP port in the configured range', {
      details: { size: this.#count },
    });
  }

  /** Gives a port back. Releasing a port not taken is a no-op. */
  release(port: number): void {
    this.#inUse.delete(port);
  }
}
