import { Instant } from '@orrery/domain';
import { asStreamedLog, logMatches, type StreamedLog } from './log-stream.filter';

const RUN = '01930000-0000-7000-8000-00000000a001';
const TASK = '01930000-0000-7000-8000-00000000c001';

function log(overrides: Partial<StreamedLog> = {}): StreamedLog {
  return {
    id: '01930000-0000-7000-8000-000000000001',
    level: 20,
    timestamp: '2026-11-22T10:00:00.000000Z',
    flow_run_id: RUN,
    task_run_id: null,
    ...overrides,
  };
}

describe('logMatches (upstream log_matches_filter)', () => {
  it('matches everything with an empty filter', () => {
    expect(logMatches({}, log())).toBe(true);
  });

  it('bounds the level inclusively', () => {
    expect(logMatches({ level: { ge_: 20 } }, log())).toBe(true);
    expect(logMatches({ level: { ge_: 21 } }, log())).toBe(false);
    expect(logMatches({ level: { le_: 20 } }, log())).toBe(true);
    expect(logMatches({ level: { le_: 19 } }, log())).toBe(false);
  });

  it('bounds the timestamp inclusively', () => {
    const at = Instant.parse('2026-11-22T10:00:00Z');
    expect(logMatches({ timestamp: { after_: at, before_: at } }, log())).toBe(true);
    expect(logMatches({ timestamp: { after_: at.plusMicros(1) } }, log())).toBe(false);
    expect(logMatches({ timestamp: { before_: at.plusMicros(-1) } }, log())).toBe(false);
  });

  it('needs the run ids in the lists; a log without one never matches a list', () => {
    expect(logMatches({ flow_run_id: { any_: [RUN] } }, log())).toBe(true);
    expect(logMatches({ flow_run_id: { any_: [TASK] } }, log())).toBe(false);
    expect(logMatches({ flow_run_id: { any_: [RUN] } }, log({ flow_run_id: null }))).toBe(false);
    expect(logMatches({ task_run_id: { any_: [TASK] } }, log())).toBe(false);
    expect(logMatches({ task_run_id: { any_: [TASK] } }, log({ task_run_id: TASK }))).toBe(true);
  });

  it('applies task_run_id.is_null_ both ways', () => {
    expect(logMatches({ task_run_id: { is_null_: true } }, log())).toBe(true);
    expect(logMatches({ task_run_id: { is_null_: true } }, log({ task_run_id: TASK }))).toBe(false);
    expect(logMatches({ task_run_id: { is_null_: false } }, log({ task_run_id: TASK }))).toBe(true);
  });

  it('reads only log-shaped messages', () => {
    expect(asStreamedLog(log())).not.toBeNull();
    expect(asStreamedLog({ id: 'x', level: '20', timestamp: 'now' })).toBeNull();
    expect(asStreamedLog(null)).toBeNull();
  });
});
