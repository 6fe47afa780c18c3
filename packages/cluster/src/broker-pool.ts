import { IllegalStateError } from '@kafkite/protocol'
import type { BrokerConnection } from '@kafkite/transport'
import type { BrokerAddress } from './broker-address.js'
import { formatAddress } from './broker-address.js'
import { ConnectionSlot, type ConnectionSlotContext } from './connection-slot.js'
import { BrokerNotFoundError } from './errors.js'

/**
 * What a connection is for. Each lane is its own TCP connection per broker, because Kafka answers the
 * requests of one connection strictly in order: a Fetch that long-polls for `fetchMaxWaitMs` on the same
 * connection as a Produce or a Heartbeat would hold their answers back that long (and a late heartbeat
 * costs a rebalance). `'default'` serves metadata, produce and admin requests, `'fetch'` the fetcher,
 * `'group'` the group coordinator's heartbeats and commits. Any other name opens another lane.
 */
export type Lane = 'default' | 'fetch' | 'group' | (string & {})

/**
 * Every connection of one client, by broker and lane. Slots are made on first use and dropped when the
 * metadata no longer lists their broker.
 */
export class BrokerPool {
  readonly #context: ConnectionSlotContext
  readonly #addressOf: (nodeId: number) => BrokerAddress | undefined
  readonly #slots = new Map<string, ConnectionSlot>()
  /** Bootstrap addresses by `host:port`: brokers whose id is not known yet. */
  readonly #bootstrapSlots = new Map<string, ConnectionSlot>()
  #closed = false

  constructor(context: ConnectionSlotContext, addressOf: (nodeId: number) => BrokerAddress | undefined) {
    this.#context = context
    this.#addressOf = addressOf
  }

  /** The slot of `nodeId` and `lane`, made on first use. */
  slot(nodeId: number, lane: Lane): ConnectionSlot {
    this.#assertOpen()
    const key = `${nodeId}/${lane}`
    let slot = this.#slots.get(key)
    if (slot === undefined) {
      slot = new ConnectionSlot(nodeId, lane, () => this.#addressOf(nodeId), this.#context)
      this.#slots.set(key, slot)
    }
    return slot
  }

  /** The slot of a bootstrap address (id -1): it gets the same backoff as a known broker. */
  bootstrapSlot(address: BrokerAddress): ConnectionSlot {
    this.#assertOpen()
    const key = formatAddress(address)
    let slot = this.#bootstrapSlots.get(key)
    if (slot === undefined) {
      slot = new ConnectionSlot(-1, 'bootstrap', () => address, this.#context)
      this.#bootstrapSlots.set(key, slot)
    }
    return slot
  }

  /** A ready connection to `nodeId` for `lane`. */
  connection(nodeId: number, lane: Lane): Promise<BrokerConnection> {
    return this.slot(nodeId, lane).acquire()
  }

  /**
   * `nodeIds` in the order to try an any-broker request: ready connections, least busy first; then brokers
   * that may be connected to now (no backoff pending), from a random start so that clients do not all pick
   * the same broker; then the rest, the one whose backoff ends first leading.
   */
  rank(nodeIds: readonly number[], lane: Lane = 'default'): number[] {
    const now = performance.now()
    const offset = nodeIds.length === 0 ? 0 : Math.floor(Math.random() * nodeIds.length)
    const ranked = nodeIds.map((nodeId, index) => {
      const slot = this.#slots.get(`${nodeId}/${lane}`)
      const rotated = (index - offset + nodeIds.length) % nodeIds.length
      if (slot?.ready !== undefined) return { nodeId, group: 0, order: slot.load }
      const nextAttemptAt = slot === undefined || slot.failures === 0 ? 0 : slot.nextAttemptAt
      if (nextAttemptAt <= now) return { nodeId, group: 1, order: rotated }
      return { nodeId, group: 2, order: nextAttemptAt }
    })
    ranked.sort((left, right) => left.group - right.group || left.order - right.order)
    return ranked.map((entry) => entry.nodeId)
  }

  /** Ready connections by broker, for diagnostics and tests. */
  openConnections(): { nodeId: number; lane: string }[] {
    const open: { nodeId: number; lane: string }[] = []
    for (const slot of this.#slots.values()) {
      if (slot.ready !== undefined) open.push({ nodeId: slot.nodeId, lane: slot.lane })
    }
    return open
  }

  /** Closes the slots of brokers that left the cluster. */
  retain(nodeIds: ReadonlySet<number>): void {
    for (const [key, slot] of this.#slots) {
      if (nodeIds.has(slot.nodeId)) continue
      this.#slots.delete(key)
      void slot.close(new BrokerNotFoundError({ message: `Broker ${slot.nodeId} left the cluster metadata` }))
    }
  }

  /** Closes every connection; pending requests reject and pending connects settle. */
  async close(): Promise<void> {
    this.#closed = true
    const slots = [...this.#slots.values(), ...this.#bootstrapSlots.values()]
    this.#slots.clear()
    this.#bootstrapSlots.clear()
    await Promise.all(slots.map((slot) => slot.close()))
  }

  #assertOpen(): void {
    if (this.#closed) throw new IllegalStateError({ message: 'The client is closed' })
  }
}
