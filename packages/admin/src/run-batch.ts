import { type AttemptContext, type ClusterClient, isRetriable } from '@kafkite/cluster'
import { BrokerResponseError, ErrorCode, KafkaError } from '@kafkite/protocol'
import { AdminResults, type Outcome } from './admin-results.js'

/** What every operation needs: the cluster and the client's request timeout. */
export interface AdminContext {
  readonly cluster: ClusterClient
  readonly requestTimeoutMs: number
}

/** Outcomes of one attempt, by the item's key (`keyOf`). */
export type Answers<V> = Map<string, Outcome<V>>

export interface BatchSpec<K, V> {
  /** The public call's name, for messages and `AdminResults.operation`. */
  readonly operation: string
  readonly items: readonly K[]
  readonly keyOf: (item: K) => string
  /** Budget for all attempts together. */
  readonly timeoutMs: number
  /** Which item errors are worth another attempt. Default: the cluster's `isRetriable`. */
  readonly retryItem?: (error: KafkaError) => boolean
  /** Sends the requests for `pending` and reports each item's outcome; throws when a request fails as a whole. */
  readonly attempt: (pending: readonly K[], context: AttemptContext) => Promise<Answers<V>>
}

/**
 * Runs a batch call with per-item retries: each attempt sends only the items still pending; items that
 * succeeded or failed for good are kept, items with a retriable error (NOT_CONTROLLER, a leader that moved,
 * a coordinator loading, a broker restarting) go again after the cluster's backoff, with a metadata refresh
 * when the error asks for one, until `timeoutMs` is spent. Then each item still pending keeps its last
 * error.
 *
 * Rejects only when nothing about any item could be learned (the cluster is unreachable, the client is
 * closed, the broker does not support the API): then the call as a whole failed and says so. Errors that
 * are not kafkite errors (a bug) are rethrown as they are.
 */
export async function runBatch<K, V>(
  context: AdminContext,
  spec: BatchSpec<K, V>,
): Promise<AdminResults<K, V>> {
  const { keyOf, operation } = spec
  const retryItem = spec.retryItem ?? isRetriable
  const settled = new Map<string, Outcome<V>>()
  const lastItemErrors = new Map<string, KafkaError>()
  let pending: readonly K[] = spec.items
  // The error an attempt throws to ask withRetries for another round, recognised even when `retryItem`
  // retries something the cluster's classifier would not.
  let retryMarker: KafkaError | undefined
  try {
    if (pending.length > 0) {
      await context.cluster.withRetries(
        async (attemptContext) => {
          retryMarker = undefined
          const answers = await spec.attempt(pending, attemptContext)
          const again: K[] = []
          for (const item of pending) {
            const key = keyOf(item)
            const outcome = answers.get(key) ?? { ok: false, error: missingAnswer(operation, key) }
            if (!outcome.ok && retryItem(outcome.error)) {
              again.push(item)
              lastItemErrors.set(key, outcome.error)
              retryMarker ??= outcome.error
            } else {
              settled.set(key, outcome)
            }
          }
          pending = again
          if (retryMarker !== undefined) throw retryMarker
        },
        {
          timeoutMs: spec.timeoutMs,
          isRetriable: (error) => error === retryMarker || isRetriable(error),
        },
      )
    }
  } catch (error) {
    if (!KafkaError.isInstance(error)) throw error
    if (settled.size === 0 && lastItemErrors.size === 0) throw error
    for (const item of pending) {
      const key = keyOf(item)
      if (!settled.has(key)) settled.set(key, { ok: false, error: lastItemErrors.get(key) ?? error })
    }
  }
  const results = new AdminResults<K, V>(operation, keyOf)
  for (const item of spec.items) {
    const key = keyOf(item)
    results.set(item, settled.get(key) ?? { ok: false, error: missingAnswer(operation, key) })
  }
  return results
}

/** A broker answer that leaves out an item it was asked about: not retried, since it would repeat. */
function missingAnswer(operation: string, key: string): KafkaError {
  return new KafkaError({ message: `${operation}: the broker's answer does not mention ${key}` })
}

/**
 * Sends one request per node for the items grouped under it, all at once, and merges the outcomes. A node
 * whose request fails as a whole (connection lost, timed out) fails only its own items, with that error,
 * which the batch retries when it is retriable.
 */
export async function fanOut<K, V>(
  groups: ReadonlyMap<number, readonly K[]>,
  keyOf: (item: K) => string,
  send: (nodeId: number, items: readonly K[]) => Promise<Answers<V>>,
): Promise<Answers<V>> {
  const answers: Answers<V> = new Map()
  await Promise.all(
    [...groups].map(async ([nodeId, items]) => {
      try {
        for (const [key, outcome] of await send(nodeId, items)) answers.set(key, outcome)
      } catch (error) {
        if (!KafkaError.isInstance(error)) throw error
        for (const item of items) answers.set(keyOf(item), { ok: false, error })
      }
    }),
  )
  return answers
}

/** Adds `item` to the list of `nodeId` in `groups`. */
export function addToGroup<K>(groups: Map<number, K[]>, nodeId: number, item: K): void {
  const list = groups.get(nodeId)
  if (list === undefined) groups.set(nodeId, [item])
  else list.push(item)
}

/** Turns a thrown lookup failure into the item's outcome; rethrows what is not a kafkite error. */
export function failed<V>(error: unknown): Outcome<V> {
  if (!KafkaError.isInstance(error)) throw error
  return { ok: false, error }
}

/** How long a request that makes the broker wait `brokerTimeoutMs` may take before the client gives up. */
export function requestTimeoutFor(context: AdminContext, brokerTimeoutMs: number): number {
  // The broker answers at its own timeout at the latest; a margin covers the way there and back.
  return Math.max(context.requestTimeoutMs, brokerTimeoutMs + 5000)
}

/**
 * The item retry rule of calls about topics that must exist already: UNKNOWN_TOPIC_OR_PARTITION is final
 * (Kafka marks it retriable because a producer may race a topic's creation; an admin describing, deleting or
 * configuring a topic that is not there only waits for nothing), everything else as `isRetriable` says.
 */
export function retriableUnlessUnknownTopic(error: KafkaError): boolean {
  return !hasCode(error, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) && isRetriable(error)
}

/** Whether `error` is the broker error with `code`. */
export function hasCode(error: unknown, code: number): boolean {
  return error instanceof BrokerResponseError && error.code === code
}
