import type { Config } from '../../config.js';
import type { Store } from '../types.js';

export async function openMongoStore(_options: Config['mongodb'], _log: (message: string) => void): Promise<Store> {
  throw new Error('MongoDB store: not yet implemented');
}
