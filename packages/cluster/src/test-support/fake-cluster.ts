// A fake Kafka cluster for unit tests: one node:net server per broker, speaking real frames through
// @kafkite/protocol (decodeRequest/encodeResponse). It answers ApiVersions, Metadata, FindCoordinator and
// CreateTopics from a small mutable model of the cluster; a test changes the model (move a leader, bump
// an epoch), overrides any answer per node, delays or swallows answers, and stops or restarts brokers on
// their ports. Requests and accepted connections are counted per node.
import { createServer, type Server, type Socket } from 'node:net'
import {
  type ApiSchema,
  ApiVersions,
  allApis,
  apiByKey,
  CreateTopics,
  createMessage,
  decodeRequest,
  ErrorCode,
  encodeResponse,
  FindCoordinator,
  Metadata,
  type Uuid,
  uuidFromBytes,
  ZERO_UUID,
} from '@kafkite/protocol'
import { FrameDecoder } from '@kafkite/transport'

export interface FakePartition {
  readonly partition: number
  leaderId: number
  leaderEpoch: number
  replicas?: number[]
  errorCode?: number
}

export interface FakeTopic {
  readonly name: string
  topicId: Uuid
  partitions: FakePartition[]
  errorCode?: number
}

/** One request as a fake broker received it. */
export interface FakeRequest {
  readonly nodeId: number
  readonly api: ApiSchema
  readonly version: number
  readonly correlationId: number
  readonly clientId: string | null
  readonly body: unknown
  readonly socket: Socket
  readonly receivedAt: number
}

/**
 * What a handler decides: `undefined` → the default answer; `null` → no answer at all (a silent broker);
 * `'close'` → drop the connection; an object → that body. A promise delays the answer, and, as on a real
 * broker, every later request on the same connection waits behind it.
 */
export type FakeReply = object | null | undefined | 'close'

export type FakeHandler = (request: FakeRequest, cluster: FakeCluster) => FakeReply | Promise<FakeReply>

export interface FakeClusterOptions {
  readonly nodes?: number
  /** Node ids, default 1..n. */
  readonly nodeIds?: readonly number[]
  readonly clusterId?: string
  /** Advertise versions up to these per API key (e.g. `{ [FindCoordinator.api.apiKey]: 3 }`). */
  readonly maxVersions?: Readonly<Record<number, number>>
}

export class FakeNode {
  readonly nodeId: number
  port = 0
  /** Connections accepted so far. */
  connections = 0
  readonly requests: FakeRequest[] = []
  readonly sockets = new Set<Socket>()
  handler: FakeHandler | undefined
  #server: Server | undefined
  readonly #cluster: FakeCluster

  constructor(nodeId: number, cluster: FakeCluster) {
    this.nodeId = nodeId
    this.#cluster = cluster
  }

  get running(): boolean {
    return this.#server !== undefined
  }

  /** Requests other than ApiVersions, optionally of one API. */
  appRequests(api?: ApiSchema): FakeRequest[] {
    return this.requests.filter(
      (request) =>
        request.api.apiKey !== ApiVersions.api.apiKey &&
        (api === undefined || request.api.apiKey === api.apiKey),
    )
  }

  async listen(): Promise<void> {
    const server = createServer((socket) => this.#accept(socket))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.port, '127.0.0.1', () => resolve())
    })
    const address = server.address()
    if (address === null || typeof address === 'string') throw new Error('not listening')
    this.port = address.port
    this.#server = server
  }

  /** Stops listening and drops every connection: the broker is down (connects are refused). */
  async stop(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** Drops every open connection but keeps listening. */
  dropConnections(): void {
    for (const socket of this.sockets) socket.destroy()
    this.sockets.clear()
  }

  #accept(socket: Socket): void {
    this.connections += 1
    this.sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => this.sockets.delete(socket))
    const decoder = new FrameDecoder(64 * 1024 * 1024)
    // Kafka answers the requests of one connection in order: a delayed answer holds back the later ones.
    let queue: Promise<void> = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, (frame) => {
          const request = this.#decode(Buffer.from(frame), socket)
          this.requests.push(request)
          queue = queue.then(() => this.#answer(request))
        })
      } catch {
        socket.destroy()
      }
    })
  }

  #decode(frame: Buffer, socket: Socket): FakeRequest {
    const apiKey = frame.readInt16BE(0)
    const api = apiByKey.get(apiKey)
    if (api === undefined) throw new Error(`unknown api key ${apiKey}`)
    const { header, body } = decodeRequest(api, frame)
    return {
      nodeId: this.nodeId,
      api,
      version: header.requestApiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      body,
      socket,
      receivedAt: performance.now(),
    }
  }

  async #answer(request: FakeRequest): Promise<void> {
    let reply: FakeReply
    try {
      reply = await (this.handler?.(request, this.#cluster) ??
        this.#cluster.handler?.(request, this.#cluster))
      if (reply === undefined) reply = this.#cluster.defaultReply(request)
    } catch {
      request.socket.destroy()
      return
    }
    if (reply === null || request.socket.destroyed) return
    if (reply === 'close') {
      request.socket.destroy()
      return
    }
    try {
      const body = createMessage(request.api.response, reply as Record<string, unknown>)
      request.socket.write(encodeResponse(request.api, request.version, request.correlationId, body))
    } catch (error) {
      // A test's reply that cannot be encoded is a bug in the test: say so, and leave the client waiting
      // for nothing rather than sending garbage.
      console.error('fake broker cannot encode its reply', error)
      request.socket.destroy()
    }
  }
}

export class FakeCluster {
  readonly nodes: FakeNode[]
  readonly topics = new Map<string, FakeTopic>()
  /** Coordinator node per `keyType:key`; unknown keys go to `defaultCoordinator`. */
  readonly coordinators = new Map<string, number>()
  defaultCoordinator: number
  controllerId: number
  clusterId: string
  /** Leave stopped nodes out of Metadata answers (as KRaft does once their session expires). */
  hideStoppedBrokers = false
  /** Applies to every node without a handler of its own. */
  handler: FakeHandler | undefined
  readonly #maxVersions: Readonly<Record<number, number>>
  #nextTopicId = 1

  private constructor(options: FakeClusterOptions) {
    const ids = options.nodeIds ?? Array.from({ length: options.nodes ?? 1 }, (_, index) => index + 1)
    this.nodes = ids.map((nodeId) => new FakeNode(nodeId, this))
    this.controllerId = ids[0] ?? -1
    this.defaultCoordinator = ids[0] ?? -1
    this.clusterId = options.clusterId ?? 'fake-cluster'
    this.#maxVersions = options.maxVersions ?? {}
  }

  static async start(options: FakeClusterOptions = {}): Promise<FakeCluster> {
    const cluster = new FakeCluster(options)
    for (const node of cluster.nodes) await node.listen()
    return cluster
  }

  node(nodeId: number): FakeNode {
    const node = this.nodes.find((candidate) => candidate.nodeId === nodeId)
    if (node === undefined) throw new Error(`no node ${nodeId}`)
    return node
  }

  /** `127.0.0.1:port` of each node, in order, for `bootstrapServers`. */
  get bootstrap(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',')
  }

  /** Every request of every node (without ApiVersions), optionally of one API. */
  appRequests(api?: ApiSchema): FakeRequest[] {
    return this.nodes.flatMap((node) => node.appRequests(api))
  }

  /** Accepted connections over all nodes. */
  get connections(): number {
    return this.nodes.reduce((sum, node) => sum + node.connections, 0)
  }

  /** Adds a topic whose partitions are led round-robin by the nodes, at epoch 0. */
  addTopic(name: string, partitions = 1): FakeTopic {
    const topic: FakeTopic = {
      name,
      topicId: fakeTopicId(this.#nextTopicId++),
      partitions: Array.from({ length: partitions }, (_, partition) => ({
        partition,
        leaderId: (this.nodes[partition % this.nodes.length] as FakeNode).nodeId,
        leaderEpoch: 0,
      })),
    }
    this.topics.set(name, topic)
    return topic
  }

  /** Moves a partition's leadership to `nodeId` and bumps its epoch. */
  moveLeader(topic: string, partition: number, nodeId: number): void {
    const entry = this.topics.get(topic)?.partitions.find((candidate) => candidate.partition === partition)
    if (entry === undefined) throw new Error(`no ${topic}-${partition}`)
    entry.leaderId = nodeId
    entry.leaderEpoch += 1
  }

  metadataResponse(request: Metadata.Request): Metadata.Response {
    const running = this.nodes.filter((node) => node.running || !this.hideStoppedBrokers)
    const names =
      request.topics === null ? [...this.topics.keys()] : request.topics.map((topic) => topic.name)
    return Metadata.createResponse({
      clusterId: this.clusterId,
      controllerId: this.controllerId,
      brokers: running.map((node) => ({
        nodeId: node.nodeId,
        host: '127.0.0.1',
        port: node.port,
        rack: null,
      })),
      topics: names.map((name) => {
        const topic = name === null ? undefined : this.topics.get(name)
        if (topic === undefined) {
          return { name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, topicId: ZERO_UUID, partitions: [] }
        }
        return {
          name,
          errorCode: topic.errorCode ?? 0,
          topicId: topic.topicId,
          partitions: topic.partitions.map((partition) => ({
            errorCode: partition.errorCode ?? 0,
            partitionIndex: partition.partition,
            leaderId: partition.leaderId,
            leaderEpoch: partition.leaderEpoch,
            replicaNodes: partition.replicas ?? [partition.leaderId],
            isrNodes: partition.replicas ?? [partition.leaderId],
          })),
        }
      }),
    })
  }

  /** The answer a healthy broker would give. */
  defaultReply(request: FakeRequest): object {
    switch (request.api.apiKey) {
      case ApiVersions.api.apiKey:
        return ApiVersions.createResponse({ errorCode: 0, apiKeys: this.#versionRanges() })
      case Metadata.api.apiKey:
        return this.metadataResponse(request.body as Metadata.Request)
      case FindCoordinator.api.apiKey:
        return this.#findCoordinator(request.body as FindCoordinator.Request)
      case CreateTopics.api.apiKey: {
        const body = request.body as CreateTopics.Request
        return CreateTopics.createResponse({
          topics: body.topics.map((topic) => {
            if (this.topics.has(topic.name)) {
              return { name: topic.name, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS }
            }
            this.addTopic(topic.name, Math.max(1, topic.numPartitions))
            return { name: topic.name, errorCode: 0 }
          }),
        })
      }
      default:
        return {}
    }
  }

  #findCoordinator(request: FindCoordinator.Request): FindCoordinator.Response {
    const locate = (key: string): { nodeId: number; host: string; port: number } => {
      const nodeId = this.coordinators.get(`${request.keyType}:${key}`) ?? this.defaultCoordinator
      const node = this.nodes.find((candidate) => candidate.nodeId === nodeId)
      return { nodeId, host: '127.0.0.1', port: node?.port ?? 0 }
    }
    if (request.coordinatorKeys.length > 0) {
      return FindCoordinator.createResponse({
        coordinators: request.coordinatorKeys.map((key) => ({ key, errorCode: 0, ...locate(key) })),
      })
    }
    return FindCoordinator.createResponse({ errorCode: 0, ...locate(request.key) })
  }

  #versionRanges(): ApiVersions.ApiVersion[] {
    return allApis.map((api) => ({
      apiKey: api.apiKey,
      minVersion: api.request.validVersions[0],
      maxVersion: Math.min(
        api.request.validVersions[1],
        this.#maxVersions[api.apiKey] ?? Number.MAX_SAFE_INTEGER,
      ),
    }))
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()))
  }
}

/** A small distinct topic id per topic. */
function fakeTopicId(n: number): Uuid {
  const bytes = new Uint8Array(16)
  bytes[15] = n & 0xff
  bytes[14] = (n >> 8) & 0xff
  return uuidFromBytes(bytes)
}

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
