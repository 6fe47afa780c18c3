import { describe, expect, it } from 'vitest'
import {
  ErrorCode,
  errorFromCode,
  NotLeaderForPartitionError,
  UnknownError,
  UnsupportedVersionError,
} from '../generated/error-codes.js'
import { BrokerResponseError } from './broker-response-error.js'
import {
  IllegalStateError,
  KafkaConnectionError,
  KafkaTimeoutError,
  NodeNotReadyError,
} from './client-errors.js'
import { KafkaError } from './kafka-error.js'
import { CorrelationIdError, ProtocolError } from './protocol-error.js'

describe('errorFromCode', () => {
  it('code 6 is NotLeaderForPartitionError: retriable, invalidates metadata', () => {
    const error = errorFromCode(6)
    expect(error).toBeInstanceOf(NotLeaderForPartitionError)
    expect(error).toBeInstanceOf(BrokerResponseError)
    expect(error).toBeInstanceOf(KafkaError)
    expect(error).toBeInstanceOf(Error)
    expect(error?.code).toBe(6)
    expect(error?.errorName).toBe('NOT_LEADER_OR_FOLLOWER')
    expect(error?.retriable).toBe(true)
    expect(error?.invalidMetadata).toBe(true)
    expect(error?.name).toBe('NotLeaderForPartitionError')
    expect(error?.message).toMatch(/^\[Error 6\] NOT_LEADER_OR_FOLLOWER: /)
  })

  it('code 0 is no error', () => {
    expect(errorFromCode(0)).toBeUndefined()
    expect(errorFromCode(ErrorCode.NONE)).toBeUndefined()
  })

  it('an unknown code gives a plain BrokerResponseError that carries it', () => {
    const error = errorFromCode(9999)
    expect(error).toBeInstanceOf(BrokerResponseError)
    expect(error?.constructor).toBe(BrokerResponseError)
    expect(error?.code).toBe(9999)
    expect(error?.errorName).toBe('UNKNOWN_ERROR_CODE_9999')
    expect(error?.retriable).toBe(false)
  })

  it('code -1 is UnknownError (UNKNOWN_SERVER_ERROR)', () => {
    const error = errorFromCode(-1)
    expect(error).toBeInstanceOf(UnknownError)
    expect(error?.errorName).toBe('UNKNOWN_SERVER_ERROR')
  })

  it('carries the path where the code was found', () => {
    const error = errorFromCode(3, { path: '/topics/0' })
    expect(error?.path).toBe('/topics/0')
    expect(error?.message).toMatch(/^\[Error 3\] UNKNOWN_TOPIC_OR_PARTITION at \/topics\/0: /)
  })

  it('keeps a caller message and a retriable override', () => {
    const error = errorFromCode(6, { message: 'leader moved', retriable: false })
    expect(error?.message).toBe('leader moved')
    expect(error?.retriable).toBe(false)
  })

  it('UnsupportedVersionError is code 35', () => {
    const error = new UnsupportedVersionError()
    expect(error.code).toBe(35)
    expect(errorFromCode(35)).toBeInstanceOf(UnsupportedVersionError)
  })
})

describe('KafkaError.isInstance', () => {
  it('is true for every kafkite error', () => {
    for (const error of [
      new KafkaError(),
      new ProtocolError(),
      new CorrelationIdError(),
      new IllegalStateError(),
      new KafkaConnectionError(),
      errorFromCode(7),
    ]) {
      expect(KafkaError.isInstance(error)).toBe(true)
    }
  })

  it('is false for other values', () => {
    for (const value of [new Error('x'), new RangeError('x'), null, undefined, 'error', 6, {}]) {
      expect(KafkaError.isInstance(value)).toBe(false)
    }
  })

  it('recognises an error from another copy of the package by its Symbol.for brand', () => {
    // What another copy's KafkaError looks like: a plain Error subclass carrying the shared brand.
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('kafkite.error')]: true })
    expect(foreign).not.toBeInstanceOf(KafkaError)
    expect(KafkaError.isInstance(foreign)).toBe(true)
    expect(KafkaError.isInstance({ [Symbol.for('kafkite.error')]: true })).toBe(true)
    expect(KafkaError.isInstance({ [Symbol('kafkite.error')]: true })).toBe(false)
  })
})

describe('client errors', () => {
  it('carry class defaults for retriable and invalidMetadata', () => {
    expect(new KafkaConnectionError().retriable).toBe(true)
    expect(new KafkaConnectionError().invalidMetadata).toBe(true)
    expect(new NodeNotReadyError().retriable).toBe(true)
    expect(new NodeNotReadyError().invalidMetadata).toBe(false)
    expect(new KafkaTimeoutError().retriable).toBe(false)
    expect(new CorrelationIdError().retriable).toBe(true)
  })

  it('keep message, cause and name', () => {
    const cause = new Error('socket closed')
    const error = new KafkaConnectionError({ message: 'lost broker 1', cause })
    expect(error.message).toBe('lost broker 1')
    expect(error.cause).toBe(cause)
    expect(error.name).toBe('KafkaConnectionError')
    expect(new KafkaError().cause).toBeUndefined()
  })

  it('ProtocolError carries path and offset', () => {
    const error = new ProtocolError({ message: 'bad', path: 'A.b', offset: 12 })
    expect(error.path).toBe('A.b')
    expect(error.offset).toBe(12)
    expect(error.retriable).toBe(false)
  })
})
