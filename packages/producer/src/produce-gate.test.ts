import { describe, expect, it } from 'vitest'
import { OPEN_GATE } from './produce-gate.js'

describe('OPEN_GATE', () => {
  it('lets every send through, without transactions', () => {
    expect(OPEN_GATE.beforeSend([{ topic: 't', partition: 0 }])).toBeUndefined()
    expect(OPEN_GATE.isTransactional).toBe(false)
  })
})
