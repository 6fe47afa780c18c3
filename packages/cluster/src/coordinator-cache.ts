import { CoordinatorNotAvailableError, type KafkaError } from '@kafkite/protocol'
import type { BrokerAddress } from './broker-address.js'

/** Which coordinator: a consumer group's, a transactional id's, or a share group's. */
export type CoordinatorKind = 'group' | 'txn' | 'share'

/** FindCoordinator's `keyType` per kind. */
export const COORDINATOR_KEY_TYPES: Readonly<Record<CoordinatorKind, number>> = {
  group: 0,
  txn: 1,
  share: 2,
}

/** A coordinator as FindCoordinator names it. */
export interface CoordinatorNode extends BrokerAddress {
  readonly nodeId: number
}

/** The answer for one key: its coordinator, or the typed error FindCoordinator gave for it. */
export type CoordinatorAnswer = CoordinatorNode | KafkaError

/** Asks FindCoordinator about `keys` of one kind (one request on v4+, one per key before). */
export type FindCoordinators = (
  kind: CoordinatorKind,
  keys: readonly string[],
) => Promise<ReadonlyMap<string, CoordinatorAnswer>>

interface Waiter {
  resolve(node: CoordinatorNode): void
  reject(error: unknown): void
}

/**
 * Coordinators by kind and key. A lookup is cached until `invalidate()` (after NOT_COORDINATOR,
 * COORDINATOR_NOT_AVAILABLE or a connection failure to the coordinator). Concurrent lookups of one key share
 * one request, and the keys of one kind asked within the same tick go out together: a consumer that
 * commits for many groups, or an admin call describing many, costs one FindCoordinator v4+.
 */
export class CoordinatorCache {
  readonly #find: FindCoordinators
  readonly #cached = new Map<string, CoordinatorNode>()
  readonly #waiting = new Map<string, Waiter[]>()
  readonly #batches = new Map<CoordinatorKind, Set<string>>()

  constructor(find: FindCoordinators) {
    this.#find = find
  }

  /** The cached coordinator, if any. */
  cached(kind: CoordinatorKind, key: string): CoordinatorNode | undefined {
    return this.#cached.get(cacheKey(kind, key))
  }

  lookup(kind: CoordinatorKind, key: string): Promise<CoordinatorNode> {
    const id = cacheKey(kind, key)
    const cached = this.#cached.get(id)
    if (cached !== undefined) return Promise.resolve(cached)
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(id)
      if (waiters !== undefined) {
        waiters.push({ resolve, reject })
        return
      }
      this.#waiting.set(id, [{ resolve, reject }])
      let batch = this.#batches.get(kind)
      if (batch === undefined) {
        batch = new Set()
        this.#batches.set(kind, batch)
        // Lookups made in the same tick (a loop over groups, Promise.all) join this batch.
        queueMicrotask(() => this.#flush(kind))
      }
      batch.add(key)
    })
  }

  /**
   * Forgets the coordinator of `key`. With `nodeId`, only if it is still the cached one: a late failure
   * from the old coordinator must not drop a newer answer.
   */
  invalidate(kind: CoordinatorKind, key: string, nodeId?: number): void {
    const id = cacheKey(kind, key)
    const cached = this.#cached.get(id)
    if (cached !== undefined && (nodeId === undefined || cached.nodeId === nodeId)) this.#cached.delete(id)
  }

  /** Forgets every coordinator on `nodeId` (the broker is gone or unreachable). */
  invalidateNode(nodeId: number): void {
    for (const [id, node] of this.#cached) if (node.nodeId === nodeId) this.#cached.delete(id)
  }

  /** Rejects every pending lookup (the client is closing). */
  rejectAll(error: unknown): void {
    const waiting = [...this.#waiting.values()]
    this.#waiting.clear()
    for (const waiters of waiting) for (const waiter of waiters) waiter.reject(error)
  }

  #flush(kind: CoordinatorKind): void {
    const batch = this.#batches.get(kind)
    this.#batches.delete(kind)
    if (batch === undefined) return
    const keys = [...batch]
    this.#find(kind, keys).then(
      (answers) => {
        for (const key of keys) {
          const answer = answers.get(key)
          const id = cacheKey(kind, key)
          if (answer === undefined) {
            this.#settle(
              id,
              undefined,
              new CoordinatorNotAvailableError({
                message: `FindCoordinator did not answer for ${kind} ${key}`,
              }),
            )
          } else if ('nodeId' in answer && !(answer instanceof Error)) {
            this.#cached.set(id, answer)
            this.#settle(id, answer, undefined)
          } else {
            this.#settle(id, undefined, answer)
          }
        }
      },
      (error: unknown) => {
        for (const key of keys) this.#settle(cacheKey(kind, key), undefined, error)
      },
    )
  }

  #settle(id: string, node: CoordinatorNode | undefined, error: unknown): void {
    const waiters = this.#waiting.get(id)
    this.#waiting.delete(id)
    if (waiters === undefined) return
    for (const waiter of waiters) {
      if (node !== undefined) waiter.resolve(node)
      else waiter.reject(error)
    }
  }
}

function cacheKey(kind: CoordinatorKind, key: string): string {
  return `${kind}\u0000${key}`
}
