// The brokers of the test matrix. Each is pinned so a run is reproducible; bump here (and in the README's
// table) when Maven Central serves a newer release of the line.

/** How the broker JVM logs; decides the Maven profile and the logging config file the harness writes. */
export type LoggingBackend = 'log4j2' | 'reload4j'

export interface KafkaVersion {
  /** The short name used on the CLI (`--kafka 4`) and in test names. */
  readonly line: KafkaLine
  /** The exact Maven version of `org.apache.kafka:kafka_2.13`. */
  readonly maven: string
  readonly logging: LoggingBackend
  /** Main class of `kafka-storage.sh` in this version (it formats the KRaft log directories). */
  readonly storageToolClass: string
}

export type KafkaLine = '4' | '3.9'

export const KAFKA_VERSIONS: Readonly<Record<KafkaLine, KafkaVersion>> = {
  '4': {
    line: '4',
    maven: '4.4.0',
    logging: 'log4j2',
    storageToolClass: 'kafka.tools.StorageTool',
  },
  '3.9': {
    line: '3.9',
    maven: '3.9.2',
    logging: 'reload4j',
    storageToolClass: 'kafka.tools.StorageTool',
  },
}

export const DEFAULT_KAFKA_LINE: KafkaLine = '4'

export function kafkaVersion(line: string): KafkaVersion {
  if (line === '4' || line === '3.9') return KAFKA_VERSIONS[line]
  // Accept an exact pinned version too, so `--kafka 4.4.0` works.
  for (const version of Object.values(KAFKA_VERSIONS)) {
    if (version.maven === line) return version
  }
  throw new Error(`unknown Kafka line '${line}': use one of ${Object.keys(KAFKA_VERSIONS).join(', ')}`)
}
