import { ProtocolError } from '@kafkite/protocol'

/** Frames larger than this are refused: a wrong length (e.g. TLS bytes read as plaintext) must not allocate. */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024

/**
 * Splits a byte stream into Kafka frames (int32 size, then that many bytes). Chunks are kept as they come
 * and joined only when a frame spans several of them.
 */
export class FrameSplitter {
  #chunks: Buffer[] = []
  #buffered = 0

  /** Adds bytes from the socket and returns every frame now complete, without its size prefix. */
  push(chunk: Buffer): Buffer[] {
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    const frames: Buffer[] = []
    while (this.#buffered >= 4) {
      const head = this.#chunks.length === 1 ? this.#chunks[0]! : this.#join()
      const size = head.readInt32BE(0)
      if (size < 0 || size > MAX_FRAME_BYTES) {
        throw new ProtocolError({ message: `Frame size ${size} is out of bounds` })
      }
      if (this.#buffered < size + 4) break
      const whole = this.#join()
      frames.push(whole.subarray(4, 4 + size))
      const rest = whole.subarray(4 + size)
      this.#chunks = rest.length > 0 ? [rest] : []
      this.#buffered = rest.length
    }
    return frames
  }

  #join(): Buffer {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)]
    return this.#chunks[0]!
  }
}
