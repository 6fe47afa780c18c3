/** Exponential backoff bounds. */
export interface BackoffPolicy {
  /** The pause after the first failure. */
  readonly initialMs: number
  /** The pause never grows past this. */
  readonly maxMs: number
  /** Relative spread around the pause, 0.2 = ±20% (Kafka's Java client uses 0.2). */
  readonly jitter?: number
}

/**
 * The pause after `failures` consecutive failures (1 = the first): `initialMs · 2^(failures-1)`, capped at
 * `maxMs`, spread by ±jitter. Without the spread, every client that lost the same broker at the same
 * moment would come back at the same moments too, and hit it in waves (a reconnect storm); with it they
 * drift apart after a few rounds. `random` is injectable for tests.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  failures: number,
  random: () => number = Math.random,
): number {
  if (failures <= 0 || policy.initialMs <= 0) return 0
  const exponent = Math.min(failures - 1, 30)
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** exponent)
  const jitter = policy.jitter ?? 0.2
  const spread = base * jitter * (2 * random() - 1)
  return Math.max(0, Math.min(policy.maxMs * (1 + jitter), base + spread))
}
