export { canControlNodes, controlCluster, firstBroker, kafka, tlsPem } from './kafka.js'
export { uniqueGroup, uniqueTopic } from './names.js'
export { createTopics, deleteTopics, type TopicOptions } from './topics.js'
