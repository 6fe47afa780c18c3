import { UnsupportedCodecError } from '@kafkite/protocol'
import { type CompressionName, type CompressionType, compressionName } from '../batch/attributes.js'
import type { CompressionCodec } from './compression-codec.js'
import { gzipCodec } from './gzip-codec.js'
import { lz4Codec } from './lz4-codec.js'
import { snappyCodec } from './snappy-codec.js'
import { zstdCodec } from './zstd-codec.js'

/**
 * Maps compression ids to codecs. `defaultCodecs` holds the four built-ins; a registry of your own can
 * replace one (e.g. a different zstd binding) without touching the batch code.
 */
export class CodecRegistry {
  readonly #codecs: (CompressionCodec | undefined)[] = []

  constructor(codecs: readonly CompressionCodec[] = []) {
    for (const codec of codecs) this.register(codec)
  }

  /** Adds or replaces the codec for `codec.type`. */
  register(codec: CompressionCodec): this {
    this.#codecs[codec.type] = codec
    return this
  }

  /** The codec for a type id or name; throws `UnsupportedCodecError` when none is registered. */
  get(type: CompressionType | CompressionName | number): CompressionCodec {
    const id = typeof type === 'string' ? nameToId(type) : type
    const codec = this.#codecs[id]
    if (codec === undefined) {
      throw new UnsupportedCodecError({
        message: `No codec registered for compression ${compressionName(id)}`,
      })
    }
    return codec
  }

  /** Whether a codec is registered for the id. */
  has(type: number): boolean {
    return this.#codecs[type] !== undefined
  }
}

function nameToId(name: CompressionName): number {
  const ids: Record<CompressionName, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 }
  return ids[name] ?? -1
}

/** The registry used when no `codecs` option is given: gzip, snappy, lz4 and zstd. */
export const defaultCodecs: CodecRegistry = new CodecRegistry([gzipCodec, snappyCodec, lz4Codec, zstdCodec])
