import { createRequire } from 'node:module'
import { UnsupportedCodecError } from '@kafkite/protocol'

const require = createRequire(import.meta.url)

/**
 * Loads a codec's binding on first use and remembers it. Native addons load lazily so that importing
 * this package never fails on a platform without a prebuilt binary; only using that codec does, with a
 * typed error that names the package to install.
 */
export function lazyModule<T>(packageName: string, codec: string): () => T {
  let loaded: T | undefined
  return () => {
    if (loaded === undefined) {
      try {
        loaded = require(packageName) as T
      } catch (error) {
        throw new UnsupportedCodecError({
          message: `Compression ${codec} needs the '${packageName}' package, which did not load`,
          cause: error,
        })
      }
    }
    return loaded
  }
}
