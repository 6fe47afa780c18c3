import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findViolations, readPackages } from './find-violations.js'
import { parseLayers } from './parse-layers.js'

const layers = parseLayers('```layers\nprotocol -> (none)\nrecords -> protocol\n```\n')

function fixture(
  packages: Record<string, { dependencies?: Record<string, string>; source?: string }>,
): string {
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'))
  for (const [name, info] of Object.entries(packages)) {
    const directory = join(root, name)
    mkdirSync(join(directory, 'src'), { recursive: true })
    writeFileSync(
      join(directory, 'package.json'),
      JSON.stringify({ name: `@kafkite/${name}`, dependencies: info.dependencies }),
    )
    writeFileSync(join(directory, 'src/index.ts'), info.source ?? '')
  }
  return root
}

describe('check-layers', () => {
  it('accepts the allowed edges', () => {
    const root = fixture({
      protocol: {},
      records: {
        dependencies: { '@kafkite/protocol': 'workspace:*' },
        source: "import { Reader } from '@kafkite/protocol'",
      },
    })
    expect(findViolations(readPackages(root), layers)).toEqual([])
  })

  it('reports an upward dependency and an undeclared import', () => {
    const root = fixture({
      protocol: { dependencies: { '@kafkite/records': 'workspace:*' } },
      records: { source: "import { Reader } from '@kafkite/protocol'" },
    })
    const violations = findViolations(readPackages(root), layers)
    expect(violations).toHaveLength(2)
    expect(violations[0]).toContain('protocol depends on records')
    expect(violations[1]).toContain('does not declare it')
  })

  it('reports a package the design does not list', () => {
    const root = fixture({ producer: {} })
    expect(findViolations(readPackages(root), layers)).toEqual([
      'producer: not listed in the layers block of docs/design.md',
    ])
  })
})
