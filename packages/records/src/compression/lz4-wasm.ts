import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { UnsupportedCodecError } from '@kafkite/protocol'
import { corrupt } from '../errors/corrupt.js'

// lz4-wasm 0.9.2 ships a bundler-style entry (`import * as wasm from './lz4_wasm_bg.wasm'`) that Node
// cannot import, so we instantiate its .wasm ourselves and speak its wasm-bindgen ABI directly. That also
// lets us copy input straight into wasm memory and output straight into our frame buffer, one copy each way
// instead of the glue's two.
//
// ABI of the two exports: `compress(ret, ptr, len)` / `decompress(ret, ptr, len)` take an input that the
// callee owns and frees; they write [outPtr, outLen] (and, for decompress, [errorRef, isError]) as int32s at
// `ret`, a 16-byte slot on wasm's shadow stack; the caller frees the output. Blocks are "size-prepended":
// a little-endian uint32 of the uncompressed size, then a raw LZ4 block.

// Node 20's type definitions (lib ES2023, no DOM) do not declare WebAssembly; these are the few members
// used here.
interface WasmMemory {
  readonly buffer: ArrayBuffer
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { readonly exports: object }
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

interface Lz4WasmExports {
  memory: WasmMemory
  compress(ret: number, pointer: number, length: number): void
  decompress(ret: number, pointer: number, length: number): void
  __wbindgen_add_to_stack_pointer(delta: number): number
  __wbindgen_malloc(size: number): number
  __wbindgen_free(pointer: number, size: number): void
}

let exports: Lz4WasmExports | undefined
let heap = new Uint8Array(0)
let lastError = ''

function instance(): Lz4WasmExports {
  if (exports !== undefined) return exports
  try {
    const require = createRequire(import.meta.url)
    const bytes = readFileSync(require.resolve('lz4-wasm/lz4_wasm_bg.wasm'))
    const imports = {
      './lz4_wasm_bg.js': {
        // The only import: Rust builds its error string through it. We keep the text and hand back a
        // dummy reference, since errors are read right after the call that raised them.
        __wbindgen_string_new: (pointer: number, length: number): number => {
          lastError = Buffer.from(memoryOf().buffer, pointer, length).toString('utf8')
          return 0
        },
      },
    }
    const module = new wasmApi.Module(bytes)
    exports = new wasmApi.Instance(module, imports).exports as unknown as Lz4WasmExports
    return exports
  } catch (error) {
    throw new UnsupportedCodecError({ message: "Compression lz4 needs the 'lz4-wasm' package", cause: error })
  }
}

function memoryOf(): WasmMemory {
  return (exports as Lz4WasmExports).memory
}

/** The wasm heap as bytes; re-taken after any call that may have grown the memory. */
function bytesOf(wasm: Lz4WasmExports): Uint8Array {
  if (heap.buffer !== wasm.memory.buffer) heap = new Uint8Array(wasm.memory.buffer)
  return heap
}

/**
 * Compresses `input` into one raw LZ4 block written at `output[offset]`; returns its length, or -1 when the
 * block would not be smaller than the input (the caller then stores the input uncompressed).
 */
export function compressBlockInto(input: Uint8Array, output: Uint8Array, offset: number): number {
  const wasm = instance()
  const ret = wasm.__wbindgen_add_to_stack_pointer(-16)
  try {
    const pointer = wasm.__wbindgen_malloc(input.length)
    bytesOf(wasm).set(input, pointer)
    wasm.compress(ret, pointer, input.length)
    const heapBytes = bytesOf(wasm)
    const view = new DataView(heapBytes.buffer)
    const outPointer = view.getInt32(ret, true)
    const outLength = view.getInt32(ret + 4, true)
    // Skip the 4-byte size prefix: Kafka's frame carries raw blocks.
    const blockLength = outLength - 4
    const written = blockLength < input.length ? blockLength : -1
    if (written > 0) output.set(heapBytes.subarray(outPointer + 4, outPointer + outLength), offset)
    wasm.__wbindgen_free(outPointer, outLength)
    return written
  } finally {
    wasm.__wbindgen_add_to_stack_pointer(16)
  }
}

/**
 * Decompresses the raw LZ4 block `input[start, end)`, whose decompressed size is exactly `size`, into
 * `output[offset]`.
 */
export function decompressBlockInto(
  input: Uint8Array,
  start: number,
  end: number,
  size: number,
  output: Uint8Array,
  offset: number,
): void {
  const wasm = instance()
  const ret = wasm.__wbindgen_add_to_stack_pointer(-16)
  try {
    const length = end - start + 4
    const pointer = wasm.__wbindgen_malloc(length)
    const heapBytes = bytesOf(wasm)
    new DataView(heapBytes.buffer).setUint32(pointer, size, true)
    heapBytes.set(input.subarray(start, end), pointer + 4)
    wasm.decompress(ret, pointer, length)
    const after = bytesOf(wasm)
    const view = new DataView(after.buffer)
    if (view.getInt32(ret + 12, true) !== 0) throw corrupt(`Malformed LZ4 block: ${lastError}`)
    const outPointer = view.getInt32(ret, true)
    const outLength = view.getInt32(ret + 4, true)
    output.set(after.subarray(outPointer, outPointer + outLength), offset)
    wasm.__wbindgen_free(outPointer, outLength)
  } finally {
    wasm.__wbindgen_add_to_stack_pointer(16)
  }
}
