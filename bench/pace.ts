/**
 * Bandwidth pacing for the WAN proxy: a Transform that lets one body stream through at a given
 * rate, like one TCP stream on a link whose per-stream throughput is capped. Each stream gets its
 * own pacer (own bucket, own timers), so many concurrent streams each get the full rate.
 */
import { Transform } from 'node:stream';

/** The clock a pacer waits on; tests pass a virtual one. */
export interface PaceClock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Options of {@link createPacer}. */
export interface PacerOptions {
  /** The stream's rate in bytes per second (MB = 10^6 bytes). */
  bytesPerSecond: number;
  /**
   * Bucket capacity in bytes: what an idle stream may send at once, and how far a stream may
   * catch up after a late timer. Default: 10 ms of traffic, at least 64 KiB (on a loaded machine
   * timers fire late; a smaller bucket would then lower the rate below the one asked for).
   */
  burstBytes?: number;
  /** Default: performance.now and setTimeout. */
  clock?: PaceClock;
  /** Called with each piece's size as it is released. Default: none. */
  onBytes?: (n: number) => void;
}

// Pieces a chunk is cut into, so one large chunk is spread over time instead of released at once.
const SLICE = 64 * 1024;

const realClock: PaceClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The default bucket capacity for a rate (see PacerOptions.burstBytes). */
export function defaultBurst(bytesPerSecond: number): number {
  return Math.max(64 * 1024, Math.round(bytesPerSecond / 100));
}

/**
 * Creates a pacing Transform (a token bucket). The bucket is kept as a virtual clock, `drained`:
 * the time at which every byte let through so far has been "on the wire". A piece of n bytes
 * moves `drained` on by n / rate and is released once `drained` is reached; an idle stream's
 * `drained` lags `now` by at most one bucket. The next chunk is asked for only after the current
 * one is released, so backpressure reaches the sender and nothing is buffered beyond a chunk.
 */
export function createPacer(options: PacerOptions): Transform {
  const perMs = options.bytesPerSecond / 1000;
  if (!(perMs > 0)) throw new RangeError('bytesPerSecond must be positive');
  const burstMs = (options.burstBytes ?? defaultBurst(options.bytesPerSecond)) / perMs;
  const clock = options.clock ?? realClock;
  let drained = Number.NEGATIVE_INFINITY;
  const release = async (stream: Transform, chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length; offset += SLICE) {
      const piece = chunk.subarray(offset, offset + SLICE);
      drained = Math.max(drained, clock.now() - burstMs) + piece.length / perMs;
      const wait = drained - clock.now();
      if (wait > 0) await clock.sleep(wait);
      options.onBytes?.(piece.length);
      stream.push(piece);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      release(this, chunk).then(() => done(), done);
    },
  });
}
