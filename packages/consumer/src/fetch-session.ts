import { ErrorCode } from '@kafkite/protocol'
import { type TopicPartition, TopicPartitionMap } from './topic-partition.js'

/** What a fetch asks of one partition; a session resends a partition only when this changed. */
export interface SessionPartition {
  readonly fetchOffset: bigint
  readonly maxBytes: number
  readonly currentLeaderEpoch: number
}

/** The session fields and partitions of the next Fetch request to one broker. */
export interface FetchSessionRequest {
  readonly sessionId: number
  readonly sessionEpoch: number
  /** Partitions to put in the request: all of them for a full fetch, the new or changed ones otherwise. */
  readonly send: ReadonlyArray<readonly [TopicPartition, SessionPartition]>
  /** Partitions the broker's session holds and this fetch no longer wants. */
  readonly forget: readonly TopicPartition[]
  /** Every partition the fetch covers (sent or held by the session), to match the response against. */
  readonly partitions: TopicPartitionMap<SessionPartition>
  /** Whether every partition is in the request. */
  readonly full: boolean
}

/** Session id 0 with this epoch asks the broker to create a session (KIP-227). */
const CREATE_EPOCH = 0
/** Session id 0 with this epoch is a sessionless full fetch. */
const SESSIONLESS_EPOCH = -1

/**
 * The client side of one broker's incremental fetch session (KIP-227, Java's FetchSessionHandler).
 * The first fetch is full and asks for a session; once the broker gives one, each fetch sends only the
 * partitions that are new or whose fetch offset, size limit or leader epoch changed, and lists as
 * forgotten those no longer wanted, so an idle consumer of many partitions sends and receives almost
 * nothing. Any failure, a FETCH_SESSION_ID_NOT_FOUND or an INVALID_FETCH_SESSION_EPOCH starts over with a
 * full fetch. One fetch per broker may be in flight: epochs are sequential.
 */
export class FetchSession {
  readonly #enabled: boolean
  #id = 0
  #epoch: number
  /** What the broker's session holds after the last successful fetch. */
  #held = new TopicPartitionMap<SessionPartition>()
  #pending: FetchSessionRequest | undefined

  constructor(enabled = true) {
    this.#enabled = enabled
    this.#epoch = enabled ? CREATE_EPOCH : SESSIONLESS_EPOCH
  }

  get sessionId(): number {
    return this.#id
  }

  get epoch(): number {
    return this.#epoch
  }

  /** The next request for the partitions wanted now. */
  build(wanted: TopicPartitionMap<SessionPartition>): FetchSessionRequest {
    let request: FetchSessionRequest
    if (this.#id === 0) {
      request = {
        sessionId: 0,
        sessionEpoch: this.#epoch,
        send: Array.from(wanted),
        forget: [],
        partitions: wanted,
        full: true,
      }
    } else {
      const send: Array<[TopicPartition, SessionPartition]> = []
      for (const [tp, next] of wanted) {
        const held = this.#held.get(tp)
        if (
          held === undefined ||
          held.fetchOffset !== next.fetchOffset ||
          held.maxBytes !== next.maxBytes ||
          held.currentLeaderEpoch !== next.currentLeaderEpoch
        ) {
          send.push([tp, next])
        }
      }
      const forget = this.#held.keyArray().filter((tp) => !wanted.has(tp))
      request = {
        sessionId: this.#id,
        sessionEpoch: this.#epoch,
        send,
        forget,
        partitions: wanted,
        full: false,
      }
    }
    this.#pending = request
    return request
  }

  /**
   * Takes the response's top-level error code and session id. Returns false when the response carries
   * no partition data to use (a session error), after starting over.
   */
  onResponse(errorCode: number, sessionId: number): boolean {
    const request = this.#pending
    this.#pending = undefined
    if (errorCode !== ErrorCode.NONE || request === undefined) {
      this.reset()
      return false
    }
    if (!this.#enabled) return true
    if (request.full) {
      this.#id = sessionId
      this.#epoch = sessionId === 0 ? CREATE_EPOCH : 1
    } else if (sessionId !== this.#id) {
      // The broker closed the session: what it held is gone, so the next fetch must be full.
      this.reset()
      return true
    } else {
      this.#epoch = this.#epoch >= 0x7fffffff ? 1 : this.#epoch + 1
    }
    this.#held = new TopicPartitionMap(request.partitions)
    return true
  }

  /** The request failed or its answer was refused: the next fetch is full and creates a new session. */
  reset(): void {
    this.#pending = undefined
    this.#id = 0
    this.#epoch = this.#enabled ? CREATE_EPOCH : SESSIONLESS_EPOCH
    this.#held = new TopicPartitionMap()
  }
}
