// An admin client against the cluster package's fake brokers, with short timeouts so that retry paths end
// quickly.
import { afterEach } from 'vitest'
import { FakeCluster, type FakeClusterOptions } from '../../../cluster/src/test-support/fake-cluster.js'
import { KafkaAdminClient } from '../admin-client.js'
import type { AdminClientOptions } from '../admin-options.js'

export { FakeCluster, type FakeRequest } from '../../../cluster/src/test-support/fake-cluster.js'

const open: Array<{ admin: KafkaAdminClient; fake: FakeCluster }> = []

afterEach(async () => {
  for (const { admin, fake } of open.splice(0)) {
    await admin.close()
    await fake.close()
  }
})

export async function adminOnFake(
  fakeOptions: FakeClusterOptions = {},
  adminOptions: AdminClientOptions = {},
): Promise<{ admin: KafkaAdminClient; fake: FakeCluster }> {
  const fake = await FakeCluster.start(fakeOptions)
  const admin = new KafkaAdminClient({
    bootstrapServers: fake.bootstrap,
    requestTimeoutMs: 1500,
    retryBackoffMs: 5,
    ...adminOptions,
  })
  open.push({ admin, fake })
  return { admin, fake }
}
