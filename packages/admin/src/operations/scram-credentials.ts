import {
  AlterUserScramCredentials,
  DescribeUserScramCredentials,
  IllegalArgumentError,
} from '@kafkite/protocol'
import { AdminResults } from '../admin-results.js'
import { checkStringList } from '../arguments.js'
import { brokerError } from '../broker-error.js'
import { type AdminContext, type Answers, runBatch } from '../run-batch.js'
import {
  checkAlteration,
  mechanismName,
  SCRAM_MECHANISMS,
  type ScramAlteration,
  type ScramCredentialInfo,
  type ScramUpsertion,
  saltedCredential,
} from '../scram-credentials.js'

/**
 * DescribeUserScramCredentials from any broker: each user's mechanisms and iteration counts (never a
 * secret). `users` left out: every user that has a credential. One outcome per user; a user without any
 * fails with `ResourceNotFoundError`. An error for the whole request is thrown typed.
 */
export async function describeUserScramCredentials(
  context: AdminContext,
  users?: readonly string[],
): Promise<AdminResults<string, ScramCredentialInfo[]>> {
  const describe = async (names: readonly string[] | null) => {
    const response = await context.cluster.send(
      DescribeUserScramCredentials.api,
      DescribeUserScramCredentials.createRequest({
        users: names === null ? null : names.map((name) => ({ name })),
      }),
    )
    const error = brokerError(
      response.errorCode,
      response.errorMessage,
      '/errorCode',
      'describeUserScramCredentials',
    )
    if (error !== undefined) throw error
    const answers: Answers<ScramCredentialInfo[]> = new Map()
    const order: string[] = []
    response.results.forEach((result, index) => {
      order.push(result.user)
      const failure = brokerError(
        result.errorCode,
        result.errorMessage,
        `/results/${index}/errorCode`,
        `SCRAM credentials of ${result.user}`,
      )
      answers.set(
        result.user,
        failure !== undefined
          ? { ok: false, error: failure }
          : {
              ok: true,
              value: result.credentialInfos.map((info) => ({
                mechanism: mechanismName(info.mechanism),
                iterations: info.iterations,
              })),
            },
      )
    })
    return { answers, order }
  }
  if (users === undefined) {
    const { answers, order } = await context.cluster.withRetries(() => describe(null))
    const results = new AdminResults<string, ScramCredentialInfo[]>('describeUserScramCredentials', String)
    for (const user of order) {
      const outcome = answers.get(user)
      if (outcome !== undefined) results.set(user, outcome)
    }
    return results
  }
  const names = checkStringList(users, 'users')
  return runBatch(context, {
    operation: 'describeUserScramCredentials',
    items: names,
    keyOf: String,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => (await describe(pending)).answers,
  })
}

/**
 * AlterUserScramCredentials, sent to the controller: upserts and deletes SCRAM credentials. For an upsertion
 * the salted password is computed here (PBKDF2, a random salt), so the password itself never leaves the
 * client. Kafka answers per user: one outcome per user named, shared by that user's alterations.
 */
export async function alterUserScramCredentials(
  context: AdminContext,
  alterations: readonly ScramAlteration[],
): Promise<AdminResults<string, string>> {
  if (!Array.isArray(alterations) || alterations.length === 0) {
    throw new IllegalArgumentError({
      message: 'alterUserScramCredentials needs a non-empty array of alterations',
    })
  }
  const checked = alterations.map((alteration, index) => checkAlteration(alteration, `alterations[${index}]`))
  // Salted once, before the first attempt: a retry sends the same credential.
  const upsertions = await Promise.all(
    checked
      .filter((alteration): alteration is ScramUpsertion => alteration.op === 'upsert')
      .map(async (upsertion) => ({
        name: upsertion.user,
        mechanism: SCRAM_MECHANISMS[upsertion.mechanism],
        ...(await saltedCredential(upsertion)),
      })),
  )
  const deletions = checked
    .filter((alteration) => alteration.op === 'delete')
    .map((deletion) => ({ name: deletion.user, mechanism: SCRAM_MECHANISMS[deletion.mechanism] }))
  const users = [...new Set(checked.map((alteration) => alteration.user))]
  return runBatch(context, {
    operation: 'alterUserScramCredentials',
    items: users,
    keyOf: String,
    timeoutMs: context.requestTimeoutMs,
    attempt: async (pending) => {
      const wanted = new Set(pending)
      const response = await context.cluster.send(
        AlterUserScramCredentials.api,
        AlterUserScramCredentials.createRequest({
          deletions: deletions.filter((deletion) => wanted.has(deletion.name)),
          upsertions: upsertions.filter((upsertion) => wanted.has(upsertion.name)),
        }),
      )
      const answers: Answers<string> = new Map()
      response.results.forEach((result, index) => {
        const error = brokerError(
          result.errorCode,
          result.errorMessage,
          `/results/${index}/errorCode`,
          `SCRAM credentials of ${result.user}`,
        )
        answers.set(
          result.user,
          error !== undefined ? { ok: false, error } : { ok: true, value: result.user },
        )
      })
      return answers
    },
  })
}
