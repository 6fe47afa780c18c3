// The broker logs to stdout, which the harness appends to the node's log file. Kafka's own config files are
// not in the Maven jars, so the harness writes a minimal one for the logging backend of each version.
import type { LoggingBackend } from './kafka-versions.js'

const PATTERN = '[%d] %p %m (%c)%n'

export function renderLoggingConfig(backend: LoggingBackend): string {
  if (backend === 'log4j2') {
    return [
      'status = warn',
      'appender.stdout.type = Console',
      'appender.stdout.name = STDOUT',
      'appender.stdout.layout.type = PatternLayout',
      `appender.stdout.layout.pattern = ${PATTERN}`,
      'rootLogger.level = INFO',
      'rootLogger.appenderRef.stdout.ref = STDOUT',
      // The request logger is very chatty at DEBUG/TRACE; Kafka's own config pins it to WARN.
      'logger.request.name = kafka.request.logger',
      'logger.request.level = WARN',
      '',
    ].join('\n')
  }
  return [
    'log4j.rootLogger=INFO, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    `log4j.appender.stdout.layout.ConversionPattern=${PATTERN}`,
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n')
}

/** The JVM system property that points the backend at the file written from `renderLoggingConfig`. */
export function loggingSystemProperty(backend: LoggingBackend, file: string): string {
  return backend === 'log4j2' ? `-Dlog4j2.configurationFile=${file}` : `-Dlog4j.configuration=file:${file}`
}
