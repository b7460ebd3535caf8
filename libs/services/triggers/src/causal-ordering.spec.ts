import { MemoryOrderingStore } from './causal-ordering';
import { causalOrderingContract } from './causal-ordering.contract';

describe('causal ordering in memory', () => {
  const store = new MemoryOrderingStore();
  causalOrderingContract(() => store);
});
