// Which java runs Kafka, and with which flags.
import { join } from 'node:path'

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set (CI may pin a JDK that way), else `java` from PATH. */
export function javaBinary(): string {
  const home = process.env.JAVA_HOME
  return home !== undefined && home !== '' ? join(home, 'bin', 'java') : 'java'
}

/**
 * A broker: 512 MiB of heap is plenty for test traffic and lets 3 nodes plus the tests fit anywhere; G1 with
 * short pauses as in Kafka's own start scripts, so GC pauses do not look like broker faults to the tests.
 */
export const BROKER_JVM: readonly string[] = [
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-Djava.awt.headless=true',
]

/**
 * One-shot JVMs (the storage formatter, Kafka's CLI tools): the C1 compiler only and the serial collector
 * start faster and burn less CPU; a tool that runs for two seconds never profits from C2.
 */
export const SHORT_LIVED_JVM: readonly string[] = ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']
