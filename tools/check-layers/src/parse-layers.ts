/**
 * Reads the allowed package edges from the fenced ```layers block of docs/design.md, whose lines read
 * `producer -> cluster, records, protocol` (short names; `kafkite` is the umbrella). The design document
 * is the one place the layering is written; this tool enforces what it says.
 */
export function parseLayers(markdown: string): Map<string, Set<string>> {
  const block = /```layers\n([\s\S]*?)```/.exec(markdown)
  if (block === null) throw new Error('docs/design.md has no ```layers block')
  const layers = new Map<string, Set<string>>()
  for (const rawLine of block[1]!.split('\n')) {
    const line = rawLine.replace(/#.*/, '').trim()
    if (line === '') continue
    const [name, targets] = line.split('->').map((part) => part.trim())
    if (name === undefined || name === '' || targets === undefined)
      throw new Error(`Bad layers line: ${rawLine}`)
    const allowed = targets === '(none)' ? [] : targets.split(',').map((target) => target.trim())
    layers.set(name, new Set(allowed))
  }
  return layers
}

/** `@kafkite/records` → `records`; the umbrella `kafkite` stays `kafkite`; anything else is not ours. */
export function shortName(packageName: string): string | undefined {
  if (packageName === 'kafkite') return 'kafkite'
  return packageName.startsWith('@kafkite/') ? packageName.slice('@kafkite/'.length) : undefined
}
