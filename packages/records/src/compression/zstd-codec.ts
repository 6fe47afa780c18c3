import { CompressionType } from '../batch/attributes.js'
import { corrupt } from '../errors/corrupt.js'
import { DecompressionLimitError } from '../errors/decompression-limit-error.js'
import type { CompressionCodec } from './compression-codec.js'
import { lazyModule } from './load-optional.js'
import { zstdDecompressedBound } from './zstd-frame-bound.js'

/** The part of `@toondepauw/node-zstd` this codec uses. */
interface ZstdBinding {
  Encoder: new (level: number) => { encodeSync(data: Buffer): Buffer }
  Decoder: new () => { decodeSync(data: Buffer): Buffer }
}

const binding = lazyModule<ZstdBinding>('@toondepauw/node-zstd', 'zstd')

/** Level 3: zstd's default and what Java's producer uses unless `compression.zstd.level` says otherwise. */
const LEVEL = 3
/** zstd's largest block output (Block_Maximum_Size). */
const ZSTD_BLOCK_SLACK = 128 * 1024

let encoder: { encodeSync(data: Buffer): Buffer } | undefined
let decoder: { decodeSync(data: Buffer): Buffer } | undefined

export const zstdCodec: CompressionCodec = {
  type: CompressionType.zstd,
  name: 'zstd',
  compress(data: Buffer): Buffer {
    encoder ??= new (binding().Encoder)(LEVEL)
    return encoder.encodeSync(data)
  },
  decompress(data: Buffer, maxBytes: number): Buffer {
    // The binding has no output cap, so the bound from the headers decides before it allocates anything.
    // A compressed block counts as a full 128 KiB in that bound, but encoders fill every block except the
    // last, so one block of slack avoids refusing data that fits; the exact check follows the inflate.
    if (zstdDecompressedBound(data, maxBytes + ZSTD_BLOCK_SLACK) < 0) {
      throw new DecompressionLimitError({ limit: maxBytes, codec: 'zstd' })
    }
    decoder ??= new (binding().Decoder)()
    let output: Buffer
    try {
      output = decoder.decodeSync(data)
    } catch (error) {
      throw corrupt('Malformed zstd data in record batch', error)
    }
    if (output.length > maxBytes) throw new DecompressionLimitError({ limit: maxBytes, codec: 'zstd' })
    return output
  },
}
