// Makes a throwaway PKI per cluster: a CA, a server certificate for localhost/127.0.0.1 and a client
// certificate. PEM files are for Node clients (tls.connect ca/cert/key); PKCS12 stores are for the broker and
// for Java tools. openssl makes the keys and certificates (Node cannot sign X.509), keytool makes the
// truststore (only keytool marks a certificate as trusted in a way the JDK reads).
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCommand } from './run-command.js'

export interface TlsMaterial {
  /** PEM paths, for Node's tls options. */
  readonly caPem: string
  readonly clientCertPem: string
  readonly clientKeyPem: string
  /** PKCS12 stores for the JVM side (broker, console tools); all share `storePassword`. */
  readonly brokerKeystore: string
  readonly clientKeystore: string
  readonly truststore: string
  readonly storePassword: string
  /** Subject of the client certificate; with mTLS the broker sees principal `User:CN=kafkite-client`. */
  readonly clientSubject: string
}

const DAYS = '30'
// P-256 keys: generated in milliseconds where RSA-2048 takes noticeable time on a 2-core CI machine.
const KEY_ARGS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

export async function makeTlsMaterial(dir: string): Promise<TlsMaterial> {
  await mkdir(dir, { recursive: true })
  const path = (name: string): string => join(dir, name)
  const storePassword = randomBytes(12).toString('hex')

  await openssl([
    'req',
    '-x509',
    ...KEY_ARGS,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    DAYS,
    '-subj',
    '/CN=kafkite-test-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await issue(dir, 'server', '/CN=localhost', [
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    'extendedKeyUsage=serverAuth,clientAuth',
  ])
  const clientSubject = 'CN=kafkite-client'
  await issue(dir, 'client', `/${clientSubject}`, ['extendedKeyUsage=clientAuth'])

  await openssl([
    'pkcs12',
    '-export',
    '-in',
    path('server.pem'),
    '-inkey',
    path('server.key'),
    '-certfile',
    path('ca.pem'),
    '-name',
    'broker',
    '-out',
    path('broker.keystore.p12'),
    '-passout',
    `pass:${storePassword}`,
  ])
  await openssl([
    'pkcs12',
    '-export',
    '-in',
    path('client.pem'),
    '-inkey',
    path('client.key'),
    '-certfile',
    path('ca.pem'),
    '-name',
    'client',
    '-out',
    path('client.keystore.p12'),
    '-passout',
    `pass:${storePassword}`,
  ])
  await runCommand('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'kafkite-ca',
    '-file',
    path('ca.pem'),
    '-keystore',
    path('truststore.p12'),
    '-storetype',
    'PKCS12',
    '-storepass',
    storePassword,
  ])
  return {
    caPem: path('ca.pem'),
    clientCertPem: path('client.pem'),
    clientKeyPem: path('client.key'),
    brokerKeystore: path('broker.keystore.p12'),
    clientKeystore: path('client.keystore.p12'),
    truststore: path('truststore.p12'),
    storePassword,
    clientSubject,
  }
}

async function issue(
  dir: string,
  name: string,
  subject: string,
  extensions: readonly string[],
): Promise<void> {
  const path = (file: string): string => join(dir, file)
  await openssl([
    'req',
    ...KEY_ARGS,
    '-keyout',
    path(`${name}.key`),
    '-out',
    path(`${name}.csr`),
    '-subj',
    subject,
  ])
  await writeFile(path(`${name}.ext`), `${['basicConstraints=CA:FALSE', ...extensions].join('\n')}\n`)
  await openssl([
    'x509',
    '-req',
    '-in',
    path(`${name}.csr`),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    DAYS,
    '-extfile',
    path(`${name}.ext`),
    '-out',
    path(`${name}.pem`),
  ])
}

async function openssl(args: readonly string[]): Promise<void> {
  await runCommand('openssl', args, { timeoutMs: 30_000 })
}

/** The PEM texts, for callers that pass contents rather than paths to `tls.connect`. */
export async function readTlsPem(material: TlsMaterial): Promise<{ ca: string; cert: string; key: string }> {
  const [ca, cert, key] = await Promise.all([
    readFile(material.caPem, 'utf8'),
    readFile(material.clientCertPem, 'utf8'),
    readFile(material.clientKeyPem, 'utf8'),
  ])
  return { ca, cert, key }
}
