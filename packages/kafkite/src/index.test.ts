import { describe, expect, it } from 'vitest'
import * as kafkite from './index.js'

describe('kafkite umbrella', () => {
  it('offers the clients under their own and aiokafka names', () => {
    expect(kafkite.AIOKafkaProducer).toBe(kafkite.KafkaProducer)
    expect(kafkite.AIOKafkaConsumer).toBe(kafkite.KafkaConsumer)
    expect(kafkite.AIOKafkaAdminClient).toBe(kafkite.KafkaAdminClient)
  })

  it('offers every error class, branded as KafkaError', () => {
    const error = new kafkite.NotLeaderForPartitionError()
    expect(kafkite.KafkaError.isInstance(error)).toBe(true)
    expect(error.retriable).toBe(true)
    expect(kafkite.errorFromCode(6)).toBeInstanceOf(kafkite.NotLeaderForPartitionError)
    expect(new kafkite.KafkaConnectionError()).toBeInstanceOf(kafkite.KafkaError)
  })

  it('refuses options that cannot work together at construction', () => {
    expect(() => new kafkite.KafkaProducer({ enableIdempotence: true, acks: 1 })).toThrow(
      kafkite.KafkaConfigurationError,
    )
  })
})
