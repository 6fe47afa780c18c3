import { IllegalArgumentError } from '@kafkite/protocol'
import { type CodecRegistry, defaultCodecs } from '../compression/codec-registry.js'

/** Options for reading batches. */
export interface DecodeOptions {
  /**
   * Verify each batch's checksum (CRC-32C for v2, CRC-32 for legacy messages) before reading it.
   * Default true, like Java's `check.crcs`; turning it off saves one pass over the bytes.
   */
  checkCrcs?: boolean
  /**
   * The most bytes one compressed batch may inflate to. A batch that would exceed it fails with
   * `DecompressionLimitError` and memory stays bounded by this value. Default 64 MiB.
   */
  maxUncompressedBytes?: number
  /** Codecs for compressed batches. Default: the built-in gzip, snappy, lz4 and zstd. */
  codecs?: CodecRegistry
}

/** Default `maxUncompressedBytes`: far above Kafka's default 1 MiB `max.message.bytes`, far below harm. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024

const resolvedBrand: unique symbol = Symbol('resolvedDecodeOptions')

/** Options with every default applied; one object per read, shared by all its batches. */
export interface ResolvedDecodeOptions {
  readonly [resolvedBrand]: true
  readonly checkCrcs: boolean
  readonly maxUncompressedBytes: number
  readonly codecs: CodecRegistry
}

/** Applies the defaults; returns already resolved options as they are, so batches need not copy them. */
export function resolveDecodeOptions(
  options: DecodeOptions | ResolvedDecodeOptions = {},
): ResolvedDecodeOptions {
  if (resolvedBrand in options) return options
  const maxUncompressedBytes = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES
  if (!(maxUncompressedBytes >= 0))
    throw new IllegalArgumentError({ message: 'maxUncompressedBytes must be >= 0' })
  return {
    [resolvedBrand]: true,
    checkCrcs: options.checkCrcs ?? true,
    maxUncompressedBytes,
    codecs: options.codecs ?? defaultCodecs,
  }
}

/** Views any Uint8Array as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}
