import { Partitioners } from 'kafkajs';
import { messagesByPartition } from './kafka.bus';

// The bus names each message's partition itself (one send per partition: see publishOnce), so it
// must name the one kafkajs's default partitioner would have chosen, or a key would move.
describe('messagesByPartition', () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0, offlineReplicas: [] }));
  const messages = Array.from({ length: 300 }, (_, i) => ({ key: `a${(i * 7919).toString(16)}${i % 5}`, value: String(i), headers: {} }));

  it('puts every message on the partition kafkajs would, keeping each partition’s messages in order', () => {
    const byPartition = messagesByPartition(messages, 6);
    for (const [partition, share] of byPartition) {
      for (const message of share) expect(kafkajs({ topic: 't', partitionMetadata, message: { key: message.key, value: message.value } })).toBe(partition);
      expect(share.map((message) => Number(message.value))).toEqual([...share.map((message) => Number(message.value))].sort((a, b) => a - b));
    }
    expect([...byPartition.values()].flat()).toHaveLength(messages.length);
    expect(byPartition.size).toBe(6);
  });
});
