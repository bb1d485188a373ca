import type { MongoClient } from 'mongodb';

export interface PoolStats {
  totalConnections: number;
  inUse: number;
  available: number;
  maxPoolSize: number;
}

/**
 * Counts pooled connections from the driver's connection-pool events (register before `connect()`).
 * Figures are summed over the servers the client talks to; `maxPoolSize` applies to each server.
 */
export function trackPool(client: MongoClient, maxPoolSize: number): () => PoolStats {
  let total = 0;
  let inUse = 0;
  client.on('connectionCreated', () => {
    total += 1;
  });
  client.on('connectionClosed', () => {
    total = Math.max(0, total - 1);
  });
  client.on('connectionCheckedOut', () => {
    inUse += 1;
  });
  client.on('connectionCheckedIn', () => {
    inUse = Math.max(0, inUse - 1);
  });
  return () => ({ totalConnections: total, inUse, available: Math.max(0, total - inUse), maxPoolSize });
}
