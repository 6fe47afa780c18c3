// Picks free loopback ports at run time so parallel runs and developer brokers never collide. All sockets are
// held open until every port is chosen, so one call never hands out the same port twice.
import { createServer, type Server } from 'node:net'

export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const server = createServer()
      servers.push(server)
      ports.push(await listenOnEphemeralPort(server))
    }
    return ports
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
  }
}

function listenOnEphemeralPort(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address()
      if (address === null || typeof address === 'string') {
        reject(new Error('listening socket has no port'))
        return
      }
      resolve(address.port)
    })
  })
}

/** True when nothing listens on 127.0.0.1:port (used by teardown checks). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.close(() => resolve(true))
    })
  })
}
