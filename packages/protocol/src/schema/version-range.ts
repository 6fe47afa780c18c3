import type { VersionRange } from './types.js'

export function inRange(version: number, range: VersionRange | undefined): boolean {
  return range !== undefined && version >= range[0] && version <= range[1]
}

export function formatRange(range: VersionRange): string {
  if (range[0] > range[1]) return 'none'
  if (range[1] >= 0x7fff) return `${range[0]}+`
  return range[0] === range[1] ? `${range[0]}` : `${range[0]}-${range[1]}`
}
