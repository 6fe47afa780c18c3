// One client process of the produce and consume suites: `node-worker.ts <client> <job JSON>`. Loads only the
// library it measures (so the peak RSS is that client's), runs the job, prints one result line.

import { formatResult, type Job, type WorkerResult } from '../jobs.js'

export interface TimedRun {
  readonly records: number
  readonly bytes: number
  readonly elapsedMs: number
}

export interface NodeClient {
  produce(job: Extract<Job, { mode: 'produce' }>): Promise<TimedRun>
  consume(job: Extract<Job, { mode: 'consume' }>): Promise<TimedRun>
}

async function load(client: string): Promise<NodeClient> {
  switch (client) {
    case 'kafkite':
      return (await import('./kafkite-client.js')).client
    case 'kafkajs':
      return (await import('./kafkajs-client.js')).client
    case 'platformatic':
      return (await import('./platformatic-client.js')).client
    default:
      throw new Error(`unknown Node client ${client}`)
  }
}

async function main(): Promise<void> {
  const [client, jobText] = process.argv.slice(2)
  if (client === undefined || jobText === undefined) throw new Error('usage: node-worker <client> <job JSON>')
  const job = JSON.parse(jobText) as Job
  const implementation = await load(client)
  const run = job.mode === 'produce' ? await implementation.produce(job) : await implementation.consume(job)
  // maxRSS is in KiB on Linux.
  const result: WorkerResult = { ...run, maxRssKiB: process.resourceUsage().maxRSS }
  console.log(formatResult(result))
}

main().then(
  // Some clients keep timers or sockets alive after close(); the answer is printed, so leave now.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
