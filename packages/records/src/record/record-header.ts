/** A record header as decoded: the key is a string, the value a view over the batch bytes (or null). */
export interface RecordHeader {
  readonly key: string
  readonly value: Buffer | null
}

/** A header to write. String values are written as UTF-8. */
export interface RecordHeaderInput {
  readonly key: string
  readonly value: Uint8Array | string | null
}

/** Shared by every record without headers, so such records allocate no array. */
export const NO_HEADERS: readonly RecordHeader[] = Object.freeze([])
