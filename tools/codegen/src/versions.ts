/** Upper end written for open ranges (`N+`); matches MAX_VERSION in @kafkite/protocol. */
export const MAX_VERSION = 0x7fff

export type Range = readonly [number, number]

export const NO_VERSIONS: Range = [0, -1]

/** Parses Kafka's version range syntax: `3+`, `0-4`, `2`, `none`. */
export function parseRange(text: string | undefined): Range | undefined {
  if (text === undefined) return undefined
  const trimmed = text.trim()
  if (trimmed === 'none') return NO_VERSIONS
  if (trimmed.endsWith('+')) return [Number(trimmed.slice(0, -1)), MAX_VERSION]
  const dash = trimmed.indexOf('-')
  if (dash >= 0) return [Number(trimmed.slice(0, dash)), Number(trimmed.slice(dash + 1))]
  const single = Number(trimmed)
  if (!Number.isInteger(single)) throw new Error(`Bad version range: ${text}`)
  return [single, single]
}

export function intersect(left: Range, right: Range): Range {
  return [Math.max(left[0], right[0]), Math.min(left[1], right[1])]
}

export function isEmpty(range: Range): boolean {
  return range[0] > range[1]
}

export function contains(range: Range | undefined, version: number): boolean {
  return range !== undefined && version >= range[0] && version <= range[1]
}

export function formatRange(range: Range): string {
  if (isEmpty(range)) return 'none'
  if (range[1] >= MAX_VERSION) return `${range[0]}+`
  return range[0] === range[1] ? `${range[0]}` : `${range[0]}-${range[1]}`
}

export function rangeLiteral(range: Range): string {
  return `[${range[0]}, ${range[1]}]`
}
