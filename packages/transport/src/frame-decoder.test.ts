import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FrameSizeError } from './errors.js'
import { DEFAULT_MAX_FRAME_BYTES, FrameDecoder } from './frame-decoder.js'

function framed(...payloads: Buffer[]): Buffer {
  return Buffer.concat(
    payloads.map((payload) => {
      const head = Buffer.alloc(4)
      head.writeInt32BE(payload.length, 0)
      return Buffer.concat([head, payload])
    }),
  )
}

function collect(decoder: FrameDecoder, chunks: Buffer[]): Buffer[] {
  const frames: Buffer[] = []
  for (const chunk of chunks) decoder.push(chunk, (frame) => frames.push(Buffer.from(frame)))
  return frames
}

describe('FrameDecoder', () => {
  it('passes frames inside one chunk as views of it, copying nothing', () => {
    const chunk = framed(Buffer.from('first'), Buffer.from('second!'))
    const frames: Buffer[] = []
    new FrameDecoder().push(chunk, (frame) => frames.push(frame))
    expect(frames.map(String)).toEqual(['first', 'second!'])
    expect(frames[0]?.buffer).toBe(chunk.buffer)
    expect(frames[1]?.buffer).toBe(chunk.buffer)
  })

  it('joins a frame spread byte by byte, size prefix included', () => {
    const stream = framed(Buffer.from('hello kafka'), Buffer.from('next'))
    const decoder = new FrameDecoder()
    const chunks = [...stream].map((byte) => Buffer.from([byte]))
    expect(collect(decoder, chunks).map(String)).toEqual(['hello kafka', 'next'])
    expect(decoder.bufferedBytes).toBe(0)
  })

  it('yields the same frames however the stream is cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 4, maxLength: 64 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (payloads, cuts) => {
          const stream = framed(...payloads.map((payload) => Buffer.from(payload)))
          const chunks: Buffer[] = []
          let offset = 0
          for (let index = 0; offset < stream.length; index++) {
            const size = cuts[index % cuts.length] ?? 1
            chunks.push(stream.subarray(offset, offset + size))
            offset += size
          }
          const frames = collect(new FrameDecoder(), chunks)
          expect(frames.map((frame) => frame.toString('hex'))).toEqual(
            payloads.map((payload) => Buffer.from(payload).toString('hex')),
          )
        },
      ),
    )
  })

  it('refuses a TLS record read as a size before allocating, and says what it probably is', () => {
    const decoder = new FrameDecoder()
    const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])
    let error: unknown
    try {
      decoder.push(alert, () => {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(FrameSizeError)
    expect((error as FrameSizeError).size).toBe(0x15030300)
    expect((error as FrameSizeError).message).toMatch(/0x15030300.*TLS listener reached without TLS/)
    expect((error as FrameSizeError).retriable).toBe(false)
  })

  it('checks a size prefix that arrives in pieces', () => {
    const decoder = new FrameDecoder(16)
    decoder.push(Buffer.from([0x00, 0x00]), () => {})
    expect(() => decoder.push(Buffer.from([0x01, 0x00]), () => {})).toThrow(FrameSizeError)
  })

  it('refuses negative and too-short sizes', () => {
    expect(() => new FrameDecoder().push(Buffer.from([0xff, 0xff, 0xff, 0xff]), () => {})).toThrow(/-1/)
    expect(() => new FrameDecoder().push(Buffer.from([0, 0, 0, 2, 1, 2]), () => {})).toThrow(FrameSizeError)
  })

  it('holds only the bytes received for an announced large frame', () => {
    const decoder = new FrameDecoder()
    const head = Buffer.alloc(4)
    head.writeInt32BE(DEFAULT_MAX_FRAME_BYTES, 0)
    decoder.push(head, () => {})
    decoder.push(Buffer.alloc(1000), () => {})
    expect(decoder.bufferedBytes).toBe(1000)
  })
})
