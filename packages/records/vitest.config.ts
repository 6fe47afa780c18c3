import { packageTestConfig } from '../../vitest.package.js'

export default packageTestConfig()
