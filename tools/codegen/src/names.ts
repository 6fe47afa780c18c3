/** Kafka's field names are PascalCase; ours are camelCase (`ThrottleTimeMs` → `throttleTimeMs`). */
export function camelCase(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** File names: `DescribeUserScramCredentials` → `describe-user-scram-credentials`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
}

/** `UNKNOWN_TOPIC_OR_PARTITION` → `UnknownTopicOrPartition`. */
export function pascalFromUpperSnake(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')
}
