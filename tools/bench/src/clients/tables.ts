// Markdown tables of the produce and consume suites: a summary (kafkite's throughput and every other
// client's ratio to it) and the detail (records/s, MB/s, peak RSS per client and case).

import { CLIENTS, type ClientId, type Outcome } from './contenders.js'
import { type CaseResult, sizeLabel } from './end-to-end.js'

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

export interface Rates {
  readonly recordsPerSec: number
  readonly megabytesPerSec: number
  readonly peakRssMiB: number | null
}

export function ratesOf(outcome: Outcome): Rates | undefined {
  if (outcome.kind !== 'ok') return undefined
  const seconds = outcome.result.elapsedMs / 1000
  return {
    recordsPerSec: outcome.result.records / seconds,
    megabytesPerSec: outcome.result.bytes / seconds / 1e6,
    peakRssMiB: outcome.result.maxRssKiB === null ? null : outcome.result.maxRssKiB / 1024,
  }
}

function rates(result: CaseResult, client: ClientId): Rates | undefined {
  const run = result.runs.find((candidate) => candidate.client === client)
  return run === undefined ? undefined : ratesOf(run.outcome)
}

/** Other client's records/s over kafkite's; undefined when either has no number. */
export function ratio(result: CaseResult, client: ClientId): number | undefined {
  const base = rates(result, 'kafkite')
  const other = rates(result, client)
  if (base === undefined || other === undefined) return undefined
  return other.recordsPerSec / base.recordsPerSec
}

function shortReason(outcome: Outcome): string {
  return outcome.kind === 'ok' ? '' : `${outcome.kind === 'failed' ? 'failed' : 'n/a'}: ${outcome.reason}`
}

function caseCells(result: CaseResult): string[] {
  const cells = [sizeLabel(result.recordSize)]
  if (result.mode === 'produce') cells.push(result.acks === -1 ? 'all' : String(result.acks))
  cells.push(result.compression)
  return cells
}

function caseHeader(results: readonly CaseResult[]): string[] {
  return results[0]?.mode === 'produce' ? ['record', 'acks', 'compression'] : ['record', 'compression']
}

function markdown(
  header: readonly string[],
  numericFrom: number,
  rows: readonly (readonly string[])[],
): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|')
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, column) => (column >= numericFrom ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n')
}

function clientsIn(results: readonly CaseResult[]): typeof CLIENTS {
  const present = new Set(results.flatMap((result) => result.runs.map((run) => run.client)))
  return CLIENTS.filter((client) => present.has(client.id))
}

/** One row per case: kafkite's records/s and MB/s, then each other client's ratio (its records/s). */
export function summaryTable(results: readonly CaseResult[]): string {
  const others = clientsIn(results).filter((client) => client.id !== 'kafkite')
  const caseColumns = caseHeader(results)
  const header = [
    ...caseColumns,
    'kafkite records/s',
    'kafkite MB/s',
    ...others.map((client) => client.label),
  ]
  const rows = results.map((result) => {
    const base = rates(result, 'kafkite')
    const cells = [
      ...caseCells(result),
      base === undefined ? 'n/a' : integer.format(base.recordsPerSec),
      base === undefined ? 'n/a' : oneDecimal.format(base.megabytesPerSec),
    ]
    for (const client of others) {
      const run = result.runs.find((candidate) => candidate.client === client.id)
      const value = ratio(result, client.id)
      const own = rates(result, client.id)
      if (value !== undefined && own !== undefined) {
        cells.push(`${value.toFixed(2)}× (${integer.format(own.recordsPerSec)})`)
      } else if (own !== undefined) {
        cells.push(integer.format(own.recordsPerSec))
      } else {
        cells.push(run === undefined ? '' : run.outcome.kind === 'failed' ? 'failed' : 'n/a')
      }
    }
    return cells
  })
  return markdown(header, caseColumns.length, rows)
}

/** Every run: records/s, MB/s, peak RSS and ratio to kafkite, with the reason for every missing number. */
export function detailTable(results: readonly CaseResult[]): string {
  const caseColumns = caseHeader(results)
  const header = [...caseColumns, 'client', 'records/s', 'MB/s', 'peak RSS MiB', 'vs kafkite']
  const rows: string[][] = []
  for (const result of results) {
    for (const client of clientsIn(results)) {
      const run = result.runs.find((candidate) => candidate.client === client.id)
      if (run === undefined) continue
      const own = ratesOf(run.outcome)
      if (own === undefined) {
        rows.push([...caseCells(result), client.label, 'n/a', '', '', shortReason(run.outcome)])
        continue
      }
      const value = ratio(result, client.id)
      rows.push([
        ...caseCells(result),
        client.label,
        integer.format(own.recordsPerSec),
        oneDecimal.format(own.megabytesPerSec),
        own.peakRssMiB === null ? 'n/a' : integer.format(own.peakRssMiB),
        client.id === 'kafkite' ? 'baseline' : value === undefined ? '' : `${value.toFixed(2)}×`,
      ])
    }
  }
  return markdown(header, caseColumns.length + 1, rows)
}

/** Peak RSS per client and case, MiB. */
export function memoryTable(results: readonly CaseResult[]): string {
  const clients = clientsIn(results)
  const caseColumns = caseHeader(results)
  const rows = results.map((result) => [
    ...caseCells(result),
    ...clients.map((client) => {
      const own = rates(result, client.id)
      return own?.peakRssMiB == null ? 'n/a' : integer.format(own.peakRssMiB)
    }),
  ])
  return markdown([...caseColumns, ...clients.map((client) => client.label)], caseColumns.length, rows)
}

/** Rows where some client beat kafkite: "case: client ratio×". */
export function behindKafkite(results: readonly CaseResult[]): string[] {
  const lines: string[] = []
  for (const result of results) {
    for (const client of CLIENTS) {
      if (client.id === 'kafkite') continue
      const value = ratio(result, client.id)
      if (value !== undefined && value > 1) {
        lines.push(`${caseCells(result).join(' ')}: ${client.label} ${value.toFixed(2)}×`)
      }
    }
  }
  return lines
}
