import {
  ConsumerProtocolAssignment,
  ConsumerProtocolSubscription,
  decodeMessage,
  encodeMessage,
} from '@kafkite/protocol'
import type { TopicPartition } from './topic-partition.js'

/** A member's subscription as its consumer sent it in JoinGroup (the ConsumerProtocol). */
export interface MemberSubscription {
  readonly topics: readonly string[]
  readonly ownedPartitions: readonly TopicPartition[]
  readonly userData: Uint8Array | null
  /** -1 when the member's version does not say. */
  readonly generationId: number
  readonly rackId: string | null
}

/** A member's assignment as the group leader gave it in SyncGroup (the ConsumerProtocol). */
export interface MemberAssignment {
  readonly partitions: readonly TopicPartition[]
  readonly userData: Uint8Array | null
}

// ConsumerProtocol data is an int16 version followed by the message. Kafka promises that newer versions
// only add fields at the end, so bytes of a version above ours decode with our newest schema, and the
// fields we do not know are left over.

function split(bytes: Uint8Array): { version: number; body: Uint8Array } | null {
  if (bytes.length < 2) return null
  const version = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readInt16BE(0)
  return version < 0 ? null : { version, body: bytes.subarray(2) }
}

function flatten(entries: ReadonlyArray<{ topic: string; partitions: number[] }>): TopicPartition[] {
  return entries.flatMap(({ topic, partitions }) => partitions.map((partition) => ({ topic, partition })))
}

/** Decodes a member's JoinGroup metadata; null when it is empty or not the ConsumerProtocol. */
export function decodeSubscription(bytes: Uint8Array): MemberSubscription | null {
  const parts = split(bytes)
  if (parts === null) return null
  const [, max] = ConsumerProtocolSubscription.schema.validVersions
  try {
    const message = decodeMessage(
      ConsumerProtocolSubscription.schema,
      Math.min(parts.version, max),
      parts.body,
      {
        allowTrailingBytes: true,
      },
    )
    return {
      topics: message.topics,
      ownedPartitions: flatten(message.ownedPartitions),
      userData: message.userData,
      generationId: message.generationId,
      rackId: message.rackId,
    }
  } catch {
    // Another protocol type's bytes under a 'consumer' label: the raw bytes stay available to the caller.
    return null
  }
}

/** Decodes a member's SyncGroup assignment; null when it is empty (not assigned yet) or not decodable. */
export function decodeAssignment(bytes: Uint8Array): MemberAssignment | null {
  const parts = split(bytes)
  if (parts === null) return null
  const [, max] = ConsumerProtocolAssignment.schema.validVersions
  try {
    const message = decodeMessage(
      ConsumerProtocolAssignment.schema,
      Math.min(parts.version, max),
      parts.body,
      {
        allowTrailingBytes: true,
      },
    )
    return { partitions: flatten(message.assignedPartitions), userData: message.userData }
  } catch {
    return null
  }
}

function withVersion(version: number, body: Buffer): Buffer {
  const header = Buffer.alloc(2)
  header.writeInt16BE(version, 0)
  return Buffer.concat([header, body])
}

/** Encodes a subscription (version 3): for tests and tools that join a group by hand. */
export function encodeSubscription(topics: readonly string[], userData: Uint8Array | null = null): Buffer {
  return withVersion(
    3,
    encodeMessage(
      ConsumerProtocolSubscription.schema,
      3,
      ConsumerProtocolSubscription.create({ topics: [...topics], userData }),
    ),
  )
}

/** Encodes an assignment (version 3): for tests and tools that lead a group by hand. */
export function encodeAssignment(
  partitions: readonly TopicPartition[],
  userData: Uint8Array | null = null,
): Buffer {
  const topics = new Map<string, number[]>()
  for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition])
  return withVersion(
    3,
    encodeMessage(
      ConsumerProtocolAssignment.schema,
      3,
      ConsumerProtocolAssignment.create({
        assignedPartitions: [...topics].map(([topic, list]) => ({ topic, partitions: list })),
        userData,
      }),
    ),
  )
}
