export { FrameSplitter, MAX_FRAME_BYTES } from './frame-splitter.js'
export { type Exchange, RawConnection, type RawConnectionOptions } from './raw-connection.js'
