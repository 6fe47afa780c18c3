import { FrameSizeError } from './errors.js'

/** The default cap on a response frame: franz-go's BrokerMaxReadBytes and librdkafka's receive.message.max.bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 100 * 1024 * 1024

/** A response frame must at least hold its correlation id. */
const MIN_FRAME_BYTES = 4

/**
 * Cuts a byte stream into Kafka frames (int32 size, then that many bytes) and hands each one, without its
 * size prefix, to a callback.
 *
 * Copies only when it must: a frame that lies inside one socket chunk is passed on as a view of that chunk
 * (Node gives every read its own buffer, so the view stays valid); a frame spread over several chunks is
 * joined once when its last byte arrives. Chunks of an incomplete frame are kept as they come rather than
 * copied into a buffer of the announced size, so memory grows with the bytes received, not with what a peer
 * claims it will send.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number
  /** Up to four bytes of a size prefix split across chunks. */
  readonly #head = Buffer.alloc(4)
  #headFilled = 0
  /** The size of the frame being collected, or -1 between frames. */
  #size = -1
  #parts: Buffer[] = []
  #partsBytes = 0

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.#maxFrameBytes = maxFrameBytes
  }

  /** Bytes held for an incomplete frame (for tests of bounded memory). */
  get bufferedBytes(): number {
    return this.#partsBytes + this.#headFilled
  }

  /**
   * Consumes one chunk. Throws `FrameSizeError` on an impossible size, before allocating anything. The
   * callback may throw; the decoder is then in an undefined state and must be dropped with its socket.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    let offset = 0
    while (offset < chunk.length) {
      if (this.#size >= 0) {
        // Collecting a frame that started in an earlier chunk.
        const needed = this.#size - this.#partsBytes
        const available = chunk.length - offset
        if (available < needed) {
          this.#parts.push(offset === 0 ? chunk : chunk.subarray(offset))
          this.#partsBytes += available
          return
        }
        this.#parts.push(chunk.subarray(offset, offset + needed))
        offset += needed
        const frame = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#size)
        this.#parts = []
        this.#partsBytes = 0
        this.#size = -1
        onFrame(frame)
        continue
      }
      let size: number
      if (this.#headFilled === 0 && chunk.length - offset >= 4) {
        size = chunk.readInt32BE(offset)
        offset += 4
      } else {
        const take = Math.min(4 - this.#headFilled, chunk.length - offset)
        chunk.copy(this.#head, this.#headFilled, offset, offset + take)
        this.#headFilled += take
        offset += take
        if (this.#headFilled < 4) return
        this.#headFilled = 0
        size = this.#head.readInt32BE(0)
      }
      this.#checkSize(size)
      if (chunk.length - offset >= size) {
        // The common case: the whole frame is in this chunk, so pass a view and copy nothing.
        onFrame(chunk.subarray(offset, offset + size))
        offset += size
      } else {
        this.#size = size
      }
    }
  }

  #checkSize(size: number): void {
    if (size >= MIN_FRAME_BYTES && size <= this.#maxFrameBytes) return
    throw new FrameSizeError({ size, message: describeBadSize(size, this.#maxFrameBytes) })
  }
}

function describeBadSize(size: number, max: number): string {
  const hex = `0x${(size >>> 0).toString(16).padStart(8, '0')}`
  const base = `Response frame size ${size} (${hex}) is outside 4..${max} bytes`
  // A TLS record starts with a content type 20-23 and version major 3: as an int32 that is 0x1403.... to
  // 0x1703..... Saying so turns an obscure size error into the actual mistake.
  const first = size >>> 24
  const second = (size >>> 16) & 0xff
  if (first >= 0x14 && first <= 0x17 && second === 0x03) {
    return `${base}: the bytes look like a TLS record, so this is probably a TLS listener reached without TLS`
  }
  return base
}
