/**
 * Bytes from annotated hex: whitespace is ignored and `#` starts a comment that runs to the end of the
 * line, so golden frames can be written one field per line with the field's meaning beside it.
 */
export function hex(strings: TemplateStringsArray | string, ...values: readonly unknown[]): Buffer {
  const text =
    typeof strings === 'string'
      ? strings
      : strings.raw.reduce((joined, part, index) => joined + String(values[index - 1] ?? '') + part)
  const digits = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '')
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) {
    throw new Error(`Not an even run of hex digits: ${JSON.stringify(digits)}`)
  }
  return Buffer.from(digits, 'hex')
}

/** Hex text of a buffer, two digits a byte separated by spaces, for readable assertion diffs. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').replace(/(..)(?!$)/g, '$1 ')
}
