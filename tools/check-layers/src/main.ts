import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findViolations, readPackages } from './find-violations.js'
import { parseLayers } from './parse-layers.js'

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const layers = parseLayers(readFileSync(join(repositoryRoot, 'docs/design.md'), 'utf8'))
const packages = readPackages(join(repositoryRoot, 'packages'))
const violations = findViolations(packages, layers)
if (violations.length > 0) {
  console.error(`Layering violations (allowed edges are in docs/design.md):\n  ${violations.join('\n  ')}`)
  process.exitCode = 1
} else {
  console.log(
    `Layering holds for ${packages.length} packages (${packages.map((info) => info.name).join(', ')}).`,
  )
}
