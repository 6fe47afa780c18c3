import { gunzipSync, gzipSync } from 'node:zlib'
import { CompressionType } from '../batch/attributes.js'
import { corrupt } from '../errors/corrupt.js'
import { DecompressionLimitError } from '../errors/decompression-limit-error.js'
import type { CompressionCodec } from './compression-codec.js'

/**
 * gzip through node:zlib. `maxOutputLength` makes zlib itself stop at the cap, so a bomb never allocates
 * more than the limit. Level 6 is zlib's and Java's default.
 */
export const gzipCodec: CompressionCodec = {
  type: CompressionType.gzip,
  name: 'gzip',
  compress(data: Buffer): Buffer {
    return gzipSync(data)
  },
  decompress(data: Buffer, maxBytes: number): Buffer {
    try {
      // zlib refuses a maxOutputLength of 0, hence the floor of 1 and the check after.
      const output = gunzipSync(data, { maxOutputLength: Math.max(1, maxBytes) })
      if (output.length > maxBytes) throw new DecompressionLimitError({ limit: maxBytes, codec: 'gzip' })
      return output
    } catch (error) {
      if (error instanceof DecompressionLimitError) throw error
      if (isTooLarge(error)) throw new DecompressionLimitError({ limit: maxBytes, codec: 'gzip' })
      throw corrupt('Malformed gzip data in record batch', error)
    }
  },
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError && (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
}
