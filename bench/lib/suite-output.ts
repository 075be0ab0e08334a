// Parses what Redis's test harness (tests/test_helper.tcl) prints per test, and compares two runs
// of one unit: which tests redis-server passes that the bundled node does not.

export type TestStatus = 'ok' | 'err' | 'exception' | 'skip' | 'ignore';

export interface TestOutcome {
  name: string;
  status: TestStatus;
}

// The harness colours the status word when stdout is a terminal-like TERM; strip that first.
const ANSI = /\u001b\[[0-9;]*m/g;
const STATUS_LINE = /^\[(ok|err|exception|skip|ignore)\]: (.*)$/;
// "[ok]: NAME (12 ms)"; "[err]: NAME in tests/unit/x.tcl" followed by the message on later lines.
const OK_ELAPSED = / \(\d+ ms\)$/;
const ERR_WHERE = / in tests\/\S+\.tcl$/;

export function parseSuiteOutput(output: string): TestOutcome[] {
  const outcomes: TestOutcome[] = [];
  for (const raw of output.split('\n')) {
    const match = STATUS_LINE.exec(raw.replace(ANSI, '').trimEnd());
    if (!match) continue;
    const status = match[1] as TestStatus;
    let name = match[2];
    if (status === 'ok') name = name.replace(OK_ELAPSED, '');
    if (status === 'err') name = name.replace(ERR_WHERE, '');
    outcomes.push({ name, status });
  }
  return outcomes;
}

/** Tests of the same name can run more than once in a unit (loops over encodings): key by occurrence. */
function passKeys(outcomes: readonly TestOutcome[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) if (outcome.status === 'ok') counts.set(outcome.name, (counts.get(outcome.name) ?? 0) + 1);
  return counts;
}

export interface UnitComparison {
  redisPassed: number;
  nodePassed: number;
  /** The node's passes among the tests redis-server passes. */
  nodePassedOfRedis: number;
  /** Tests redis-server passes and the node does not (failed, skipped, or never reached). */
  missingOnNode: string[];
}

export function compareRuns(redis: readonly TestOutcome[], node: readonly TestOutcome[]): UnitComparison {
  const redisPasses = passKeys(redis);
  const nodePasses = passKeys(node);
  let nodePassedOfRedis = 0;
  const missingOnNode: string[] = [];
  for (const [name, count] of redisPasses) {
    const onNode = Math.min(count, nodePasses.get(name) ?? 0);
    nodePassedOfRedis += onNode;
    for (let i = onNode; i < count; i++) missingOnNode.push(name);
  }
  const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
  return { redisPassed: sum(redisPasses), nodePassed: sum(nodePasses), nodePassedOfRedis, missingOnNode };
}
