import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { shortName } from './parse-layers.js'

export interface PackageInfo {
  readonly name: string
  readonly directory: string
  /** Runtime dependencies on our own packages (short names). */
  readonly dependencies: readonly string[]
}

export function readPackages(packagesRoot: string): PackageInfo[] {
  return readdirSync(packagesRoot)
    .filter((entry) => statSync(join(packagesRoot, entry)).isDirectory())
    .map((entry) => {
      const directory = join(packagesRoot, entry)
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as {
        name: string
        dependencies?: Record<string, string>
        peerDependencies?: Record<string, string>
      }
      const names = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
      const dependencies = names.flatMap((name) => {
        const short = shortName(name)
        return short === undefined ? [] : [short]
      })
      return { name: shortName(manifest.name) ?? manifest.name, directory, dependencies }
    })
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.includes('node_modules'))
    .map((file) => join(directory, file))
}

const importPattern =
  /(?:from\s+|import\s*\(\s*|import\s+)['"]((?:@kafkite\/[a-z-]+)|kafkite)(?:\/[^'"]*)?['"]/g

/** Every broken rule: an edge the design does not allow, or an import the manifest does not declare. */
export function findViolations(
  packages: readonly PackageInfo[],
  layers: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const violations: string[] = []
  for (const info of packages) {
    const allowed = layers.get(info.name)
    if (allowed === undefined) {
      violations.push(`${info.name}: not listed in the layers block of docs/design.md`)
      continue
    }
    for (const dependency of info.dependencies) {
      if (!allowed.has(dependency))
        violations.push(`${info.name} depends on ${dependency}, which its layer may not use`)
    }
    const srcDirectory = join(info.directory, 'src')
    let files: string[] = []
    try {
      files = sourceFiles(srcDirectory)
    } catch {
      files = []
    }
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(importPattern)) {
        const imported = shortName(match[1]!)
        if (imported === undefined || imported === info.name) continue
        if (!allowed.has(imported))
          violations.push(`${file}: imports ${match[1]}, which ${info.name} may not use`)
        else if (!info.dependencies.includes(imported)) {
          violations.push(`${file}: imports ${match[1]} but ${info.name}'s package.json does not declare it`)
        }
      }
    }
  }
  return violations
}
