import {
  defaultFlowRunPolicy,
  defaultTaskRunPolicy,
  flowRunPolicyFromWire,
  flowRunPolicyToWire,
  taskRunPolicyFromWire,
  taskRunPolicyToWire,
} from './run-policy';

describe('FlowRunPolicy', () => {
  it('has Prefect defaults and wire form', () => {
    expect(flowRunPolicyToWire(defaultFlowRunPolicy())).toEqual({
      max_retries: 0,
      retry_delay_seconds: 0,
      retries: null,
      retry_delay: null,
      pause_keys: [],
      resuming: false,
      retry_type: null,
    });
    expect(flowRunPolicyFromWire({})).toEqual(defaultFlowRunPolicy());
    expect(flowRunPolicyFromWire(null)).toEqual(defaultFlowRunPolicy());
  });

  it('round-trips and keeps pause keys unique', () => {
    const policy = flowRunPolicyFromWire({
      retries: 2,
      retry_delay: 5,
      pause_keys: ['a', 'a', 'b'],
      resuming: true,
      retry_type: 'in_process',
    });
    expect(policy.pauseKeys).toEqual(['a', 'b']);
    expect(flowRunPolicyFromWire(flowRunPolicyToWire(policy))).toEqual(policy);
  });

  it('fills retries / retry_delay from the deprecated fields', () => {
    expect(flowRunPolicyFromWire({ max_retries: 3, retry_delay_seconds: 10 })).toMatchObject({
      retries: 3,
      retryDelay: 10,
    });
    expect(flowRunPolicyFromWire({ max_retries: 3, retries: 1 })).toMatchObject({ retries: 1 });
  });

  it('rejects bad values', () => {
    expect(() => flowRunPolicyFromWire({ retry_type: 'later' })).toThrow('retry_type');
    expect(() => flowRunPolicyFromWire({ retries: 'two' })).toThrow('empirical_policy.retries');
    // pydantic's lax int: "2" is 2.
    expect(flowRunPolicyFromWire({ retries: '2' }).retries).toBe(2);
  });
});

describe('TaskRunPolicy', () => {
  it('has Prefect defaults and wire form', () => {
    expect(taskRunPolicyToWire(defaultTaskRunPolicy())).toEqual({
      max_retries: 0,
      retry_delay_seconds: 0,
      retries: null,
      retry_delay: null,
      retry_jitter_factor: null,
    });
  });

  it('accepts a delay list of at most 50 entries and a non-negative jitter factor', () => {
    expect(
      taskRunPolicyFromWire({ retries: 3, retry_delay: [1, 2, 4], retry_jitter_factor: 0.5 }),
    ).toMatchObject({
      retryDelay: [1, 2, 4],
      retryJitterFactor: 0.5,
    });
    expect(() => taskRunPolicyFromWire({ retry_delay: new Array(51).fill(1) })).toThrow('50');
    expect(() => taskRunPolicyFromWire({ retry_jitter_factor: -1 })).toThrow('non-negative');
    expect(taskRunPolicyFromWire({ max_retries: 2, retry_delay_seconds: 3 })).toMatchObject({
      retries: 2,
      retryDelay: 3,
    });
  });
});
