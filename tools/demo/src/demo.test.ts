// The README's first command must keep working: run the demo as a newcomer would (its own broker, unless
// KAFKA_BOOTSTRAP names one) and check it printed the record it sent.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const run = promisify(execFile)
const demoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

it('runs aiokafka’s quick start against a real broker: sends one record and reads it back', async () => {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', join(demoRoot, 'src/main.ts')],
    { cwd: demoRoot, timeout: 240_000 },
  )
  expect(stdout).toMatch(/sent: partition 0, offset \d+/)
  expect(stdout).toMatch(/consumed: my_topic 0 \d+ greeting Super message \d{13}/)
}, 300_000)
