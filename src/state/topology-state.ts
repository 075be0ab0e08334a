// Where rctl keeps what it knows of one topology: RCTL_HOME/<topology>/. Everything that reads or
// writes a record there takes this object, so the layout of the directory is decided here once.

import { join } from 'node:path';

export interface NodePaths {
  /** RCTL_HOME/<topology>/<node>, mode 0700: it holds the password in node.conf. */
  dir: string;
  dataDir: string;
  config: string;
  log: string;
  pid: string;
}

export class TopologyState {
  /** RCTL_HOME/<topology>. */
  readonly dir: string;

  constructor(
    readonly home: string,
    readonly topologyName: string,
  ) {
    this.dir = join(home, topologyName);
  }

  /** A record of the topology as a whole (roles.json, master.json, failover.lock, …). */
  recordPath(fileName: string): string {
    return join(this.dir, fileName);
  }

  /** The files of a node rctl launched. Node names are file-name safe (the topology schema's pattern). */
  nodePaths(nodeName: string): NodePaths {
    const dir = join(this.dir, nodeName);
    return { dir, dataDir: join(dir, 'data'), config: join(dir, 'node.conf'), log: join(dir, 'node.log'), pid: join(dir, 'node.pid') };
  }

  /** Where the sentinels rctl launched keep their directories. */
  sentinelsDir(): string {
    return join(this.dir, '_sentinels');
  }

  /**
   * The files of a sentinel rctl launched, under _sentinels/ (no node name starts with "_", so a
   * node's directory never meets it). Sentinel keeps its state in its config file, so its working
   * directory is the sentinel's own directory.
   */
  sentinelPaths(sentinelName: string): NodePaths {
    const dir = join(this.sentinelsDir(), sentinelName);
    return { dir, dataDir: dir, config: join(dir, 'sentinel.conf'), log: join(dir, 'sentinel.log'), pid: join(dir, 'sentinel.pid') };
  }
}
