import type { Measurement } from './measure.js'
import { BASELINE, type BenchCase, type Contender } from './suite.js'

export interface Result {
  readonly contender: Contender
  readonly measurement?: Measurement
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${oneDecimal.format(bytes / (1024 * 1024))} MiB`
  if (bytes >= 1024) return `${oneDecimal.format(bytes / 1024)} KiB`
  return `${bytes} B`
}

function opsCell(measurement: Measurement): string {
  return integer.format(measurement.opsPerSec)
}

/** Spread of the rounds around the median: ± half the interquartile range, in percent of the median. */
function spreadCell(measurement: Measurement): string {
  const spread = (measurement.upperQuartile - measurement.lowerQuartile) / 2 / measurement.opsPerSec
  return `±${oneDecimal.format(spread * 100)}%`
}

/** Megabytes (10^6 bytes) of encoded message per second. */
function mbCell(measurement: Measurement, bytes: number): string {
  return oneDecimal.format((measurement.opsPerSec * bytes) / 1e6)
}

/** The line others are compared with: kafkite as it runs by default (a kafkite line with a note is a variant). */
function isBaseline(contender: Contender): boolean {
  return contender.library === BASELINE && !('note' in contender && contender.note)
}

function ratioCell(result: Result, results: readonly Result[]): string {
  const { contender, measurement } = result
  if (measurement === undefined) return ''
  if (isBaseline(contender)) return 'baseline'
  const baseline = results.find(
    (other) => isBaseline(other.contender) && other.contender.operation === contender.operation,
  )?.measurement
  if (baseline === undefined) return ''
  return `${(measurement.opsPerSec / baseline.opsPerSec).toFixed(2)}×`
}

interface Row {
  readonly cells: readonly string[]
}

const HEADER = ['op', 'library', 'ops/s', 'spread', 'MB/s', 'vs kafkite']

function rowsOf(benchCase: BenchCase, results: readonly Result[]): Row[] {
  return results.map((result) => {
    const { contender, measurement } = result
    if (measurement === undefined) {
      const reason = 'unavailable' in contender ? contender.unavailable : 'not run'
      return { cells: [contender.operation, contender.library, `n/a: ${reason}`, '', '', ''] }
    }
    const library =
      'note' in contender && contender.note ? `${contender.library} (${contender.note})` : contender.library
    return {
      cells: [
        contender.operation,
        library,
        opsCell(measurement),
        spreadCell(measurement),
        mbCell(measurement, benchCase.bytes),
        ratioCell(result, results),
      ],
    }
  })
}

const NUMERIC = new Set([2, 3, 4, 5])

/** A plain-text table for the terminal. */
export function textTable(benchCase: BenchCase, results: readonly Result[]): string {
  const rows = rowsOf(benchCase, results)
  const all = [HEADER, ...rows.map((row) => row.cells)]
  // "n/a: reason" lines span the numeric columns, so they do not count towards the width of ops/s.
  const widths = HEADER.map((_, column) =>
    Math.max(
      ...all.filter((cells) => !cells[column]?.startsWith('n/a')).map((cells) => cells[column]!.length),
    ),
  )
  const lines = all.map((cells) =>
    cells
      .map((cell, column) => {
        if (cell.startsWith('n/a')) return cell
        return NUMERIC.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)
      })
      .join('  ')
      .trimEnd(),
  )
  const title = `${benchCase.title} — ${formatBytes(benchCase.bytes)}`
  const notes = (benchCase.notes ?? []).map((note) => `  * ${note}`)
  return [title, ...lines.map((line) => `  ${line}`), ...notes].join('\n')
}

/** In Markdown, an unavailable line says "n/a" under ops/s and gives its reason in the last column. */
function markdownCells(cells: readonly string[]): readonly string[] {
  const ops = cells[2] ?? ''
  if (!ops.startsWith('n/a: ')) return cells
  return [cells[0] ?? '', cells[1] ?? '', 'n/a', '', '', ops.slice('n/a: '.length)]
}

/** A Markdown table, for docs/benchmarks.md. */
export function markdownTable(benchCase: BenchCase, results: readonly Result[]): string {
  const rows = rowsOf(benchCase, results)
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|')
  const lines = [
    `#### ${benchCase.title} (${formatBytes(benchCase.bytes)})`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((_, column) => (NUMERIC.has(column) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${markdownCells(row.cells).map(escapeCell).join(' | ')} |`),
  ]
  for (const note of benchCase.notes ?? []) lines.push('', `- ${note}`)
  return lines.join('\n')
}
